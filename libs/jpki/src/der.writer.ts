/**
 * A minimal DER writer: what the OCSP client needs to build a request, and what the test CA
 * needs to write CRLs and OCSP responses. Definite minimal lengths only (X.690 §10.1).
 */
import { TAG } from './der.reader';

export function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v & 0xff);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

/** One TLV whose content is the concatenation of `parts`. */
export function derTlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return Buffer.concat([Buffer.from([tag]), derLength(length), ...parts]);
}

/** A non-negative INTEGER from its big-endian magnitude (leading zeros dropped, a 00 added when the top bit is set). */
export function derInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const m = Buffer.from(magnitude.subarray(start));
  return derTlv(TAG.INTEGER, m[0] & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m);
}

export function derSmallInteger(n: number, tag: number = TAG.INTEGER): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return derTlv(tag, Buffer.from(bytes));
}

export function derOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const push = (value: number) => {
    const bytes = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  };
  push(arcs[0] * 40 + arcs[1]);
  for (const arc of arcs.slice(2)) push(arc);
  return derTlv(TAG.OID, Buffer.from(out));
}

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function derTime(date: Date): Buffer {
  const digits = date.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? derTlv(TAG.UTC_TIME, Buffer.from(digits.slice(2) + 'Z', 'latin1'))
    : derGeneralizedTime(date);
}

/** GeneralizedTime `YYYYMMDDHHMMSSZ` (RFC 6960 uses it for every time). */
export function derGeneralizedTime(date: Date): Buffer {
  const digits = date.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return derTlv(TAG.GENERALIZED_TIME, Buffer.from(digits + 'Z', 'latin1'));
}

export const DER_NULL = Buffer.from([0x05, 0x00]);
export const DER_TRUE = Buffer.from([0x01, 0x01, 0xff]);
/** AlgorithmIdentifier of sha256WithRSAEncryption with NULL parameters. */
export const SHA256_WITH_RSA_ALGORITHM = Buffer.from('300d06092a864886f70d01010b0500', 'hex');

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
export function derExtension(oid: string, critical: boolean, value: Uint8Array): Buffer {
  return critical
    ? derTlv(TAG.SEQUENCE, derOid(oid), DER_TRUE, derTlv(TAG.OCTET_STRING, value))
    : derTlv(TAG.SEQUENCE, derOid(oid), derTlv(TAG.OCTET_STRING, value));
}
