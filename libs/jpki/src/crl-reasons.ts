import { childrenOf, contentOf, normalizeSerialBytes, normalizeSerialHex, readOid, readTlv, readWhole, TAG, type Tlv } from './der.reader';
import { OID_EXT } from './jpki.oids';

/** CRLReason (RFC 5280 §5.3.1) by its ENUMERATED value. 7 is not used. */
export const CRL_REASONS = {
  0: 'unspecified', 1: 'keyCompromise', 2: 'cACompromise', 3: 'affiliationChanged', 4: 'superseded', 5: 'cessationOfOperation',
  6: 'certificateHold', 8: 'removeFromCRL', 9: 'privilegeWithdrawn', 10: 'aACompromise',
} as const;
/** A CRLReason name; `unspecified` also when an entry carries no reasonCode extension. */
export type CrlReasonName = (typeof CRL_REASONS)[keyof typeof CRL_REASONS];

/**
 * The reasonCode of the CRL entries for `serials` (hex, any case), in one pass over a CRL that
 * has been verified already (CrlStore.load): the store indexes serials only, and a re-check wants
 * to say why a certificate was revoked. Serials not listed are absent from the result; an entry
 * without reasonCode is `unspecified`. Throws DerError on malformed DER.
 */
export function readCrlEntryReasons(crlDer: Uint8Array, serials: Iterable<string>): Map<string, CrlReasonName> {
  const wanted = new Set<string>();
  for (const s of serials) {
    const n = normalizeSerialHex(s);
    if (n) wanted.add(n);
  }
  const found = new Map<string, CrlReasonName>();
  if (!wanted.size) return found;
  const outer = readWhole(crlDer, TAG.SEQUENCE, 'CertificateList');
  const tbs = readTlv(crlDer, outer.contentStart, outer.end);
  // version?, signature, issuer, thisUpdate, nextUpdate?, revokedCertificates?, [0] crlExtensions?
  const fields = childrenOf(crlDer, tbs);
  const afterIssuer = fields.findIndex((f) => f.tag === TAG.UTC_TIME || f.tag === TAG.GENERALIZED_TIME);
  const list = fields.slice(afterIssuer + 1).find((f) => f.tag === TAG.SEQUENCE);
  if (afterIssuer < 0 || !list) return found;
  let pos = list.contentStart;
  while (pos < list.end && found.size < wanted.size) {
    const entry = readTlv(crlDer, pos, list.end);
    const serial = readTlv(crlDer, entry.contentStart, entry.end);
    const hex = normalizeSerialBytes(crlDer, serial.contentStart, serial.end);
    if (wanted.has(hex)) found.set(hex, reasonOf(crlDer, entry, serial));
    pos = entry.end;
  }
  return found;
}

function reasonOf(der: Uint8Array, entry: Tlv, serial: Tlv): CrlReasonName {
  const date = readTlv(der, serial.end, entry.end);
  if (date.end >= entry.end) return 'unspecified';
  const extensions = readTlv(der, date.end, entry.end);
  for (const ext of childrenOf(der, extensions)) {
    const parts = childrenOf(der, ext);
    if (readOid(der, parts[0]) !== OID_EXT.reasonCode) continue;
    const value = contentOf(der, parts[parts.length - 1]);
    const enumerated = readWhole(value, 0x0a, 'CRLReason');
    const code = value[enumerated.contentStart] as keyof typeof CRL_REASONS;
    return CRL_REASONS[code] ?? 'unspecified';
  }
  return 'unspecified';
}
