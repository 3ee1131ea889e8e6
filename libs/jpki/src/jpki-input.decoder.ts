import { JpkiError, type JpkiErrorCode } from './jpki.error';

/** A certificate as DER bytes, or as PEM text (string or bytes) holding exactly one CERTIFICATE block. */
export type JpkiCertificateInput = Uint8Array | ArrayBuffer | string;

/** Certificates larger than this are refused before any parsing (a JPKI certificate is ~1.5 KiB). */
export const DEFAULT_MAX_CERTIFICATE_BYTES = 16 * 1024;

const PEM_BLOCK =
  /^\s*-----BEGIN CERTIFICATE-----[ \t]*\r?\n([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----\s*$/;
/** 6-bit value of each base64/base64url character. */
const SEXTET = new Uint8Array(128);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => { SEXTET[c.charCodeAt(0)] = i; });
SEXTET[0x2d] = 62;
SEXTET[0x5f] = 63;

const BASE64_BODY = /^[A-Za-z0-9+/]*$/;
const BASE64URL_BODY = /^[A-Za-z0-9_-]*$/;

/**
 * Which alphabet `value` is written in: the same decision as the regular expressions
 * `^[A-Za-z0-9+/]*={0,2}$` (base64) and `^[A-Za-z0-9_-]*$` (base64url). Regular expressions over
 * the body (irregexp compiles the character class to a native loop) measured about twice as fast
 * as a table-driven loop in JS on a 2.3 KB certificate.
 */
function alphabetOf(value: string): 'base64' | 'base64url' | 'both' | undefined {
  let end = value.length;
  let padding = 0;
  while (end > 0 && value.charCodeAt(end - 1) === 0x3d && padding < 2) {
    end--;
    padding++;
  }
  const body = end === value.length ? value : value.slice(0, end);
  if (BASE64_BODY.test(body)) {
    const special = body.indexOf('+') >= 0 || body.indexOf('/') >= 0;
    return special || padding > 0 ? 'base64' : 'both';
  }
  return padding === 0 && BASE64URL_BODY.test(body) ? 'base64url' : undefined;
}

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
    return new Uint8Array(bytes); // a copy (memcpy; Uint8Array.from would iterate byte by byte)
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
  return canonicalBase64(value, allowUrl) ?? checkedBase64(value, code, allowUrl);
}

/**
 * The fast path of {@link strictBase64}: Node decodes, re-encodes (both native), and the input
 * is accepted only if it is exactly the canonical encoding of what was decoded — so any character
 * outside the alphabet, a mixed alphabet, an impossible length or non-zero trailing bits fails
 * the comparison. Undefined when it does not match: {@link checkedBase64} then names the problem.
 */
function canonicalBase64(value: string, allowUrl: boolean): Uint8Array | undefined {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x3d && value.length - end < 2) end--;
  const padded = end !== value.length;
  if (padded && value.length % 4 !== 0) return undefined;
  const url = value.indexOf('-') >= 0 || value.indexOf('_') >= 0;
  if (url && (!allowUrl || padded)) return undefined;
  const encoding = url ? 'base64url' : 'base64';
  const unpadded = padded ? value.slice(0, end) : value;
  const bytes = Buffer.from(unpadded, encoding);
  let again = bytes.toString(encoding);
  if (!url) {
    let e = again.length;
    while (e > 0 && again.charCodeAt(e - 1) === 0x3d) e--;
    if (e !== again.length) again = again.slice(0, e);
  }
  if (again !== unpadded) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Strict base64 checked rule by rule; refuses with the precise problem (the reference the fast path is held to). */
export function checkedBase64(value: string, code: JpkiErrorCode, allowUrl: boolean): Uint8Array {
  let encoding: 'base64' | 'base64url';
  const kind = alphabetOf(value);
  if (kind === 'base64' || kind === 'both') encoding = 'base64';
  else if (allowUrl && (kind === 'base64url' || kind === 'both')) encoding = 'base64url';
  else throw new JpkiError(code, 'invalid base64 characters');
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x3d) end--;
  const unpadded = end === value.length ? value : value.slice(0, end);
  if (unpadded.length % 4 === 1) throw new JpkiError(code, 'invalid base64 length');
  if (value.length !== unpadded.length && value.length % 4 !== 0) throw new JpkiError(code, 'invalid base64 padding');
  // The alphabet is checked, so the only non-canonical form left is a last character with
  // non-zero bits beyond the data (RFC 4648 §3.5); the same rule as re-encoding and comparing.
  const rest = unpadded.length % 4;
  if (rest !== 0) {
    const last = unpadded.charCodeAt(unpadded.length - 1);
    const sextet = SEXTET[last];
    if ((rest === 2 && (sextet & 0x0f) !== 0) || (rest === 3 && (sextet & 0x03) !== 0)) {
      throw new JpkiError(code, 'non-canonical base64');
    }
  }
  const bytes = Buffer.from(unpadded, encoding);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
