import Redis from 'ioredis';
import { BrowserAgent, createTestDatabase, testRedis } from '@tsunagu/testing';
import { authorize, codeFlow, discover } from './support/oidc-flow';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * One-time artifacts redeemed at the same instant: two hub replicas on one PostgreSQL and one
 * Redis, and several token requests with the same code (or the same refresh token) fired at them
 * together. Exactly one may win; every other answer is `invalid_grant`, and because a replayed
 * code means it leaked, the winner's tokens are revoked too (RFC 6749 §4.1.2, OAuth security BCP).
 */
describe('Concurrent redemption of one code or refresh token (e2e)', () => {
  const hubs: AppProcess[] = [];
  let store: Redis;
  let storePrefix = '';
  const CASHLESS = 'http://127.0.0.1:39101';
  const callback = `${CASHLESS}/auth/callback`;
  const auth = `Basic ${Buffer.from('demo-cashless:demo-cashless-secret').toString('base64')}`;
  const PARALLEL = 10;

  beforeAll(async () => {
    const redis = testRedis();
    store = new Redis(redis.url);
    storePrefix = redis.prefix;
    const ports = [await freePort(), await freePort()];
    const shared = {
      PUBLIC_URL: `http://127.0.0.1:${ports[0]}`, DATABASE_URL: await createTestDatabase('code_race'),
      REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'e'.repeat(43),
      DEMO_CASHLESS_URL: CASHLESS, DEMO_MISASA_URL: 'http://127.0.0.1:39102',
    };
    // One after the other: the first creates the keys and seeds the clients the second reads.
    hubs.push(await startApp('apps/hub/src/main.js', { ...shared, PORT: String(ports[0]) }, ports[0]));
    hubs.push(await startApp('apps/hub/src/main.js', { ...shared, PORT: String(ports[1]) }, ports[1]));
  });
  afterAll(async () => {
    await Promise.all(hubs.map((h) => h.stop()));
    await store?.quit();
  });

  async function post(path: string, body: Record<string, string>, hub = hubs[0]): Promise<{ status: number; body: Record<string, string> }> {
    const res = await fetch(`${hub.url}/oidc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
      body: new URLSearchParams(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  }

  /** Fires the same token request PARALLEL times, alternating between the two replicas. */
  function race(body: Record<string, string>) {
    return Promise.all(Array.from({ length: PARALLEL }, (_, i) => post('token', body, hubs[i % hubs.length])));
  }

  async function userinfo(accessToken: string): Promise<number> {
    const res = await fetch(`${hubs[1].url}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    await res.text();
    return res.status;
  }

  it('lets exactly one of many parallel redemptions of a code win, and then revokes what it issued', async () => {
    const config = await discover(`${hubs[0].url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const agent = new BrowserAgent();
    await codeFlow(agent, config, callback, { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' }); // sign in and consent once
    const { callbackUrl, verifier } = await authorize(agent, config, callback);
    const code = new URL(callbackUrl).searchParams.get('code')!;

    const answers = await race({ grant_type: 'authorization_code', code, redirect_uri: callback, code_verifier: verifier });

    const winners = answers.filter((a) => a.status === 200);
    const losers = answers.filter((a) => a.status !== 200);
    expect({ ok: winners.length, refused: losers.map((a) => `${a.status} ${a.body.error}`) })
      .toEqual({ ok: 1, refused: Array(PARALLEL - 1).fill('400 invalid_grant') });
    const [{ body: tokens }] = winners;
    // Whatever order the requests were answered in, the code leaked: its tokens are dead.
    expect(await userinfo(tokens.access_token)).toBe(401);
    expect((await post('token/introspection', { token: tokens.access_token }, hubs[1])).body.active).toBe(false);
    expect(await post('token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('lets exactly one of many parallel rotations of a refresh token win, and then revokes the grant', async () => {
    const config = await discover(`${hubs[0].url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const { tokens } = await codeFlow(new BrowserAgent(), config, callback, { loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' });
    // A confidential client's refresh token rotates once 70 % of its life has passed: move its
    // issue time into the past (oidc-provider takes its time from Date.now(), nothing moves that).
    const key = `${storePrefix}oidc:RefreshToken:${tokens.refresh_token}`;
    const stored = JSON.parse((await store.get(key))!) as { iat: number; exp: number };
    const now = Math.floor(Date.now() / 1000);
    await store.set(key, JSON.stringify({ ...stored, iat: now - 3 * (stored.exp - now) }), 'KEEPTTL');

    const answers = await race({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });

    const winners = answers.filter((a) => a.status === 200);
    expect({ ok: winners.length, refused: answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.error}`) })
      .toEqual({ ok: 1, refused: Array(PARALLEL - 1).fill('400 invalid_grant') });
    const [{ body: rotated }] = winners;
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect(await userinfo(rotated.access_token)).toBe(401);
    expect(await post('token', { grant_type: 'refresh_token', refresh_token: rotated.refresh_token })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
