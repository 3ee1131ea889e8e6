import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import {
  GRANT_KEY_MANAGEMENT_ALG, GRANT_SIGNING_ALG, jwkThumbprint, publicEcJwk,
} from '@tsunagu/contracts';

/** One key of the connector, ready to use. */
export interface ConnectorKey {
  privateKey: CryptoKey;
  /** Public part only (no `kid`, `use` or `alg`: what is registered and thumbprinted). */
  publicJwk: JWK;
  /** RFC 7638 thumbprint of the public key; also its `kid`. */
  kid: string;
}

/**
 * The connector's two key pairs: `signing` (ES256: client assertions, DPoP proofs,
 * acknowledgements) and `encryption` (ECDH-ES on P-256: grants addressed to it are encrypted to it).
 * Two keys, because one key should serve one algorithm.
 */
export interface ConnectorKeys {
  signing: ConnectorKey;
  encryption: ConnectorKey;
}

/** The key file: JSON holding both private JWKs. Written with mode 0600. */
export interface ConnectorKeyFile {
  version: 1;
  createdAt: string;
  signing: JWK;
  encryption: JWK;
}

/** Why the key file cannot be used. */
export class KeyFileError extends Error {
  constructor(readonly file: string, readonly problem: 'missing' | 'exists' | 'permissions' | 'malformed', message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

async function toKey(jwk: JWK, alg: string): Promise<ConnectorKey> {
  const pub = publicEcJwk({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  if (!pub || typeof jwk.d !== 'string') throw new TypeError('not a private P-256 JWK');
  const privateKey = (await importJWK({ ...jwk, alg }, alg)) as CryptoKey;
  return { privateKey, publicJwk: pub, kid: await jwkThumbprint(pub) };
}

async function privateJwk(alg: 'ES256' | 'ECDH-ES+A256KW', use: 'sig' | 'enc'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, crv: 'P-256' });
  const jwk = await exportJWK(privateKey);
  const pub = publicEcJwk({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y })!;
  return { ...jwk, kid: await jwkThumbprint(pub), alg, use };
}

/** Generates a fresh pair of keys (in memory). */
export async function generateConnectorKeyFile(now: Date = new Date()): Promise<ConnectorKeyFile> {
  return {
    version: 1,
    createdAt: now.toISOString(),
    signing: await privateJwk(GRANT_SIGNING_ALG, 'sig'),
    encryption: await privateJwk(GRANT_KEY_MANAGEMENT_ALG, 'enc'),
  };
}

/** Turns a key file's content into usable keys. */
export async function keysFromFile(content: ConnectorKeyFile): Promise<ConnectorKeys> {
  return { signing: await toKey(content.signing, GRANT_SIGNING_ALG), encryption: await toKey(content.encryption, GRANT_KEY_MANAGEMENT_ALG) };
}

/**
 * Writes a key file with mode 0600 (its directory 0700 when created). Refuses to replace an
 * existing file unless `rotate` is set; a rotated-out file is kept beside it as
 * `<file>.<timestamp>.retired` (also 0600) so that a mistaken rotation can be undone.
 * @returns the path of the retired file, if any
 */
export function writeKeyFile(file: string, content: ConnectorKeyFile, options: { rotate?: boolean; now?: Date } = {}): string | undefined {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let retired: string | undefined;
  if (existsSync(file)) {
    if (!options.rotate) throw new KeyFileError(file, 'exists', `${file} already exists: pass --rotate to replace the connector's keys`);
    retired = `${file}.${(options.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}.retired`;
    renameSync(file, retired);
    chmodSync(retired, 0o600);
  }
  try {
    // 'wx': fail rather than follow a file (or symlink) that appeared in between.
    writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFileError(file, 'exists', `${file} already exists`);
    throw error;
  }
  chmodSync(file, 0o600);
  return retired;
}

/**
 * Reads the key file. Refuses a file that group or others can read or write (like ssh does): a
 * connector's private key is the connector's identity.
 */
export async function readKeyFile(file: string): Promise<{ content: ConnectorKeyFile; keys: ConnectorKeys }> {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new KeyFileError(file, 'missing', `${file} does not exist: run \`npm run connector:register -- --config <file>\` first`);
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new KeyFileError(file, 'permissions', `${file} is accessible to group or others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 600 on it`);
  }
  try {
    const content = JSON.parse(readFileSync(file, 'utf8')) as ConnectorKeyFile;
    if (content.version !== 1) throw new Error('unknown version');
    return { content, keys: await keysFromFile(content) };
  } catch (error) {
    throw new KeyFileError(file, 'malformed', `${file} is not a connector key file (${(error as Error).message})`);
  }
}

/** What the register command records beside the key file. Not secret, but written 0600 like the key. */
export interface RegistrationRecord {
  connectorId: string;
  hubUrl: string;
  /** Thumbprint of the signing key that was registered (a rotated key needs a new registration). */
  jkt: string;
  status: string;
  registeredAt: string;
  checkedAt: string;
}

/** Reads the registration record, or `undefined` when there is none. */
export function readRegistrationRecord(file: string): RegistrationRecord | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RegistrationRecord;
}

/** Writes (replaces) the registration record. */
export function writeRegistrationRecord(file: string, record: RegistrationRecord): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
