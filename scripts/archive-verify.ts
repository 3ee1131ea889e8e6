import { verifyTenantArchive } from '@tsunagu/contracts';
import { mainOf, runSignedDocumentCommand, type SignedDocumentCommand } from './signed-document-cli';

const USAGE = `Usage: npm run archive:verify -- FILE [--jwks URL|FILE] [--issuer URL]

Verifies a tenant's archive (テナントデータの書き出し, docs/erasure.md "Tenants leaving"): the hub's
signature over every record and the handover record (名称, 受領者, 契約名, 項目, 日時), with the
hub's public keys — the same keys as consent receipts, so it works offline with a JWKS file. Prints
the handover record and the archive's SHA-256, which the hub's export record and the tenant's
erasure certificate name. An archive with any byte altered does not verify.

  FILE        the archive as downloaded (.json with "jws"), or the bare JWS; "-" reads stdin
  --jwks      the hub's JWKS: a URL, or a file for offline checks. Default: <issuer>/api/v1/receipts/jwks
  --issuer    the hub you expect (its public URL); refuses archives of any other issuer

Exit status: 0 verified, 1 not verified, 2 usage or input error.`;

const command: SignedDocumentCommand = {
  usage: USAGE,
  async verify(jws, keys, from, issuer) {
    const { archive: a, kid, digest } = await verifyTenantArchive(jws, keys, issuer ? { issuer } : {});
    const h = a.handover;
    return [
      `OK  tenant archive ${a.archiveId} issued ${a.issuedAt} by ${a.issuer} (key ${kid} from ${from})`,
      `    SHA-256   ${digest}`,
      `    名称      ${h.name.ja} (${h.name.en})`,
      `    受領者    ${h.recipient}`,
      `    契約名    ${h.contractName}`,
      `    日時      ${h.handedOverAt} (exported by ${h.exportedBy})`,
      ...h.items.map((i) => `    項目      ${i.name.ja} / ${i.name.en}: ${i.count}`),
    ];
  },
};

/** The command, with its output and exit status made testable. */
export function runArchiveVerify(args: string[], out: (line: string) => void, readInput?: (file: string) => string): Promise<number> {
  return runSignedDocumentCommand(command, args, out, readInput);
}

if (require.main === module) mainOf(command);
