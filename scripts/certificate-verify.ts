import { verifyErasureCertificate } from '@tsunagu/contracts';
import { mainOf, runSignedDocumentCommand, type SignedDocumentCommand } from './signed-document-cli';

const USAGE = `Usage: npm run certificate:verify -- FILE [--jwks URL|FILE] [--issuer URL]

Verifies a Tsunagu erasure certificate (消去証明書) of a resident or of a tenant: the hub's
signature over every field, with the hub's public keys — the same keys as consent receipts, so it
works offline with a JWKS file. A certificate with any byte altered does not verify.

  FILE        the certificate as downloaded (.json with "jws"), or the bare JWS; "-" reads stdin
  --jwks      the hub's JWKS: a URL, or a file for offline checks. Default: <issuer>/api/v1/receipts/jwks
  --issuer    the hub you expect (its public URL); refuses certificates of any other issuer

Exit status: 0 verified, 1 not verified, 2 usage or input error.`;

const command: SignedDocumentCommand = {
  usage: USAGE,
  async verify(jws, keys, from, issuer) {
    const { certificate: c, kid } = await verifyErasureCertificate(jws, keys, issuer ? { issuer } : {});
    const lines = [`OK  erasure certificate ${c.certificateId} issued ${c.issuedAt} by ${c.issuer} (key ${kid} from ${from})`];
    if (c.tenant) lines.push(`    tenant  ${c.tenant.code} (${c.tenant.name.en}), ${c.tenant.exportDigest ? `archive ${c.tenant.exportDigest}` : `no archive: ${c.tenant.noExportReason ?? ''}`}`);
    for (const m of c.media) {
      lines.push(`    ${m.state === 'erased' ? 'erased ' : 'PENDING'} ${m.name.en}: ${m.items.map((i) => `${i.item} ${i.count}`).join(', ') || '(none)'}${m.erasedAt ? ` at ${m.erasedAt}` : ''}`);
    }
    for (const r of c.retained) lines.push(`    kept    ${r.item} ${r.count} until ${r.eraseBy}`);
    lines.push(c.complete ? 'Erasure complete on every medium.' : 'NOTE: some media have not confirmed their erasure (PENDING above).');
    return lines;
  },
};

/** The command, with its output and exit status made testable. */
export function runCertificateVerify(args: string[], out: (line: string) => void, readInput?: (file: string) => string): Promise<number> {
  return runSignedDocumentCommand(command, args, out, readInput);
}

if (require.main === module) mainOf(command);
