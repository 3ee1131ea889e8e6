import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importTestCertificate, issueTestCard, type TestCertificate } from '@tsunagu/jpki';
import { loadHubConfig } from '../../apps/hub/src/platform/config/hub.config';

/**
 * `npm run test-card -- <link> [--ca-dir DIR] [--card FILE] [--new-card] [--encoding ENC]`
 *
 * DEVELOPMENT ONLY: the test card as a card app on another device would be (docs/jpki-hub.md
 * "Request format for card apps"). It takes the hand-over link the portal shows as a QR code
 * (`…/jpki/app#token=…`), fetches the challenge with the token, signs it with the test card's key
 * (RSASSA-PKCS1-v1_5 / SHA-256 over the challenge's UTF-8 bytes, as the card does after the
 * signature PIN) and posts certificate and signature with the token — no cookie, no CSRF header.
 *
 * - `--ca-dir`: the test CA's folder (signing-ca.der and .key, or root-generation-2.der and .key); default
 *   `$DATA_DIR/jpki-test-ca`, where a hub with JPKI_TEST_CARD=true keeps it.
 * - `--card`: a JSON file holding the card (certificate and key); created when absent, kept for the
 *   next run (the same card). `--new-card` issues a new one into it (a renewed card).
 * - `--encoding`: how the certificate is sent — `base64` (default), `base64-lines` (76-character
 *   lines), `base64url` or `pem`; real card apps send each of these.
 *
 * Prints the hub's JSON answer; exit code 0 when verified, 1 when refused, 2 on bad usage.
 */

export type CertificateEncoding = 'base64' | 'base64-lines' | 'base64url' | 'pem';

export interface TestCardAppOptions {
  link: string;
  caDir: string;
  cardFile: string;
  newCard?: boolean;
  encoding?: CertificateEncoding;
  attributes?: { name: string; address: string };
}

interface StoredCard {
  der: string;
  key: string;
}

async function loadCard(options: TestCardAppOptions): Promise<TestCertificate> {
  if (!options.newCard && existsSync(options.cardFile)) {
    const stored = JSON.parse(await readFile(options.cardFile, 'utf8')) as StoredCard;
    return importTestCertificate(Buffer.from(stored.der, 'base64'), Buffer.from(stored.key, 'base64'));
  }
  // A hub's development test CA keeps its current root generation as root-generation-2.*; a test may write signing-ca.*.
  const base = existsSync(join(options.caDir, 'signing-ca.der')) ? 'signing-ca' : 'root-generation-2';
  const signingCa = await importTestCertificate(await readFile(join(options.caDir, `${base}.der`)), await readFile(join(options.caDir, `${base}.key`)));
  const card = await issueTestCard(signingCa, {
    name: options.attributes?.name ?? 'テスト　カード', gender: '9', dateOfBirth: '319900101', address: options.attributes?.address ?? '鳥取県（テスト用カード）',
  });
  await writeFile(options.cardFile, JSON.stringify({ der: Buffer.from(card.der).toString('base64'), key: Buffer.from(card.privateKeyPkcs8).toString('base64') }), { mode: 0o600 });
  await chmod(options.cardFile, 0o600);
  return card;
}

/** The serial number (hex) of the card kept in `cardFile`, as the verifier reports it. */
export async function testCardSerial(cardFile: string): Promise<string> {
  const stored = JSON.parse(await readFile(cardFile, 'utf8')) as StoredCard;
  return (await importTestCertificate(Buffer.from(stored.der, 'base64'), Buffer.from(stored.key, 'base64'))).serialNumber;
}

export function encodeCertificate(der: Uint8Array, encoding: CertificateEncoding): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = (width: number, sep: string) => b64.match(new RegExp(`.{1,${width}}`, 'g'))!.join(sep);
  switch (encoding) {
    case 'base64': return b64;
    case 'base64-lines': return lines(76, '\r\n');
    case 'base64url': return Buffer.from(der).toString('base64url');
    case 'pem': return `-----BEGIN CERTIFICATE-----\n${lines(64, '\n')}\n-----END CERTIFICATE-----\n`;
  }
}

/** What a card app does with a hand-over link. Resolves with the HTTP status and JSON body of the hub's answer. */
export async function runTestCardApp(options: TestCardAppOptions): Promise<{ status: number; body: Record<string, unknown>; serialNumber: string }> {
  const url = new URL(options.link);
  const token = new URLSearchParams(url.hash.replace(/^#/, '')).get('token');
  if (!token) throw new Error('The link carries no token (expected …/jpki/app#token=…)');
  const auth = { authorization: `JPKI-Transfer ${token}` };
  const card = await loadCard(options);
  const got = await fetch(`${url.origin}/api/v1/identity/jpki/app/challenge`, { headers: { ...auth, accept: 'application/json' } });
  const challenge = await got.json() as Record<string, unknown>;
  if (!got.ok) return { status: got.status, body: challenge, serialNumber: card.serialNumber };
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', card.privateKey, new TextEncoder().encode(String(challenge.challenge))));
  const posted = await fetch(`${url.origin}/api/v1/identity/jpki/app/verifications`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      challengeId: challenge.challengeId, algorithm: 'RS256',
      certificate: encodeCertificate(card.der, options.encoding ?? 'base64'), signature: Buffer.from(signature).toString('base64'),
    }),
  });
  return { status: posted.status, body: await posted.json() as Record<string, unknown>, serialNumber: card.serialNumber };
}

function argument(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const link = args.find((a, i) => !a.startsWith('--') && !['--ca-dir', '--card', '--encoding'].includes(args[i - 1]));
  const encoding = (argument(args, '--encoding') ?? 'base64') as CertificateEncoding;
  if (!link || !['base64', 'base64-lines', 'base64url', 'pem'].includes(encoding)) {
    process.stderr.write('usage: npm run test-card -- <link> [--ca-dir DIR] [--card FILE] [--new-card] [--encoding base64|base64-lines|base64url|pem]\n');
    return 2;
  }
  // Without --ca-dir: where the hub keeps its test CA (DATA_DIR of the hub's config).
  const caDir = argument(args, '--ca-dir') ?? join(loadHubConfig().DATA_DIR, 'jpki-test-ca');
  const result = await runTestCardApp({ link, caDir, cardFile: argument(args, '--card') ?? join(caDir, 'test-card.json'), newCard: args.includes('--new-card'), encoding });
  process.stdout.write(`${JSON.stringify({ status: result.status, ...result.body })}\n`);
  return result.status === 200 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  });
}
