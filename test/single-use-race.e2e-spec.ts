import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClientAssertion, jwkThumbprint, thumbprintUri } from '@tsunagu/contracts';
import { generateTestCa, type TestCa } from '@tsunagu/jpki';
import { BrowserAgent, createTestDatabase, testRedis } from '@tsunagu/testing';
import { exportJWK, generateKeyPair } from 'jose';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { field, nextCode } from './admin-support';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * Single-use artefacts sent N times at once must be accepted once: a JPKI challenge answered in
 * parallel, one admin TOTP code in parallel sign-ins, one connector client assertion in parallel
 * calls. (OIDC codes, refresh tokens and DPoP proofs: test/oidc-code-race.e2e-spec.ts and
 * test/dpop-binding.e2e-spec.ts.) Against a hub process on PostgreSQL and Redis.
 */
const N = 8;

describe('single-use artefacts under concurrency (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-race-'));
  let ca: TestCa;
  let hub: AppProcess;

  beforeAll(async () => {
    ca = await generateTestCa();
    const file = (name: string, data: Uint8Array | string) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    const port = await freePort();
    const redis = testRedis();
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: await createTestDatabase('single-use-race'), KEY_ENCRYPTION_KEY: 'r'.repeat(43),
      REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix,
      // N attempts at once are the subject here, not the throttles (test/throttle.e2e-spec.ts).
      THROTTLE_JPKI_PER_MINUTE: '1000', THROTTLE_ID_ATTEMPTS: '100', THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: '1000',
      JPKI_TRUST_ANCHORS: file('root.pem', ca.root.pem), JPKI_INTERMEDIATES: file('signing-ca.der', ca.signingCa.der),
      JPKI_CRL_SOURCES: `${file('root.crl', ca.crls.root.der)},${file('signing.crl', ca.crls.current.der)}`,
    }, port);
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a JPKI challenge signed once and submitted N times in parallel exactly once', async () => {
    const resident = await new PortalResident(hub.url).signIn('tottori.taro');
    const { body: { csrfToken } } = await resident.api('GET', '/api/v1/identity/jpki');
    const headers = { 'x-csrf-token': csrfToken };
    const { status, body: challenge } = await resident.api('POST', '/api/v1/identity/jpki/challenges', {}, headers);
    expect(status).toBe(201);
    const card = ca.residents.valid;
    const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', card.privateKey, new TextEncoder().encode(challenge.challenge)));
    const answer = {
      challengeId: challenge.challengeId, algorithm: 'RS256',
      certificate: Buffer.from(card.der).toString('base64'), signature: Buffer.from(signature).toString('base64'),
    };
    const results = await Promise.all(Array.from({ length: N }, () => resident.api('POST', '/api/v1/identity/jpki/verifications', answer, headers)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0].body).toMatchObject({ verified: true });
    expect(results.filter((r) => r.status !== 200).map((r) => [r.status, r.body?.error?.code])).toEqual(Array(N - 1).fill([409, 'jpki_challenge_used']));
  });

  it('signs an admin in once when N sign-ins send the same valid TOTP code at once', async () => {
    const loginId = 'admin-tottori-pref';
    const agents = Array.from({ length: N }, () => new BrowserAgent());
    // Every form first (each sign-in carries its own login anti-forgery token), then every post at once.
    const tokens = await Promise.all(agents.map(async (agent) => field(await (await agent.request(`${hub.url}/admin/login`)).text(), 'csrf') ?? ''));
    const code = await nextCode(loginId, DEMO_ADMIN_TOTP_SECRET);
    const results = await Promise.all(agents.map((agent, i) => agent.request(`${hub.url}/admin/login`, { form: { loginId, password: DEMO_ADMIN_PASSWORD, code, csrf: tokens[i] } })));
    expect(results.map((r) => r.status).sort()).toEqual([303, ...Array(N - 1).fill(401)]);
  });

  it('accepts a connector client assertion once when N calls carry it at once', async () => {
    const signing = await generateKeyPair('ES256', { extractable: true });
    const encryption = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const publicJwk = await exportJWK(signing.publicKey);
    const jkt = await jwkThumbprint(publicJwk);
    const assertion = (subject: string) => createClientAssertion({ privateKey: signing.privateKey, kid: jkt, subject, audience: hub.url });
    const registered = await fetch(`${hub.url}/connect/v1/connectors`, {
      method: 'POST', headers: { authorization: `Bearer ${await assertion(thumbprintUri(jkt))}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'race', tenant: 'tottori-pref', serviceClientId: 'demo-cashless', publicJwk, encryptionJwk: await exportJWK(encryption.publicKey), baseUrl: 'http://127.0.0.1:9', version: '0.1.0' }),
    });
    expect(registered.status).toBe(201);
    const { id } = await registered.json() as { id: string };
    const once = `Bearer ${await assertion(id)}`;
    const results = await Promise.all(Array.from({ length: N }, async () => {
      const res = await fetch(`${hub.url}/connect/v1/connectors/${id}`, { headers: { authorization: once } });
      return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code];
    }));
    expect(results.sort()).toEqual([[200, undefined], ...Array(N - 1).fill([401, 'client_assertion_invalid'])]);
  });
});
