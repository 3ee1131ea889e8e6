import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import { BrowserAgent, formAction, hiddenFields } from '@tsunagu/testing';

/** The local PostgreSQL and Redis the benchmark uses (override with BENCH_PG_ADMIN_URL / BENCH_REDIS_URL). */
export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database for this run and returns its URL. */
export async function createBenchDatabase(name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropBenchDatabase(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Deletes every Redis key under `prefix`; returns how many there were. */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  if (prefix.length < 8) throw new Error(`refusing to delete keys under the short prefix "${prefix}"`);
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** A random 32-byte key in base64url (43 characters), as KEY_ENCRYPTION_KEY wants. */
export function randomKeyEncryptionKey(): string {
  return randomBytes(32).toString('base64url');
}

export interface Credentials { loginId: string; password: string }

/**
 * Walks the authorization code flow once as a browser would (sign-in and consent screens) and
 * redeems the code, returning the tokens (among them the refresh token the benchmark replays).
 */
export async function codeFlowTokens(issuer: string, clientId: string, clientSecret: string, redirectUri: string, creds: Credentials): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), { execute: [oidc.allowInsecureRequests] });
  const agent = new BrowserAgent();
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile', state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  let step = await agent.follow(url.href, {}, redirectUri);
  for (let screens = 0; !step.stoppedAt; screens++) {
    if (screens > 4) throw new Error(`code flow did not reach ${redirectUri}`);
    const page = await step.res.text();
    const login = formAction(page, '/login', step.url);
    const confirm = formAction(page, '/confirm', step.url);
    if (login) step = await agent.follow(login, { form: { ...hiddenFields(page, '/login'), loginId: creds.loginId, password: creds.password } }, redirectUri);
    else if (confirm) step = await agent.follow(confirm, { form: hiddenFields(page, '/confirm') }, redirectUri);
    else throw new Error(`Unexpected page ${step.res.status} at ${step.url}: ${page.slice(0, 400)}`);
  }
  return oidc.authorizationCodeGrant(config, new URL(step.stoppedAt), { pkceCodeVerifier: verifier, expectedState: state });
}
