import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, decodeJwt, type JSONWebKeySet } from 'jose';
import { type ReceiptKeys, ReceiptVerificationError, verifyErasureCertificate } from '@tsunagu/contracts';

const USAGE = `Usage: npm run certificate:verify -- FILE [--jwks URL|FILE] [--issuer URL]

Verifies a Tsunagu erasure certificate (消去証明書): the hub's signature over every field, with the
hub's public keys — the same keys as consent receipts, so it works offline with a JWKS file.
A certificate with any byte altered does not verify.

  FILE        the certificate as downloaded (.json with "jws"), or the bare JWS; "-" reads stdin
  --jwks      the hub's JWKS: a URL, or a file for offline checks. Default: <issuer>/api/v1/receipts/jwks
  --issuer    the hub you expect (its public URL); refuses certificates of any other issuer

Exit status: 0 verified, 1 not verified, 2 usage or input error.`;

interface Options { file?: string; jwks?: string; issuer?: string }

function parseArgs(args: string[]): Options | string {
  const options: Options = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--jwks' || arg === '--issuer') {
      const value = args[++i];
      if (!value) return `${arg} needs a value`;
      options[arg === '--jwks' ? 'jwks' : 'issuer'] = value;
    } else if (arg === '--help' || arg === '-h') {
      return '';
    } else if (arg.startsWith('--')) {
      return `Unknown option ${arg}`;
    } else if (!options.file) {
      options.file = arg;
    } else {
      return 'Give one FILE';
    }
  }
  return options.file ? options : 'Give the FILE to verify';
}

/** The JWS of a downloaded certificate document, or the bare JWS. */
export function certificateJwsOf(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  const doc = JSON.parse(trimmed) as { jws?: unknown };
  if (typeof doc.jws !== 'string') throw new Error('no "jws" in the file');
  return doc.jws;
}

/** The command, with its output and exit status made testable. */
export async function runCertificateVerify(args: string[], out: (line: string) => void, readInput: (file: string) => string = (f) => readFileSync(f === '-' ? 0 : f, 'utf8')): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    out(options ? `${options}\n\n${USAGE}` : USAGE);
    return 2;
  }
  let jws: string;
  try {
    jws = certificateJwsOf(readInput(options.file!));
  } catch (error) {
    out(`Cannot read ${options.file}: ${(error as Error).message}`);
    return 2;
  }
  let keys: ReceiptKeys;
  let from: string;
  if (options.jwks) {
    from = options.jwks;
    try {
      keys = /^https?:\/\//.test(options.jwks) ? new URL(options.jwks) : JSON.parse(readInput(options.jwks)) as JSONWebKeySet;
    } catch (error) {
      out(`Cannot read the JWKS file ${options.jwks}: ${(error as Error).message}`);
      return 2;
    }
  } else {
    let issuer = options.issuer;
    try {
      issuer ??= String(decodeJwt(jws).issuer ?? '');
    } catch {
      issuer = '';
    }
    if (!/^https?:\/\/[^/]+$/.test(issuer)) {
      out('The certificate names no issuer URL: give --jwks or --issuer');
      return 2;
    }
    from = `${issuer}/api/v1/receipts/jwks`;
    keys = createRemoteJWKSet(new URL(from)) as unknown as ReceiptKeys;
  }
  try {
    const { certificate: c, kid } = await verifyErasureCertificate(jws, keys, options.issuer ? { issuer: options.issuer } : {});
    out(`OK  erasure certificate ${c.certificateId} issued ${c.issuedAt} by ${c.issuer} (key ${kid} from ${from})`);
    for (const m of c.media) {
      out(`    ${m.state === 'erased' ? 'erased ' : 'PENDING'} ${m.name.en}: ${m.items.map((i) => `${i.item} ${i.count}`).join(', ') || '(none)'}${m.erasedAt ? ` at ${m.erasedAt}` : ''}`);
    }
    for (const r of c.retained) out(`    kept    ${r.item} ${r.count} until ${r.eraseBy}`);
    out(c.complete ? 'Erasure complete on every medium.' : 'NOTE: some media have not confirmed their erasure (PENDING above).');
    return 0;
  } catch (error) {
    if (!(error instanceof ReceiptVerificationError)) {
      out(`Cannot get the public keys from ${from}: ${(error as Error).message}`);
      return 2;
    }
    out(`NOT VERIFIED (${error.problem}): ${error.message}`);
    return 1;
  }
}

if (require.main === module) {
  runCertificateVerify(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`))
    .then((code) => process.exit(code))
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
      process.exit(2);
    });
}
