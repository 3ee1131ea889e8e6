import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, CompactEncrypt, compactDecrypt, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { BrowserAgent, pollUntil } from '@tsunagu/testing';
import type { Client } from 'pg';
import { type ConnectorKeys, readKeyFile } from '../apps/connector/src/keys/connector-keys';
import {
  createClientAssertion, createProof, GRANT_CONTENT_ENCRYPTION, GRANT_JWE_CONTENT_TYPE, GRANT_JWT_TYPE, GRANT_KEY_MANAGEMENT_ALG,
  type GrantResponse, PEER_EXCHANGE_PATH,
} from '@tsunagu/contracts';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import {
  connectHelpers, type ConnectorName, HEALTH_POINTS, japanDate, type Json, type RegisteredPair, setAgreementState, startWithStandIns, STEPS, tearDown,
  VISITS, waitUntilFresh,
} from './support/connect-harness';
import { type AppProcess, freePort, startApp } from './support/processes';
import { startRoundRobinProxy } from './support/round-robin-proxy';

const ONSEN_SPENDING = 'misasa-health.onsen-spending';
const SPENDING = 'cashless.monthly-spending';
const POINTS = 'cashless.points-balance';

type Answer = { status: number; body: Json };

/**
 * The connectors' failure cases across real processes: the hub and both connectors spawned from
 * dist/, stand-ins for the demo apps' internal APIs, real PostgreSQL and Redis. The hub going
 * away, the provider's service going away, a provider connector restarted after an opt-out, and
 * a malicious consumer talking straight to a provider's peer endpoint with forged, `alg: none`,
 * replayed, misaddressed and wrongly bound tokens. Every refusal carries its typed code and no item.
 */
