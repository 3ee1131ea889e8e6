import { JpkiError, type JpkiErrorCode } from './jpki.error';

/** A certificate as DER bytes, or as PEM text (string or bytes) holding exactly one CERTIFICATE block. */
export type JpkiCertificateInput = Uint8Array | ArrayBuffer | string;

/** Certificates larger than this are refused before any parsing (a JPKI certificate is ~1.5 KiB). */
export const DEFAULT_MAX_CERTIFICATE_BYTES = 16 * 1024;

const PEM_BLOCK =
  /^\s*-----BEGIN CERTIFICATE-----[ \t]*\r?\n([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----\s*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Upper bound of a PEM text whose DER is `maxBytes`, with generous room for line breaks. */
function pemLimit(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 * 2 + 256;
}

/**
 * Turns caller input into DER bytes: DER is taken as is (copied), PEM must be exactly one
 * `CERTIFICATE` block with strict base64 and nothing but whitespace around it.
 */
export function decodeCertificateInput(input: unknown, maxBytes: number): Uint8Array {
  if (typeof input === 'string') return decodePem(input, maxBytes);
  let bytes: Uint8Array;
  if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else throw new JpkiError('jpki_malformed_certificate', 'certificate must be DER bytes or PEM text');
  if (bytes.length === 0) throw new JpkiError('jpki_malformed_certificate', 'empty input');
  if (bytes[0] === 0x30) {
    if (bytes.length > maxBytes) throw new JpkiError('jpki_certificate_too_large', `${bytes.length} bytes`);
    return Uint8Array.from(bytes);
  }
  // Not DER: only PEM text is acceptable.
  if (bytes.length > pemLimit(maxBytes)) throw new JpkiError('jpki_certificate_too_large', `${bytes.length} bytes`);
  for (const b of bytes) {
    if (b > 0x7e || (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09)) {
      throw new JpkiError('jpki_malformed_certificate', 'neither DER nor PEM');
    }
  }
  return decodePem(Buffer.from(bytes).toString('latin1'), maxBytes);
}

function decodePem(text: string, maxBytes: number): Uint8Array {
  if (text.length > pemLimit(maxBytes)) throw new JpkiError('jpki_certificate_too_large', `${text.length} characters of PEM`);
  const match = PEM_BLOCK.exec(text);
  if (!match) throw new JpkiError('jpki_malformed_certificate', 'not a single PEM CERTIFICATE block');
  const body = match[1].replace(/\s+/g, '');
  const der = strictBase64(body, 'jpki_malformed_certificate', false);
  if (der.length === 0) throw new JpkiError('jpki_malformed_certificate', 'empty PEM block');
  if (der.length > maxBytes) throw new JpkiError('jpki_certificate_too_large', `${der.length} bytes`);
  return der;
}

/**
 * Strict base64 (RFC 4648 §4, padding optional) or, if `allowUrl`, base64url (§5). Refuses
 * whitespace, stray characters, impossible lengths and non-canonical trailing bits, which
 * Node's own decoder would silently accept.
 */
export function strictBase64(value: string, code: JpkiErrorCode, allowUrl: boolean): Uint8Array {
  let encoding: 'base64' | 'base64url';
  if (BASE64.test(value)) encoding = 'base64';
  else if (allowUrl && BASE64URL.test(value)) encoding = 'base64url';
  else throw new JpkiError(code, 'invalid base64 characters');
  const unpadded = value.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) throw new JpkiError(code, 'invalid base64 length');
  if (value.length !== unpadded.length && value.length % 4 !== 0) throw new JpkiError(code, 'invalid base64 padding');
  const bytes = Buffer.from(unpadded, encoding);
  if (bytes.toString(encoding).replace(/=+$/, '') !== unpadded) throw new JpkiError(code, 'non-canonical base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
