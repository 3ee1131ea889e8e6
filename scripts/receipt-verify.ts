import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, decodeJwt, type JSONWebKeySet } from 'jose';
import {
  type ChainFinding, parseReceiptDocument, type ReceiptKeys, ReceiptVerificationError, verifyReceipt, verifyReceiptChain, type VerifiedReceipt,
} from '@tsunagu/contracts';

const USAGE = `Usage: npm run receipt:verify -- FILE [--jwks URL|FILE] [--issuer URL] [--tail]

Verifies Tsunagu consent receipts: the signature of each against the hub's public keys and,
when FILE holds several receipts (the chain downloaded from the portal), the hash chain —
a receipt that was altered, dropped or moved is reported.

  FILE        a receipt (.json as downloaded, or the bare JWS) or a receipt chain; "-" reads stdin
  --jwks      the hub's JWKS: a URL, or a file for offline checks. Default: <issuer>/oidc/jwks,
              then <issuer>/api/v1/receipts/jwks (keys kept after rotation)
  --issuer    the hub you expect (its public URL); refuses receipts of any other issuer
  --tail      FILE holds the newest part of a chain, not the whole of it

Exit status: 0 verified, 1 not verified, 2 usage or input error.`;

interface Options {
  file?: string;
  jwks?: string;
  issuer?: string;
  tail: boolean;
}

function parseArgs(args: string[]): Options | string {
  const options: Options = { tail: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--jwks' || arg === '--issuer') {
      const value = args[++i];
      if (!value) return `${arg} needs a value`;
      options[arg === '--jwks' ? 'jwks' : 'issuer'] = value;
    } else if (arg === '--tail') {
      options.tail = true;
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

/** The default key source: the issuer's OIDC JWKS, then the archive of keys that signed receipts. */
function issuerKeys(issuer: string): ReceiptKeys {
  const current = createRemoteJWKSet(new URL(`${issuer}/oidc/jwks`));
  const archive = createRemoteJWKSet(new URL(`${issuer}/api/v1/receipts/jwks`));
  const resolve = async (header: never, token: never) => {
    try {
      return await current(header, token);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
      return archive(header, token);
    }
  };
  return resolve as unknown as ReceiptKeys;
}

function keySource(options: Options, first: string, readInput: (file: string) => string): { keys: ReceiptKeys; from: string } | string {
  if (options.jwks) {
    if (/^https?:\/\//.test(options.jwks)) return { keys: new URL(options.jwks), from: options.jwks };
    try {
      return { keys: JSON.parse(readInput(options.jwks)) as JSONWebKeySet, from: options.jwks };
    } catch (error) {
      return `Cannot read the JWKS file ${options.jwks}: ${(error as Error).message}`;
    }
  }
  let issuer = options.issuer;
  if (!issuer) {
    try {
      issuer = String(decodeJwt(first).issuer ?? '');
    } catch {
      issuer = '';
    }
  }
  if (!/^https?:\/\/[^/]+$/.test(issuer)) return 'The receipt names no issuer URL: give --jwks or --issuer';
  return { keys: issuerKeys(issuer), from: `${issuer}/oidc/jwks` };
}

function describe(r: VerifiedReceipt): string {
  const { receipt } = r;
  return `#${receipt.chain.sequence} ${receipt.event.type.padEnd(9)} ${receipt.timestamp}  ${receipt.consent.dataUse} v${receipt.consent.version}  record ${receipt.recordId}  key ${r.kid}`;
}

/** The command, with its output and exit status made testable. */
export async function runReceiptVerify(args: string[], out: (line: string) => void, readInput: (file: string) => string = (f) => readFileSync(f === '-' ? 0 : f, 'utf8')): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    out(options ? `${options}\n\n${USAGE}` : USAGE);
    return 2;
  }
  let receipts: string[];
  try {
    receipts = parseReceiptDocument(readInput(options.file!));
  } catch (error) {
    out(`Cannot read ${options.file}: ${(error as Error).message}`);
    return 2;
  }
  if (!receipts.length) {
    out('The file holds no receipts');
    return 2;
  }
  const source = keySource(options, receipts[0], readInput);
  if (typeof source === 'string') {
    out(source);
    return 2;
  }
  try {
    return await verify(receipts, source, options, out);
  } catch (error) {
    // Anything but a verification finding: the keys could not be fetched or read.
    out(`Cannot get the public keys from ${source.from}: ${(error as Error).message}`);
    return 2;
  }
}

async function verify(receipts: string[], source: { keys: ReceiptKeys; from: string }, options: Options, out: (line: string) => void): Promise<number> {
  const pinned = options.issuer ? { issuer: options.issuer } : {};
  if (receipts.length === 1) {
    try {
      const verified = await verifyReceipt(receipts[0], source.keys, pinned);
      out(`OK  ${describe(verified)}`);
      out(`Signature verified with key ${verified.kid} from ${source.from}; issued by ${verified.receipt.issuer}.`);
      if (!options.issuer && !options.jwks) out('Note: the keys were fetched from the issuer the receipt names; pin the hub you trust with --issuer.');
      return 0;
    } catch (error) {
      if (!(error instanceof ReceiptVerificationError)) throw error;
      out(`NOT VERIFIED (${error.problem}): ${error.message}`);
      return 1;
    }
  }
  const result = await verifyReceiptChain(receipts, source.keys, { ...pinned, complete: !options.tail });
  const byIndex = new Map<number, ChainFinding[]>();
  for (const finding of result.findings) byIndex.set(finding.index, [...(byIndex.get(finding.index) ?? []), finding]);
  let verifiedIndex = 0;
  for (const [index] of receipts.entries()) {
    const findings = byIndex.get(index) ?? [];
    const signatureOk = !findings.some((f) => !['sequence', 'previous_hash'].includes(f.problem));
    const label = signatureOk ? describe(result.receipts[verifiedIndex++]) : `receipt ${index + 1} of the file`;
    out(`${findings.length ? 'BAD' : 'OK '} ${label}`);
    for (const finding of findings) out(`      ${finding.problem}: ${finding.message}`);
  }
  out(result.valid
    ? `Chain of ${receipts.length} receipts verified: every signature (keys from ${source.from}) and every link.`
    : `NOT VERIFIED: ${result.findings.length} problem(s) in a chain of ${receipts.length} receipts.`);
  return result.valid ? 0 : 1;
}

if (require.main === module) {
  runReceiptVerify(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`))
    .then((code) => process.exit(code))
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
      process.exit(2);
    });
}
