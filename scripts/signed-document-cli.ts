import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, decodeJwt, type JSONWebKeySet } from 'jose';
import { type ReceiptKeys, ReceiptVerificationError } from '@tsunagu/contracts';

/**
 * The command line every "verify a document the hub signed" script shares (certificate:verify,
 * archive:verify): FILE [--jwks URL|FILE] [--issuer URL], the document read from a download
 * (`{"jws": …}`) or as a bare JWS, the keys from a JWKS file (offline) or the issuer's published
 * set, and exit status 0 verified, 1 not verified, 2 usage or input error.
 */
export interface SignedDocumentCommand {
  usage: string;
  /** Verifies the JWS and returns the lines to print; throws ReceiptVerificationError when it does not verify. */
  verify(jws: string, keys: ReceiptKeys, from: string, issuer: string | undefined): Promise<string[]>;
}

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

/** The JWS of a downloaded document (`{"jws": …}`), or the bare JWS. */
export function signedJwsOf(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  const doc = JSON.parse(trimmed) as { jws?: unknown };
  if (typeof doc.jws !== 'string') throw new Error('no "jws" in the file');
  return doc.jws;
}

/** Runs the command, with its output and exit status made testable. */
export async function runSignedDocumentCommand(
  command: SignedDocumentCommand, args: string[], out: (line: string) => void, readInput: (file: string) => string = (f) => readFileSync(f === '-' ? 0 : f, 'utf8'),
): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    out(options ? `${options}\n\n${command.usage}` : command.usage);
    return 2;
  }
  let jws: string;
  try {
    jws = signedJwsOf(readInput(options.file!));
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
      out('The document names no issuer URL: give --jwks or --issuer');
      return 2;
    }
    from = `${issuer}/api/v1/receipts/jwks`;
    keys = createRemoteJWKSet(new URL(from)) as unknown as ReceiptKeys;
  }
  try {
    for (const line of await command.verify(jws, keys, from, options.issuer)) out(line);
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

/** The script's entry point: runs the command on the process's arguments and exits with its status. */
export function mainOf(command: SignedDocumentCommand): void {
  runSignedDocumentCommand(command, process.argv.slice(2), (line) => process.stdout.write(`${line}\n`))
    .then((code) => process.exit(code))
    .catch((error) => {
      process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
      process.exit(2);
    });
}
