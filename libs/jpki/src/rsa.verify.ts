import { createPublicKey, verify, webcrypto, type KeyObject } from 'node:crypto';

/** Node's WebCrypto (globalThis.crypto on Node >= 19; the module export covers test sandboxes). */
export function webCrypto(): Crypto {
  return (globalThis.crypto ?? webcrypto) as Crypto;
}

/** The one signature scheme of the profile: RSASSA-PKCS1-v1_5 with SHA-256. */
export const RSASSA_SHA256: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/**
 * Imports an RSA SubjectPublicKeyInfo into WebCrypto for RSASSA-PKCS1-v1_5/SHA-256; undefined if
 * WebCrypto refuses it. Used only for CRL signatures: WebCrypto hashes the (tens of MB)
 * tbsCertList on the libuv thread pool instead of blocking the event loop.
 */
export async function importRsaVerifyKey(spki: Uint8Array): Promise<CryptoKey | undefined> {
  try {
    return await webCrypto().subtle.importKey('spki', asBufferSource(spki), RSASSA_SHA256, false, ['verify']);
  } catch {
    return undefined;
  }
}

/**
 * Imports an RSAPublicKey (PKCS#1 DER, the content of an rsaEncryption SubjectPublicKeyInfo's
 * BIT STRING) into node:crypto; undefined if OpenSSL refuses it. The caller has already checked
 * that the SPKI algorithm is rsaEncryption with NULL parameters and that the key is well formed.
 * PKCS#1 rather than SPKI because OpenSSL 3 decodes SPKI DER very slowly (≈ 110–170 µs against
 * ≈ 8 µs on the development VM: it probes every decoder).
 */
export function importRsaPublicKey(rsaPublicKey: Uint8Array): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: toBuffer(rsaPublicKey), format: 'der', type: 'pkcs1' });
    return key.asymmetricKeyType === 'rsa' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** RSASSA-PKCS1-v1_5 with SHA-256 (node:crypto's default padding for RSA keys); false on any error. */
export function verifyRsaSha256(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * TypeScript 5.9's DOM types want ArrayBuffer-backed views; every view here is (none come from
 * a SharedArrayBuffer), so this only narrows the type.
 */
export function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
