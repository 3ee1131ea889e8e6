import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateTestCa, type TestCa, type TestResidentCertificate } from '@tsunagu/jpki';
import { BrowserAgent, createTestDatabase } from '@tsunagu/testing';
import { codeFlow, discover } from './support/oidc-flow';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * Identity proofing with the My Number card's signature certificate, end to end: the hub trusts
 * a JPKI-profile test CA through configuration files (the production path), and a "card" signs
 * the hub's challenge with the test certificates' keys.
 */
describe('Identity proofing with JPKI (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-jpki-'));
  let ca: TestCa;
  let hub: AppProcess;
  let databaseUrl: string;
  const cashlessCb = 'http://127.0.0.1:39101/auth/callback';

  async function signIn(loginId: string): Promise<BrowserAgent> {
    const agent = new BrowserAgent();
    const cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    await codeFlow(agent, cashless, cashlessCb, { loginId, password: 'tsunagu-demo-2026' });
    return agent;
  }

  async function api(agent: BrowserAgent, path: string, body?: unknown, csrf?: string) {
    const res = await agent.request(`${hub.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  }

  /** What a card app does: fetch a challenge, sign its UTF-8 bytes with the card key, send both. */
  async function answer(agent: BrowserAgent, card: TestResidentCertificate, tweak: (r: Record<string, string>) => Record<string, string> = (r) => r) {
    const { body: { csrfToken } } = await api(agent, '/api/v1/identity/jpki');
    const { body: challenge } = await api(agent, '/api/v1/identity/jpki/challenges', {}, csrfToken);
    const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', card.privateKey, new TextEncoder().encode(challenge.challenge)));
    const request = tweak({
      challengeId: challenge.challengeId, algorithm: 'RS256',
      certificate: Buffer.from(card.der).toString('base64'), signature: Buffer.from(signature).toString('base64'),
    });
    return { ...(await api(agent, '/api/v1/identity/jpki/verifications', request, csrfToken)), request, csrfToken, challenge };
  }

  async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    ca = await generateTestCa();
    const file = (name: string, data: Uint8Array | string) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    const port = await freePort();
    databaseUrl = await createTestDatabase('jpki');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: 'e'.repeat(43),
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', JPKI_CHALLENGE_TTL_SECONDS: '60',
      // Dozens of cards in a minute for one resident: the throttle is apps/hub/src/portal/jpki-throttle.guard.spec.ts's subject.
      THROTTLE_JPKI_PER_MINUTE: '1000',
      JPKI_TRUST_ANCHORS: file('root.pem', ca.root.pem), JPKI_INTERMEDIATES: file('signing-ca.der', ca.signingCa.der),
      JPKI_CRL_SOURCES: `${file('root.crl', ca.crls.root.der)},${file('signing.crl', ca.crls.current.der)}`,
    }, port);
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a resident whose card signs the challenge, and later ID tokens say so', async () => {
    const agent = await signIn('tottori.taro');
    const before = await api(agent, '/api/v1/identity/jpki');
    expect(before.body.verified).toBe(false);
    const result = await answer(agent, ca.residents.valid);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ verified: true, certificateNotAfter: ca.residents.valid.notAfter.toISOString() });
    expect((await api(agent, '/api/v1/identity/jpki')).body.verified).toBe(true);

    // Only the keyed card hash and times are kept: no certificate, no attributes.
    const rows = await sql('SELECT * FROM identity_verifications');
    expect(Object.keys(rows[0]).sort()).toEqual(['card_key', 'certificate_not_after', 'id', 'method', 'resident_id', 'verified_at']);
    expect(JSON.stringify(rows)).not.toContain(ca.residents.valid.serialNumber);

    const cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const { tokens } = await codeFlow(new BrowserAgent(), cashless, cashlessCb, { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' });
    expect(tokens.claims()!.acr).toBe('urn:tsunagu:loa:jpki');

    // The same challenge cannot be answered twice.
    const replay = await api(agent, '/api/v1/identity/jpki/verifications', result.request, result.csrfToken);
    expect(replay).toMatchObject({ status: 409, body: { error: { code: 'jpki_challenge_used' } } });
  });

  it('refuses the same card for a second account', async () => {
    const agent = await signIn('misasa.hanako');
    const result = await answer(agent, ca.residents.valid);
    expect(result).toMatchObject({ status: 409, body: { error: { code: 'jpki_card_already_used' } } });
    expect((await api(agent, '/api/v1/identity/jpki')).body.verified).toBe(false);
  });

  describe('refuses bad input with a typed error and changes nothing', () => {
    let agent: BrowserAgent;
    beforeAll(async () => {
      agent = await signIn('kurayoshi.jiro');
    });
    afterEach(async () => {
      expect((await api(agent, '/api/v1/identity/jpki')).body.verified).toBe(false);
    });

    const certificateCases: [string, keyof TestCa['residents'], string][] = [
      ['an expired certificate', 'expired', 'jpki_certificate_expired'],
      ['a certificate not yet valid', 'notYetValid', 'jpki_certificate_not_yet_valid'],
      ['a revoked certificate', 'revoked', 'jpki_certificate_revoked'],
      ['a certificate chaining to an unknown root', 'foreignCa', 'jpki_untrusted_chain'],
      ['a user-authentication certificate', 'authenticationPolicy', 'jpki_not_signature_certificate'],
      ['a certificate without a signature-arc policy', 'foreignPolicy', 'jpki_policy_not_accepted'],
      ['a certificate without the basic attributes', 'missingAttributes', 'jpki_missing_attributes'],
      ['a certificate with the wrong key usage', 'wrongKeyUsage', 'jpki_wrong_key_usage'],
      ['a SHA-1 certificate', 'sha1Signature', 'jpki_unsupported_algorithm'],
    ];
    it.each(certificateCases)('%s', async (_name, kind, code) => {
      const result = await answer(agent, ca.residents[kind]);
      expect(result.body.error?.code).toBe(code);
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.body.error.message).toMatch(/[ぁ-んァ-ン一-龥]/);
    });

    it('a signature over something other than the challenge', async () => {
      const other = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', ca.residents.valid.privateKey, new TextEncoder().encode('something else')));
      const result = await answer(agent, ca.residents.valid, (r) => ({ ...r, signature: Buffer.from(other).toString('base64') }));
      expect(result.body.error.code).toBe('jpki_bad_signature');
    });

    it('malformed, truncated and PEM-garbage certificates', async () => {
      const der = Buffer.from(ca.residents.valid.der);
      for (const certificate of ['AAAA', der.subarray(0, der.length - 20).toString('base64'), Buffer.from('-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----').toString('base64')]) {
        const result = await answer(agent, ca.residents.valid, (r) => ({ ...r, certificate }));
        expect(result.body.error.code).toBe('jpki_malformed_certificate');
      }
    });

    it('an oversized certificate and an oversized upload', async () => {
      const big = Buffer.alloc(20_000, 1).toString('base64');
      expect((await answer(agent, ca.residents.valid, (r) => ({ ...r, certificate: big.slice(0, 59_000) }))).body.error.code).toBe('jpki_certificate_too_large');
      const huge = await answer(agent, ca.residents.valid, (r) => ({ ...r, certificate: 'A'.repeat(200_000) }));
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('payload_too_large');
    });

    it('a wrong algorithm', async () => {
      expect((await answer(agent, ca.residents.valid, (r) => ({ ...r, algorithm: 'ES256' }))).body.error.code).toBe('jpki_unsupported_algorithm');
    });

    it('a challenge from another session, an expired one, and an unknown one', async () => {
      const other = await signIn('kurayoshi.jiro');
      const { body: { csrfToken } } = await api(other, '/api/v1/identity/jpki');
      const { body: foreign } = await api(other, '/api/v1/identity/jpki/challenges', {}, csrfToken);
      expect((await answer(agent, ca.residents.valid, (r) => ({ ...r, challengeId: foreign.challengeId }))).body.error.code).toBe('jpki_challenge_not_found');
      const fresh = await api(other, '/api/v1/identity/jpki/challenges', {}, csrfToken);
      await sql(`UPDATE jpki_challenges SET expires_at = now() - interval '1 second' WHERE id = $1`, [fresh.body.challengeId]);
      const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', ca.residents.valid.privateKey, new TextEncoder().encode(fresh.body.challenge)));
      const expired = await api(other, '/api/v1/identity/jpki/verifications', {
        challengeId: fresh.body.challengeId, algorithm: 'RS256', certificate: Buffer.from(ca.residents.valid.der).toString('base64'), signature: Buffer.from(signature).toString('base64'),
      }, csrfToken);
      expect(expired.body.error.code).toBe('jpki_challenge_expired');
      expect((await answer(agent, ca.residents.valid, (r) => ({ ...r, challengeId: '00000000-0000-4000-8000-000000000000' }))).body.error.code).toBe('jpki_challenge_not_found');
    });

    it('a stale CRL (refused, not accepted)', async () => {
      // One row per partition (issuer, scope): the 鳥取市 partition the card names is replaced by a stale one.
      const rows = await sql<{ scope: string; der: Buffer }>(`SELECT scope, der FROM jpki_crls WHERE issuer = $1`, [ca.signingCa.subject]);
      const partition = rows.find((r) => Buffer.from(r.der).equals(Buffer.from(ca.crls.current.der)));
      expect(partition).toBeDefined();
      await sql(`UPDATE jpki_crls SET der = $3, fetched_at = now() WHERE issuer = $1 AND scope = $2`, [ca.signingCa.subject, partition!.scope, Buffer.from(ca.crls.stale.der)]);
      try {
        const result = await answer(agent, ca.residents.valid);
        expect(result.body.error.code).toBe('jpki_crl_stale');
        expect(result.status).toBe(503);
      } finally {
        await sql(`UPDATE jpki_crls SET der = $3, fetched_at = now() WHERE issuer = $1 AND scope = $2`, [ca.signingCa.subject, partition!.scope, partition!.der]);
      }
    });

    it('requests without a session or without the CSRF token', async () => {
      const anonymous = await api(new BrowserAgent(), '/api/v1/identity/jpki/challenges', {}, 'x');
      expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'jpki_sign_in_required' } } });
      const forged = await api(agent, '/api/v1/identity/jpki/challenges', {});
      expect(forged).toMatchObject({ status: 403, body: { error: { code: 'jpki_csrf_failed' } } });
    });
  });

  it('keeps nothing from refused attempts, and audit-logs every attempt', async () => {
    const rows = await sql<{ n: string }>(`SELECT count(*) AS n FROM identity_verifications`);
    expect(Number(rows[0].n)).toBe(1);
    const audit = await sql<{ type: string; outcome: string; reason: string | null }>(`SELECT type, outcome, reason FROM audit_events WHERE type LIKE 'jpki.%' ORDER BY seq`);
    expect(audit.filter((a) => a.type === 'jpki.verification')).toHaveLength(1);
    const reasons = new Set(audit.filter((a) => a.outcome === 'failure').map((a) => a.reason));
    for (const code of ['jpki_certificate_revoked', 'jpki_untrusted_chain', 'jpki_bad_signature', 'jpki_challenge_used', 'jpki_challenge_expired', 'jpki_crl_stale', 'jpki_card_already_used']) {
      expect(reasons).toContain(code);
    }
  });
});