describe('Connector failure cases, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-failures-'));
  const agent = new BrowserAgent();
  let hub: AppProcess;
  let hubEnv: Record<string, string>;
  let hubPort = 0;
  let db: Client;
  let csrf = '';
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  const connectors: Partial<Record<ConnectorName, AppProcess>> = {};
  let pair: RegisteredPair;
  const keys: Partial<Record<ConnectorName, ConnectorKeys>> = {};
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>> | undefined;

  const { portal, sdk, registerPair, approveAndStart } = connectHelpers({
    dir, agent, hub: () => hub, cashless: () => connectors.cashless!, csrf: () => csrf,
  });
  /** The cashless service asking for its resident's Misasa data (`cashless.health-points`). */
  const cashlessSdk = (items: string[]) => sdk(items);
  /** The Misasa service asking for its resident's cashless spending (`misasa-health.onsen-spending`). */
  const misasaSdk = () => sdk([SPENDING, POINTS], { connector: connectors['misasa-health'], localId: 'MH-0001', dataUse: ONSEN_SPENDING, purpose: 'onsen-spending-display' });

  beforeAll(async () => {
    ({ hub, env: hubEnv, port: hubPort, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('connectfail', agent));
    // The real demo apps take about 20 s each to open their in-memory databases here: the stand-ins answer their internal APIs instead.
    cashlessApp.routes.set('/internal/v1/members/C-0001/points', { body: { memberNumber: 'C-0001', pointsBalance: 1250, asOf: new Date().toISOString() } });
    cashlessApp.routes.set('/internal/v1/members/C-0001/monthly-spending', { body: { memberNumber: 'C-0001', months: [{ month: japanDate().slice(0, 7), category: 'onsen', amountYen: 500 }] } });
    pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    ({ cashless: connectors.cashless, 'misasa-health': connectors['misasa-health'] } = await approveAndStart(db, pair));
    for (const name of ['cashless', 'misasa-health'] as const) keys[name] = (await readKeyFile(join(dir, 'keys', `${name}.key.json`))).keys;
    // The resident opts in to the cashless service's use of the Misasa data; the Misasa service is not permitted anything yet.
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: 0 })).status).toBe(201);
  }, 90_000);

  afterAll(() => tearDown({ connectors: Object.values(connectors), hub, db, others: [misasaApp, cashlessApp, proxy && { stop: proxy.close }], dir }));

  /** A grant straight from the hub, asked for with a connector's registered key (what a consumer connector does, or an attacker holding its key file). */
  async function hubGrant(as: ConnectorName, localId: string, dataUse: string, purpose: string, items: string[]): Promise<GrantResponse> {
    const assertion = await createClientAssertion({ privateKey: keys[as]!.signing.privateKey, kid: keys[as]!.signing.kid, subject: pair.ids[as], audience: hub.url });
    const res = await fetch(`${hub.url}/connect/v1/grants`, {
      method: 'POST', headers: { authorization: `Bearer ${assertion}`, 'content-type': 'application/json' }, body: JSON.stringify({ localId, dataUse, items, purpose }),
    });
    const body = await res.json();
    if (res.status !== 201) throw new Error(`grant refused: ${res.status} ${JSON.stringify(body)}`);
    return body as GrantResponse;
  }
  const stepsGrant = (items = [STEPS, VISITS]) => hubGrant('cashless', 'C-0001', HEALTH_POINTS, 'health-points', items);

  /** `POST /peer/v1/exchange` of a provider connector, as a consumer connector sends it; the proof is the cashless key's unless given. */
  async function peer(to: AppProcess, grant: string, opts: { proof?: string; signer?: ConnectorKeys['signing'] } = {}): Promise<Answer & { proof: string }> {
    const signer = opts.signer ?? keys.cashless!.signing;
    const proof = opts.proof ?? await createProof({ privateKey: signer.privateKey, publicJwk: signer.publicJwk, htm: 'POST', htu: `${to.url}${PEER_EXCHANGE_PATH}`, grant });
    const res = await fetch(`${to.url}${PEER_EXCHANGE_PATH}`, {
      method: 'POST', headers: { authorization: `DPoP ${grant}`, dpop: proof, 'content-type': 'application/json' }, body: '{}',
    });
    return { status: res.status, body: await res.json(), proof };
  }

  /** A typed refusal and nothing else: the body is the error alone, with none of the items' data. */
  function expectRefused(answer: Answer, status: number, code: string): void {
    expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
    expect(Object.keys(answer.body)).toEqual(['error']);
    expect(JSON.stringify(answer.body)).not.toMatch(/"(date|steps|facilityId|facilityName|points|asOf|month|category|amountYen)":/);
  }

  /** Encrypts an inner JWS to a connector's registered encryption key, as the hub wraps a grant. */
  async function wrapFor(name: ConnectorName, inner: string): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(inner))
      .setProtectedHeader({ alg: GRANT_KEY_MANAGEMENT_ALG, enc: GRANT_CONTENT_ENCRYPTION, cty: GRANT_JWE_CONTENT_TYPE, aud: pair.ids[name] })
      .encrypt(await importJWK(keys[name]!.encryption.publicJwk, GRANT_KEY_MANAGEMENT_ALG));
  }

  /** The hub-signed inner JWS of a grant (the test reads the provider's key file to look inside). */
  async function innerOf(name: ConnectorName, grant: string): Promise<string> {
    return new TextDecoder().decode((await compactDecrypt(grant, keys[name]!.encryption.privateKey)).plaintext);
  }

  describe('use not approved by its provider, unapproved connector, both directions', () => {
    it('refuses the Misasa service while the cashless tenant has not approved its data use (permission_denied from the hub, through its connector)', async () => {
      await setAgreementState(db, ONSEN_SPENDING, 'pending');
      try {
        expectRefused(await misasaSdk(), 403, 'permission_denied');
      } finally {
        await setAgreementState(db, ONSEN_SPENDING, 'approved');
      }
    });

    it('refuses a connector that is not approved (connector_not_approved), and serves again once it is', async () => {
      await db.query(`UPDATE connectors SET status = 'suspended', status_changed_at = now() WHERE id = $1`, [pair.ids.cashless]);
      try {
        expectRefused(await cashlessSdk([STEPS]), 403, 'connector_not_approved');
      } finally {
        await db.query(`UPDATE connectors SET status = 'approved', status_changed_at = now() WHERE id = $1`, [pair.ids.cashless]);
      }
      const res = await cashlessSdk([STEPS]);
      expect(res.status).toBe(200);
      expect(res.body.items[STEPS].length).toBeGreaterThan(0);
    });

    it('exchanges Misasa ← cashless once consented (the cashless tenant approved the use): the cashless app\'s points and spending', async () => {
      expect((await portal('POST', '/api/v1/portal/consents', { dataUse: ONSEN_SPENDING, items: [SPENDING, POINTS], expectedVersion: 0 })).status).toBe(201);
      // The cashless connector provides too: it refused while it was not approved (no feed pull) until it synced again.
      await waitUntilFresh(connectors.cashless!);
      const res = await misasaSdk();
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ dataUse: ONSEN_SPENDING, provider: { connectorId: pair.ids.cashless }, items: { [POINTS]: { points: 1250 } } });
      expect(Array.isArray(res.body.items[SPENDING])).toBe(true);
    });
  });

  describe('a malicious consumer at the provider\'s peer endpoint', () => {
    it('serves a real grant with a fresh proof bound to its key (the control: what the attacks below tamper with)', async () => {
      const grant = await stepsGrant();
      const res = await peer(connectors['misasa-health']!, grant.grant);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ grantId: grant.grantId, items: { [STEPS]: expect.any(Array), [VISITS]: expect.any(Array) } });
    });

    it('refuses a grant with the hub\'s claims and kid but signed by another key (grant_invalid)', async () => {
      const grant = await stepsGrant();
      const inner = await innerOf('misasa-health', grant.grant);
      const attacker = await generateKeyPair('ES256');
      const forged = await new SignJWT(decodeJwt(inner)).setProtectedHeader(decodeProtectedHeader(inner) as { alg: string }).sign(attacker.privateKey);
      expectRefused(await peer(connectors['misasa-health']!, await wrapFor('misasa-health', forged)), 401, 'grant_invalid');
    });

    it('refuses an unsigned grant (alg: none), correctly encrypted to the provider (grant_invalid)', async () => {
      const grant = await stepsGrant();
      const inner = await innerOf('misasa-health', grant.grant);
      const header = { alg: 'none', typ: GRANT_JWT_TYPE, kid: decodeProtectedHeader(inner).kid };
      const unsigned = `${base64url.encode(JSON.stringify(header))}.${inner.split('.')[1]}.`;
      expectRefused(await peer(connectors['misasa-health']!, await wrapFor('misasa-health', unsigned)), 401, 'grant_invalid');
    });

    it('refuses a replayed DPoP proof (grant_replayed); the reusable grant itself is served again with a fresh proof', async () => {
      const grant = await stepsGrant();
      expect(grant.reusable).toBe(true);
      const first = await peer(connectors['misasa-health']!, grant.grant);
      expect(first.status).toBe(200);
      expectRefused(await peer(connectors['misasa-health']!, grant.grant, { proof: first.proof }), 401, 'grant_replayed');
      // The hub issues reusable grants only (docs/connector.md §7): the grant's jti is not single use, each proof's is.
      expect((await peer(connectors['misasa-health']!, grant.grant)).status).toBe(200);
    });

    it('refuses a grant issued for another provider (grant_wrong_audience), also when re-wrapped for this provider', async () => {
      // Misasa's connector is the consumer here: the grant is for the cashless connector, bound to Misasa's key.
      const grant = await hubGrant('misasa-health', 'MH-0001', ONSEN_SPENDING, 'onsen-spending-display', [SPENDING, POINTS]);
      const misasaKey = keys['misasa-health']!.signing;
      expectRefused(await peer(connectors['misasa-health']!, grant.grant, { signer: misasaKey }), 401, 'grant_wrong_audience');
      // A cashless insider decrypts it and encrypts the hub-signed inner grant to Misasa: the signed aud still names cashless.
      const rewrapped = await wrapFor('misasa-health', await innerOf('cashless', grant.grant));
      expectRefused(await peer(connectors['misasa-health']!, rewrapped, { signer: misasaKey }), 401, 'grant_wrong_audience');
    });

    it('refuses a proof signed by another key than the one the grant is bound to (proof_key_mismatch)', async () => {
      const grant = await stepsGrant();
      const attacker = await generateKeyPair('ES256', { extractable: true });
      const { d: _d, ...publicJwk } = await exportJWK(attacker.privateKey);
      const signer = { privateKey: attacker.privateKey, publicJwk, kid: 'attacker' } as ConnectorKeys['signing'];
      expectRefused(await peer(connectors['misasa-health']!, grant.grant, { signer }), 401, 'proof_key_mismatch');
    });
  });

  describe('the hub goes away', () => {
    it('answers hub_unavailable without a cached grant, serves until the staleness bound, then refuses (revocations_stale); resumes when the hub is back', async () => {
      const misasa = connectors['misasa-health']!;
      // A grant cached by the cashless connector for [STEPS] (the earlier test), and one held by the test.
      expect((await cashlessSdk([STEPS])).status).toBe(200);
      const held = await stepsGrant();
      // Killed rather than shut down: the hub is gone at once, so the staleness clock is measured from here.
      const exited = new Promise((r) => hub.child.once('exit', r));
      hub.child.kill('SIGKILL');
      await exited;
      const stoppedAt = Date.now();
      // Within the bound (5 s since the last successful pull): still served.
      expect((await peer(misasa, held.grant)).status).toBe(200);
      // No cached grant for [VISITS]: the consumer needs the hub.
      expectRefused(await cashlessSdk([VISITS]), 503, 'hub_unavailable');
      // Then the provider fails closed, even for the unexpired grant.
      await waitUntilFresh(misasa, false);
      expect(Date.now() - stoppedAt).toBeLessThan(5_000 + 1_000 + 2_000);
      expect(Date.parse(held.expiresAt)).toBeGreaterThan(Date.now() + 1_000);
      expectRefused(await peer(misasa, held.grant), 503, 'revocations_stale');
      expectRefused(await cashlessSdk([STEPS]), 503, 'revocations_stale');

      hub = await startApp('apps/hub/src/main.js', hubEnv, hubPort);
      await waitUntilFresh(misasa);
      const res = await cashlessSdk([VISITS]);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.items[VISITS])).toBe(true);
    }, 40_000);
  });

  describe('the provider connector is restarted after an opt-out', () => {
    it('rebuilds its revocation set from the hub\'s feed before it serves: an unexpired grant from before the opt-out is refused', async () => {
      const grant = await stepsGrant();
      expect((await peer(connectors['misasa-health']!, grant.grant)).status).toBe(200);
      const consentId = (await portal('GET', '/api/v1/portal/consents')).body.find((c: Json) => c.dataUse.code === HEALTH_POINTS).consent.consentId;
      await connectors['misasa-health']!.stop();
      expect((await portal('POST', `/api/v1/portal/consents/${consentId}/withdraw`, {})).status).toBe(200);

      // The new process reaches the hub through a proxy that holds its feed pulls: its first pull
      // normally completes before it listens, and the window before it would otherwise go unseen.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      proxy = await startRoundRobinProxy(await freePort(), [hub.url], (url) => url.startsWith('/connect/v1/revocations') ? held : undefined);
      const file = join(dir, 'misasa-health.via-proxy.json');
      const config = JSON.parse(readFileSync(pair.files['misasa-health'], 'utf8'));
      writeFileSync(file, JSON.stringify({ ...config, hub: { url: `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`, issuer: hub.url } }));
      try {
        connectors['misasa-health'] = await startApp('apps/connector/src/main.js', { CONNECTOR_CONFIG: file }, pair.ports['misasa-health']);
        const misasa = connectors['misasa-health'];
        expectRefused(await peer(misasa, grant.grant), 503, 'revocations_stale');
        expect(await (await fetch(`${misasa.url}/health`)).json()).toMatchObject({ status: 'degraded', revocations: { fresh: false, lastSyncAt: null } });
      } finally {
        release();
      }
      const misasa = connectors['misasa-health'];
      await waitUntilFresh(misasa);
      // Rebuilt from the hub's feed: the new process heard of the opt-out only there.
      expect((await (await fetch(`${misasa.url}/health`)).json()).revocations.size).toBeGreaterThanOrEqual(1);
      expect(Date.parse(grant.expiresAt)).toBeGreaterThan(Date.now());
      expectRefused(await peer(misasa, grant.grant), 403, 'consent_revoked');
    }, 30_000);
  });

  describe('what the consent allows, and a data use the hub does not know', () => {
    it('serves what a narrowed consent allows with consentedOnly, names the rest, and records exactly that in the ledger', async () => {
      // The resident opts in again (the consent was withdrawn above), keeping the steps and leaving the onsen visits out.
      expect((await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS], expectedVersion: 2 })).status).toBe(201);
      // All or nothing, as the demo used to ask: refused.
      expectRefused(await cashlessSdk([STEPS, VISITS]), 403, 'items_not_consented');
      // What the consent allows: the steps only, and which item was left out.
      const res = await sdk([STEPS, VISITS], { consentedOnly: true });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.items)).toEqual([STEPS]);
      expect(res.body.items[STEPS]).toEqual([{ date: japanDate(-1), steps: 6800 }]);
      expect(res.body.notConsented).toEqual([VISITS]);
      // The hub granted, and both connectors reported, the steps alone: one ledger row with that item.
      const grant = await db.query(`SELECT items, consent_version FROM grant_records WHERE grant_id = $1`, [res.body.grantId]);
      expect(grant.rows).toEqual([{ items: [STEPS], consent_version: 3 }]);
      const ledger = await pollUntil(async () => (await db.query(`SELECT items, outcome FROM provision_records WHERE grant_id = $1`, [res.body.grantId])).rows as Json[], (rows) => rows.length > 0);
      expect(ledger).toEqual([{ items: [STEPS], outcome: 'provided' }]);
      // The consumer connector reported the granted item (a report of both items would be refused as provision_mismatch).
      const outbox = join(dir, 'keys', 'cashless.provisions.jsonl');
      const lines = () => readFileSync(outbox, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
      const added = lines().find((l) => l.op === 'add' && l.report.grantId === res.body.grantId);
      expect(added.report).toMatchObject({ side: 'consumer', items: [STEPS] });
      const reported = () => lines().some((l) => l.op === 'done' && l.reportId === added.report.reportId);
      expect(await pollUntil(reported, Boolean)).toBe(true);
      expect(connectors.cashless!.output()).not.toContain('Hub refused a provision report');
      // None of the requested items consented: still refused, never widened.
      expectRefused(await sdk([VISITS], { consentedOnly: true }), 403, 'items_not_consented');
    });

    it('says data_use_not_found (404) through the connector when the hub has no such data use any more', async () => {
      await db.query(`UPDATE data_uses SET status = 'retired' WHERE code = $1`, [HEALTH_POINTS]);
      try {
        const res = await cashlessSdk([STEPS, VISITS]);
        expectRefused(res, 404, 'data_use_not_found');
        expect(res.body.error.message).toBe('このデータ利用は連携基盤に登録されていないか、終了しています。');
      } finally {
        await db.query(`UPDATE data_uses SET status = 'active' WHERE code = $1`, [HEALTH_POINTS]);
      }
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'grant.refused' AND reason = 'data_use_not_found'`);
      expect(rows[0].n).toBe(1);
    });
  });

  describe('the provider\'s service goes away', () => {
    it('answers provider_unavailable, with nothing partial, when the app behind the provider connector is down (connection refused)', async () => {
      const misasa = connectors['misasa-health']!;
      // Both items again (the consent covered the steps alone) so that only the app's absence can refuse.
      expect((await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: 3 })).status).toBe(201);
      const grant = await stepsGrant();
      expect((await peer(misasa, grant.grant)).status).toBe(200);
      await misasaApp.stop();
      expectRefused(await peer(misasa, grant.grant), 503, 'provider_unavailable');
      expectRefused(await cashlessSdk([STEPS, VISITS]), 503, 'provider_unavailable');
    });
  });
});
