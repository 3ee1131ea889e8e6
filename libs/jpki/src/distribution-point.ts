import { childrenOf, contextTag, DerError, readWhole, TAG, toHex, type Tlv } from './der.reader';

/** formatName of jpki-certificate.parser (passed in: that module imports this one). */
export type NameFormatter = (der: Uint8Array, name: Tlv) => string;

/**
 * CRL distribution points (RFC 5280 §4.2.1.13) and the issuingDistributionPoint of a partitioned
 * CRL (§5.2.5), reduced to what matching needs: the names of each point, in one canonical text
 * form per GeneralName so that a certificate's point and a CRL's partition can be compared.
 *
 * - directoryName → `dirName:<DN as JpkiVerifiedCertificate.issuer formats it>` — the form real
 *   JPKI signature certificates use (one directory name per municipality's partition);
 * - uniformResourceIdentifier → `uri:<the URI>`;
 * - nameRelativeToCRLIssuer → `rdn:<hex of the RDN DER>`; any other GeneralName → `gn<tag>:<hex>`.
 */

const DIRECTORY_NAME = contextTag(4);
const URI = contextTag(6, true);

/** One distribution point of a certificate: its names (any one may match) and whether it names a CRL issuer (indirect CRL). */
export interface DistributionPoint {
  readonly names: readonly string[];
  /** A cRLIssuer field: the CRL is indirect, which the store does not support. */
  readonly indirect: boolean;
}

/** The scope of a CRL, from its issuingDistributionPoint (absent: a full CRL for every certificate of the CA). */
export interface CrlScope {
  /** Names of the partition; empty for a CRL that is not partitioned by distribution point. */
  readonly names: readonly string[];
  readonly onlyUserCerts: boolean;
  readonly onlyCaCerts: boolean;
  /** Canonical key of the scope, '' for a full CRL. */
  readonly key: string;
}

export const FULL_CRL_SCOPE: CrlScope = { names: [], onlyUserCerts: false, onlyCaCerts: false, key: '' };

function ensure(cond: boolean, what: string): asserts cond {
  if (!cond) throw new DerError(what);
}

/** Canonical text of one GeneralName. */
export function generalNameText(der: Uint8Array, gn: Tlv, formatName: NameFormatter): string {
  if (gn.tag === DIRECTORY_NAME) {
    const inner = childrenOf(der, gn);
    ensure(inner.length === 1 && inner[0].tag === TAG.SEQUENCE, 'directoryName');
    return `dirName:${formatName(der, inner[0])}`;
  }
  if (gn.tag === URI) {
    let text = '';
    for (let i = gn.contentStart; i < gn.end; i++) {
      ensure(der[i] >= 0x20 && der[i] < 0x7f, 'uniformResourceIdentifier');
      text += String.fromCharCode(der[i]);
    }
    return `uri:${text}`;
  }
  return `gn${gn.tag.toString(16)}:${toHex(der, gn.contentStart, gn.end)}`;
}

/** Names of a DistributionPointName (the CHOICE inside the explicit [0]). */
function distributionPointNames(der: Uint8Array, dpName: Tlv, formatName: NameFormatter): string[] {
  const choice = childrenOf(der, dpName);
  ensure(choice.length === 1, 'DistributionPointName');
  const [c] = choice;
  if (c.tag === contextTag(0)) {
    const names = childrenOf(der, c).map((gn) => generalNameText(der, gn, formatName));
    ensure(names.length > 0, 'fullName');
    return names;
  }
  if (c.tag === contextTag(1)) return [`rdn:${toHex(der, c.start, c.end)}`];
  throw new DerError('DistributionPointName');
}

/** CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint */
export function readCrlDistributionPoints(value: Uint8Array, formatName: NameFormatter): DistributionPoint[] {
  const seq = readWhole(value, TAG.SEQUENCE, 'cRLDistributionPoints');
  const points: DistributionPoint[] = [];
  for (const dp of childrenOf(value, seq)) {
    ensure(dp.tag === TAG.SEQUENCE, 'DistributionPoint');
    let names: string[] = [];
    let indirect = false;
    for (const field of childrenOf(value, dp)) {
      if (field.tag === contextTag(0)) names = distributionPointNames(value, field, formatName);
      else if (field.tag === contextTag(1, true)) continue; // reasons: a point for some reasons only
      else if (field.tag === contextTag(2)) indirect = true;
      else throw new DerError('DistributionPoint field');
    }
    points.push({ names, indirect });
  }
  ensure(points.length > 0, 'cRLDistributionPoints');
  return points;
}

function readImplicitBoolean(der: Uint8Array, tlv: Tlv, what: string): boolean {
  ensure(tlv.end - tlv.contentStart === 1, what);
  const v = der[tlv.contentStart];
  ensure(v === 0xff, `${what} must be TRUE when present (DER)`);
  return true;
}

/**
 * IssuingDistributionPoint. Supported: a distribution point (the partition), onlyContainsUserCerts
 * and onlyContainsCACerts. Refused (thrown as Unsupported): onlySomeReasons, indirectCRL and
 * onlyContainsAttributeCerts — a CRL that covers only some reasons or other issuers' certificates
 * cannot answer "is this certificate revoked" alone.
 */
export function readIssuingDistributionPoint(value: Uint8Array, formatName: NameFormatter): CrlScope | { unsupported: string } {
  const seq = readWhole(value, TAG.SEQUENCE, 'issuingDistributionPoint');
  let names: string[] = [];
  let onlyUserCerts = false;
  let onlyCaCerts = false;
  for (const field of childrenOf(value, seq)) {
    switch (field.tag) {
      case contextTag(0): names = distributionPointNames(value, field, formatName); break;
      case contextTag(1, true): onlyUserCerts = readImplicitBoolean(value, field, 'onlyContainsUserCerts'); break;
      case contextTag(2, true): onlyCaCerts = readImplicitBoolean(value, field, 'onlyContainsCACerts'); break;
      case contextTag(3, true): return { unsupported: 'onlySomeReasons' };
      case contextTag(4, true): return { unsupported: 'indirectCRL' };
      case contextTag(5, true): return { unsupported: 'onlyContainsAttributeCerts' };
      default: throw new DerError('issuingDistributionPoint field');
    }
  }
  ensure(!(onlyUserCerts && onlyCaCerts), 'issuingDistributionPoint: only user and only CA certificates');
  const sorted = [...names].sort();
  const key = `${onlyUserCerts ? 'u' : ''}${onlyCaCerts ? 'c' : ''}|${sorted.join('\u0000')}`;
  return { names: sorted, onlyUserCerts, onlyCaCerts, key: key === '|' ? '' : key };
}

/** Whether a CRL of this scope covers a certificate with these distribution points (RFC 5280 §6.3.3 (b)). */
export function scopeCovers(scope: CrlScope, points: readonly DistributionPoint[] | undefined, isCa: boolean): boolean {
  if (scope.onlyCaCerts && !isCa) return false;
  if (scope.onlyUserCerts && isCa) return false;
  if (scope.names.length === 0) return true;
  if (!points) return false;
  return points.some((p) => !p.indirect && p.names.some((n) => scope.names.includes(n)));
}
