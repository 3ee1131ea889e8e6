/**
 * A minimal, strict DER reader used where the general ASN.1 libraries are either too lenient
 * (asn1js parses BER and ignores trailing bytes) or far too slow (a one-million-entry CRL).
 *
 * Only what X.509 needs: single-byte tags, definite minimal lengths up to 4 length octets.
 * Anything else is refused with a DerError, which callers turn into a JpkiError.
 */

/** Thrown for any DER that is not well formed; never escapes the library (mapped to JpkiError). */
export class DerError extends Error {
  override readonly name = 'DerError';
}

/** One tag-length-value: offsets into the buffer it was read from. */
export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset one past the last content octet. */
  readonly end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag `[n]`; constructed unless `primitive`. */
export function contextTag(n: number, primitive = false): number {
  return (primitive ? 0x80 : 0xa0) | n;
}

/**
 * Reads the TLV at `pos`; its end must not pass `limit`.
 * Hot path of the CRL walker: no allocation besides the returned object.
 */
export function readTlv(bytes: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new DerError('truncated element');
  const tag = bytes[pos];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  // Universal class with the constructed bit: only SEQUENCE and SET (DER has no constructed strings).
  if ((tag & 0xe0) === 0x20 && tag !== 0x30 && tag !== 0x31) throw new DerError('constructed encoding of a primitive type');
  let lenByte = bytes[pos + 1];
  let contentStart = pos + 2;
  let length: number;
  if (lenByte < 0x80) {
    length = lenByte;
  } else {
    lenByte &= 0x7f;
    if (lenByte === 0) throw new DerError('indefinite length is not DER');
    if (lenByte > 4) throw new DerError('length too large');
    if (contentStart + lenByte > limit) throw new DerError('truncated length');
    if (bytes[contentStart] === 0) throw new DerError('non-minimal length');
    length = 0;
    for (let i = 0; i < lenByte; i++) length = length * 256 + bytes[contentStart + i];
    if (length < 0x80) throw new DerError('non-minimal length');
    contentStart += lenByte;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('element runs past its container');
  return { tag, start: pos, contentStart, end };
}

/** Reads a TLV and checks its tag. */
export function expectTlv(bytes: Uint8Array, pos: number, limit: number, tag: number, what: string): Tlv {
  const tlv = readTlv(bytes, pos, limit);
  if (tlv.tag !== tag) throw new DerError(`${what}: unexpected tag 0x${tlv.tag.toString(16)}`);
  return tlv;
}

/** Reads the single TLV that must fill `bytes` exactly (no trailing data). */
export function readWhole(bytes: Uint8Array, tag: number, what: string): Tlv {
  const tlv = expectTlv(bytes, 0, bytes.length, tag, what);
  if (tlv.end !== bytes.length) throw new DerError(`${what}: trailing data`);
  return tlv;
}

/** The direct children of a constructed TLV. */
export function childrenOf(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = parent.contentStart;
  while (pos < parent.end) {
    const child = readTlv(bytes, pos, parent.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

export function contentOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

export function rawOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/** Decodes OBJECT IDENTIFIER content octets to dotted form. */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i];
    if (value === 0 && b === 0x80) throw new DerError('non-minimal OID arc');
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    } else if (i === content.length - 1) {
      throw new DerError('truncated OID');
    }
  }
  return arcs.join('.');
}

/**
 * Decoded OIDs by content bytes: a certificate holds a dozen, always the same few, and decoding
 * showed up as the largest item of the certificate parse. Keyed by FNV-1a of the bytes, compared
 * byte for byte on a hit; bounded.
 */
const oidCache = new Map<number, { bytes: Uint8Array; oid: string }[]>();
let oidCacheEntries = 0;
const MAX_OID_CACHE = 512;

export function readOid(bytes: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== TAG.OID) throw new DerError('expected OBJECT IDENTIFIER');
  const start = tlv.contentStart;
  const length = tlv.end - start;
  if (length === 0 || length > 32) return decodeOid(contentOf(bytes, tlv));
  let h = 0x811c9dc5;
  for (let i = start; i < tlv.end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  const bucket = oidCache.get(h);
  if (bucket) {
    for (const e of bucket) {
      if (e.bytes.length !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (e.bytes[i] !== bytes[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return e.oid;
    }
  }
  const oid = decodeOid(contentOf(bytes, tlv));
  if (oidCacheEntries >= MAX_OID_CACHE) {
    oidCache.clear();
    oidCacheEntries = 0;
  }
  const entry = { bytes: bytes.slice(start, tlv.end), oid };
  if (bucket) bucket.push(entry);
  else oidCache.set(h, [entry]);
  oidCacheEntries++;
  return oid;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of a byte range. */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start > 16) return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex');
  let s = '';
  for (let i = start; i < end; i++) s += HEX[bytes[i]];
  return s;
}

/**
 * Canonical form of a certificate serial number: lower-case hex of the INTEGER content octets
 * with leading zero octets removed (so `00ff02` and `ff02` compare equal), at least one octet.
 */
export function normalizeSerialBytes(bytes: Uint8Array, start: number, end: number): string {
  if (end <= start) throw new DerError('empty INTEGER');
  while (end - start > 1 && bytes[start] === 0) start++;
  return toHex(bytes, start, end);
}

/** Same normalisation for a hex string (colons, spaces and case ignored); `undefined` if not hex. */
export function normalizeSerialHex(hex: string): string | undefined {
  let s = hex.replace(/[:\s]/g, '').toLowerCase();
  if (s.length === 0 || !/^[0-9a-f]+$/.test(s)) return undefined;
  if (s.length % 2 === 1) s = '0' + s;
  let i = 0;
  while (s.length - i > 2 && s.startsWith('00', i)) i += 2;
  return s.slice(i);
}

/** Parses UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) as RFC 5280 requires. */
export function readTime(bytes: Uint8Array, tlv: Tlv): Date {
  let p = tlv.contentStart;
  const length = tlv.end - p;
  const digits = (n: number, what: string): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const c = bytes[p++] - 0x30;
      if (c < 0 || c > 9) throw new DerError(what);
      v = v * 10 + c;
    }
    return v;
  };
  let year: number;
  if (tlv.tag === TAG.UTC_TIME) {
    if (length !== 13) throw new DerError('UTCTime must be YYMMDDHHMMSSZ');
    const yy = digits(2, 'UTCTime must be YYMMDDHHMMSSZ');
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === TAG.GENERALIZED_TIME) {
    if (length !== 15) throw new DerError('GeneralizedTime must be YYYYMMDDHHMMSSZ');
    year = digits(4, 'GeneralizedTime must be YYYYMMDDHHMMSSZ');
  } else {
    throw new DerError('expected a time');
  }
  const what = tlv.tag === TAG.UTC_TIME ? 'UTCTime must be YYMMDDHHMMSSZ' : 'GeneralizedTime must be YYYYMMDDHHMMSSZ';
  const month = digits(2, what);
  const day = digits(2, what);
  const hour = digits(2, what);
  const minute = digits(2, what);
  const second = digits(2, what);
  if (bytes[p] !== 0x5a) throw new DerError(what);
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 ||
    d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day
  ) {
    throw new DerError('invalid date');
  }
  return d;
}
