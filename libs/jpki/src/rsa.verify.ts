import { webcrypto } from 'node:crypto';

/** Node's WebCrypto (globalThis.crypto on Node >= 19; the module export covers test sandboxes). */
export function webCrypto(): Crypto {
  return (globalThis.crypto ?? webcrypto) as Crypto;
}

/** The one signature scheme of the profile: RSASSA-PKCS1-v1_5 with SHA-256. */
export const RSASSA_SHA256: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

/** Imports an RSA SubjectPublicKeyInfo for RSASSA-PKCS1-v1_5/SHA-256; undefined if WebCrypto refuses it. */
export async function importRsaVerifyKey(spki: Uint8Array): Promise<CryptoKey | undefined> {
  try {
    return await webCrypto().subtle.importKey('spki', asBufferSource(spki), RSASSA_SHA256, false, ['verify']);
  } catch {
    return undefined;
  }
}

/**
 * TypeScript 5.9's DOM types want ArrayBuffer-backed views; every view here is (none come from
 * a SharedArrayBuffer), so this only narrows the type.
 */
export function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
