import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTestCa, issueTestCard, type TestCa, type TestOcspOptions, type TestResidentCertificate } from '@tsunagu/jpki';
import { BrowserAgent, createTestDatabase } from '@tsunagu/testing';
import { codeFlow, discover } from './support/oidc-flow';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * Identity proofing with revocation checked by OCSP (issue #15), end to end: the hub runs with
 * JPKI_REVOCATION=ocsp and POSTs RFC 6960 requests to a responder over HTTP — here the test CA's
 * responder behind a small HTTP server, standing in for a platform operator's. The CA has the real
 * shape (two self-signed root generations, no intermediate) and no CRL is configured at all. The
 * cards name the responder in authorityInfoAccess (id-ad-ocsp); JPKI_OCSP_URL is the fallback for
 * a card that names none.
 */
describe('Identity proofing with JPKI, revocation by OCSP (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-jpki-ocsp-'));
  let ca: TestCa;
  let hub: AppProcess;
  let responder: Server;
  /** How the responder answers the next requests. */
  let mode: TestOcspOptions | 'http-500' = {};
  let requests = 0;
  /** Requests by path: `/aia-ocsp` (named by the cards), `/ocsp` (JPKI_OCSP_URL). */
  const byPath: Record<string, number> = {};
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

  async function answer(agent: BrowserAgent, card: TestResidentCertificate) {
    const { body: { csrfToken } } = await api(agent, '/api/v1/identity/jpki');
    const { body: challenge } = await api(agent, '/api/v1/identity/jpki/challenges', {}, csrfToken);
    const signature = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', card.privateKey, new TextEncoder().encode(challenge.challenge)));
    return api(agent, '/api/v1/identity/jpki/verifications', {
      challengeId: challenge.challengeId, algorithm: 'RS256',
      certificate: Buffer.from(card.der).toString('base64'), signature: Buffer.from(signature).toString('base64'),
    }, csrfToken);
  }

  beforeAll(async () => {
    const responderPort = await freePort();
    ca = await generateTestCa({ ocspUrl: `http://127.0.0.1:${responderPort}/aia-ocsp` });
    responder = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests++;
        byPath[req.url ?? ''] = (byPath[req.url ?? ''] ?? 0) + 1;
        if (mode === 'http-500' || req.method !== 'POST' || req.headers['content-type'] !== 'application/ocsp-request') {
          res.writeHead(500).end();
          return;
        }
        const body = ca.ocsp(Buffer.concat(chunks), { ...mode, thisUpdate: mode.thisUpdate ?? new Date(Date.now() - 60_000) });
        res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from(body));
      });
    });
    await new Promise<void>((resolve) => responder.listen(responderPort, '127.0.0.1', resolve));
    const file = (name: string, data: Uint8Array | string) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    const port = await freePort();
    const databaseUrl = await createTestDatabase('jpki_ocsp');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: 'e'.repeat(43),
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', THROTTLE_JPKI_PER_MINUTE: '1000',
      JPKI_TRUST_ANCHORS: `${file('generation-1.pem', ca.previousRoot.pem)},${file('generation-2.pem', ca.signingCa.pem)}`,
      JPKI_REVOCATION: 'ocsp', JPKI_OCSP_URL: `http://127.0.0.1:${responderPort}/ocsp`,
    }, port);
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    await new Promise((resolve) => responder?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a card made like a real one through the OCSP responder, with no CRL at all', async () => {
    mode = {};
    const before = requests;
    // The responder's thisUpdate is the real clock's: the hub runs on it.
    const result = await answer(await signIn('tottori.taro'), ca.residents.valid);

    expect(result).toMatchObject({ status: 200, body: { verified: true } });
    expect(requests).toBeGreaterThan(before);
  });

  it('asks the responder the card names (authorityInfoAccess), and JPKI_OCSP_URL for a card that names none', async () => {
    mode = {};
    const before = { aia: byPath['/aia-ocsp'] ?? 0, configured: byPath['/ocsp'] ?? 0 };
    const agent = await signIn('tottori.taro');
    expect(await answer(agent, ca.residents.valid)).toMatchObject({ status: 200 });
    expect(byPath['/aia-ocsp']).toBeGreaterThan(before.aia);
    expect(byPath['/ocsp'] ?? 0).toBe(before.configured);

    // A card without authorityInfoAccess (the responder answers good for a serial it was not told about).
    const plain = await issueTestCard(ca.signingCa, { name: '鳥取　太郎', gender: '1', dateOfBirth: '319800401', address: '鳥取県鳥取市テスト町一丁目１番地' });
    mode = { status: 'good' };
    expect(await answer(agent, plain)).toMatchObject({ status: 200 });
    expect(byPath['/ocsp']).toBe(before.configured + 1);
  });

  it('verifies a card of the previous root generation (the CA signs its own answers)', async () => {
    mode = {};
    expect(await answer(await signIn('kurayoshi.jiro'), ca.residents.previousGeneration)).toMatchObject({ status: 200 });
  });

  describe('fails closed', () => {
    let agent: BrowserAgent;
    beforeAll(async () => {
      agent = await signIn('misasa.hanako');
    });
    afterEach(async () => {
      expect((await api(agent, '/api/v1/identity/jpki')).body.verified).toBe(false);
      mode = {};
    });

    it.each<[string, TestOcspOptions | 'http-500', 'valid' | 'revoked', string, number]>([
      ['a revoked card', {}, 'revoked', 'jpki_certificate_revoked', 401],
      ['an unsigned answer', { unsigned: true }, 'valid', 'jpki_ocsp_unsigned', 503],
      ['a stale answer', { thisUpdate: new Date(Date.now() - 3 * 3_600_000), nextUpdate: new Date(Date.now() - 3_600_000) }, 'valid', 'jpki_ocsp_stale', 503],
      ['an answer for another serial', { serialNumber: '0123456789abcdef' }, 'valid', 'jpki_ocsp_wrong_certificate', 503],
      ['an answer without our nonce', { nonce: 'omit' }, 'valid', 'jpki_ocsp_invalid', 503],
      ['an unknown status', { status: 'unknown' }, 'valid', 'jpki_ocsp_status_unknown', 401],
      ['a responder that fails', 'http-500', 'valid', 'jpki_ocsp_unavailable', 503],
    ])('%s', async (_label, responderMode, kind, code, status) => {
      mode = responderMode;
      const card = kind === 'revoked' ? ca.residents.revoked : ca.residents.valid;
      const result = await answer(agent, card);

      expect(result.body.error?.code).toBe(code);
      expect(result.status).toBe(status);
    });

    it('an answer signed by a responder the CA did not authorise', async () => {
      mode = { signer: ca.unauthorisedResponders.noOcspSigning };
      const result = await answer(agent, ca.residents.valid);

      expect(result).toMatchObject({ status: 503, body: { error: { code: 'jpki_ocsp_unauthorized_responder' } } });
    });
  });
});
