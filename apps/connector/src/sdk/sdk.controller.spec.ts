import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConnectorClient, ConnectorSdkError, type DemoItems } from '@tsunagu/connector-sdk';
import { type GrantRequest, SET_CONTENT_TYPE, verifyRevocationAck } from '@tsunagu/contracts';
import type { ConnectorKeys } from '../keys/connector-keys';
import { RevocationFeedPoller } from '../revocations/revocation-feed.poller';
import { FakeHub, type KnownConnector } from '../testing/fake-hub';
import { FakeService } from '../testing/fake-service';
import { freePort, shippedConfig, testConnectorApp, testKeys } from '../testing/test-connector';
import { SdkController } from './sdk.controller';

const SDK_TOKEN = 'sdk-token-for-tests-0123456789';
const REQUEST = { localId: 'C-2026-0001', dataUse: 'cashless.health-points', purpose: 'health-points' } as const;

async function sdkError(promise: Promise<unknown>): Promise<ConnectorSdkError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorSdkError) return error;
    throw error;
  }
  throw new Error('expected a ConnectorSdkError');
}

describe(SdkController.name, () => {
  const hub = new FakeHub();
  const misasa = new FakeService();
  const rogueProvider = new FakeService();
  let provider: { keys: ConnectorKeys; known: KnownConnector };
  let consumer: { keys: ConnectorKeys; known: KnownConnector };
  let providerApp: NestExpressApplication;
  let consumerApp: NestExpressApplication;
  let client: ConnectorClient;
  let consumerUrl: string;
  let reusable = false;
  /** What the hub answers instead of a grant (a refusal), when set. */
  let refusal: { status: number; code: string } | undefined;
  let providerUrlOverride: string | undefined;
  /** The items the resident's consent covers, as the hub decides a `consentedOnly` request (all asked for when unset). */
  let consented: string[] | undefined;
  /** Items the hub grants instead of what it was asked for (a broken or hostile hub). */
  let grantedOverride: string[] | undefined;
  /** The consent the hub's grants are under (tests that withdraw one use their own, so as not to touch the others). */
  let consentId = 'consent-1';

  async function listen(app: NestExpressApplication, port: number): Promise<string> {
    await app.listen(port, '127.0.0.1');
    return `http://127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    await Promise.all([hub.start(), misasa.start(), rogueProvider.start()]);
    const [providerPort, consumerPort] = [await freePort(), await freePort()];
    [provider, consumer] = await Promise.all([testKeys('conn-misasa', `http://127.0.0.1:${providerPort}`), testKeys('conn-cashless', `http://127.0.0.1:${consumerPort}`)]);
    hub.connectors.set(provider.known.id, provider.known);
    hub.connectors.set(consumer.known.id, consumer.known);
    misasa.routes.set('/internal/v1/users/MH-0001/daily-steps', { body: { days: [{ day: '2026-11-21', steps: 8123 }, { day: '2026-11-22', steps: 1200 }] } });
    misasa.routes.set('/internal/v1/users/MH-0001/onsen-visits', { body: { visits: [{ date: '2026-11-21', facilityId: 'kabuyu', facility: '三朝温泉 株湯' }] } });
    const localIds: Record<string, string> = { 'C-2026-0001': 'MH-0001' };
    hub.onGrant = async (from, body: GrantRequest) => {
      if (refusal) return { status: refusal.status, body: { error: { code: refusal.code, message: 'x', messageEn: 'x' } } };
      const items = grantedOverride ?? (body.consentedOnly && consented ? body.items.filter((i) => consented!.includes(i)) : body.items);
      if (!items.length) return { status: 403, body: { error: { code: 'items_not_consented', message: 'x', messageEn: 'x' } } };
      const grant = await hub.grant(from, provider.known, { sub: localIds[body.localId], items, data_use: body.dataUse, purpose: body.purpose, reusable, consent_id: consentId });
      return { status: 201, body: providerUrlOverride ? { ...grant, provider: { ...grant.provider, url: providerUrlOverride } } : grant };
    };
    providerApp = await testConnectorApp({
      config: shippedConfig('misasa-health', { id: 'conn-misasa', hubUrl: hub.url, serviceUrl: misasa.url, publicUrl: provider.known.url }),
      identity: { id: 'conn-misasa', name: 'misasa-health' }, keys: provider.keys,
    });
    await listen(providerApp, providerPort);
    await providerApp.get(RevocationFeedPoller).pullOnce();
    consumerApp = await testConnectorApp({
      config: shippedConfig('cashless', { id: 'conn-cashless', hubUrl: hub.url, serviceUrl: 'http://127.0.0.1:9', publicUrl: consumer.known.url }),
      identity: { id: 'conn-cashless', name: 'cashless' }, keys: consumer.keys, secrets: { sdkToken: SDK_TOKEN },
    });
    consumerUrl = await listen(consumerApp, consumerPort);
    client = new ConnectorClient({ baseUrl: consumerUrl, token: SDK_TOKEN });
  });

  afterAll(async () => {
    await Promise.all([providerApp?.close(), consumerApp?.close()]);
    await Promise.all([hub.stop(), misasa.stop(), rogueProvider.stop()]);
  });

  beforeEach(() => {
    reusable = false;
    refusal = undefined;
    providerUrlOverride = undefined;
    consented = undefined;
    grantedOverride = undefined;
    consentId = 'consent-1';
  });

  /** Pushes one signed consent change to a connector, as the hub's dispatcher does; returns the answer and the SET's jti. */
  async function push(connectorId: string, url: string, change: { consent_id: string; version: number; state: 'withdrawn' | 'active' }): Promise<{ status: number; body: { ack?: string }; jti: string }> {
    const { token, jti } = await hub.event(connectorId, { ...change, changed_at: new Date().toISOString() });
    const res = await fetch(`${url}/revocations/v1/events`, { method: 'POST', headers: { 'content-type': SET_CONTENT_TYPE }, body: token });
    return { status: res.status, body: await res.json() as { ack?: string }, jti };
  }

  it('delivers the granted items to the service through its own connector, checked against its schemas', async () => {
    const res = await client.request<Pick<DemoItems, 'misasa-health.daily-steps' | 'misasa-health.onsen-visits'>>({
      ...REQUEST, items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'],
    });
    expect(res.items['misasa-health.daily-steps']).toEqual([{ date: '2026-11-21', steps: 8123 }, { date: '2026-11-22', steps: 1200 }]);
    expect(res.items['misasa-health.onsen-visits']).toEqual([{ date: '2026-11-21', facilityId: 'kabuyu', facilityName: '三朝温泉 株湯' }]);
    expect(res).toMatchObject({ dataUse: 'cashless.health-points', provider: { connectorId: 'conn-misasa' }, grantId: expect.any(String) });
    expect(hub.grantRequests.at(-1)).toEqual({ consumer: 'conn-cashless', body: { ...REQUEST, items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'] } });
  });

  it('asks for what the consent allows with consentedOnly: the covered items, and names the others', async () => {
    consented = ['misasa-health.daily-steps'];
    const res = await client.request<Pick<DemoItems, 'misasa-health.daily-steps' | 'misasa-health.onsen-visits'>>({
      ...REQUEST, items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'], consentedOnly: true,
    });
    expect(hub.grantRequests.at(-1)!.body).toEqual({ ...REQUEST, items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'], consentedOnly: true });
    expect(Object.keys(res.items)).toEqual(['misasa-health.daily-steps']);
    expect(res.items['misasa-health.daily-steps']).toHaveLength(2);
    expect(res.notConsented).toEqual(['misasa-health.onsen-visits']);
    // Covering everything: every item, and nothing left out.
    consented = undefined;
    const full = await client.request({ ...REQUEST, items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'], consentedOnly: true });
    expect(Object.keys(full.items).sort()).toEqual(['misasa-health.daily-steps', 'misasa-health.onsen-visits']);
    expect(full.notConsented).toEqual([]);
    // Without the flag the answer has no notConsented, and the hub is not asked for a subset.
    const plain = await client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] });
    expect(plain).not.toHaveProperty('notConsented');
    expect(hub.grantRequests.at(-1)!.body).not.toHaveProperty('consentedOnly');
  });

  it('passes items_not_consented through when the consent covers none of the items asked for', async () => {
    consented = ['misasa-health.daily-steps'];
    const error = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.onsen-visits'], consentedOnly: true }));
    expect(error).toMatchObject({ code: 'items_not_consented', status: 403 });
  });

  it('refuses a grant for other items than it asked for (hub_unavailable), and delivers nothing', async () => {
    grantedOverride = ['misasa-health.onsen-visits'];
    expect(await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }))).toMatchObject({ code: 'hub_unavailable', details: [{ field: 'grant' }] });
    expect(await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'], consentedOnly: true }))).toMatchObject({ code: 'hub_unavailable' });
    // Fewer items than asked for, without consentedOnly: also refused (all or nothing).
    grantedOverride = ['misasa-health.daily-steps'];
    expect(await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'] }))).toMatchObject({ code: 'hub_unavailable' });
  });

  it('keeps a consentedOnly grant apart from an all-or-nothing one in its cache', async () => {
    reusable = true;
    consented = ['misasa-health.daily-steps'];
    const items = ['misasa-health.daily-steps', 'misasa-health.onsen-visits'];
    const before = hub.grantRequests.length;
    expect(Object.keys((await client.request({ ...REQUEST, items, consentedOnly: true })).items)).toEqual(['misasa-health.daily-steps']);
    // The same items without the flag must not be served from the narrower grant.
    consented = undefined;
    expect(Object.keys((await client.request({ ...REQUEST, items })).items).sort()).toEqual(items);
    expect(hub.grantRequests).toHaveLength(before + 2);
  });

  it('says data_use_not_found with 404 when the hub has no such data use', async () => {
    refusal = { status: 404, code: 'data_use_not_found' };
    const error = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }));
    expect(error).toMatchObject({ code: 'data_use_not_found', status: 404, messageJa: 'このデータ利用は連携基盤に登録されていないか、終了しています。', retryable: false });
  });

  it('never shows the provider local ID to the consuming side', async () => {
    const res = await client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] });
    expect(JSON.stringify(res)).not.toContain('MH-0001');
  });

  it('passes a refusal of the hub through with its code', async () => {
    refusal = { status: 403, code: 'consent_withdrawn' };
    const error = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }));
    expect(error).toMatchObject({ code: 'consent_withdrawn', status: 403, messageJa: '本人が同意を撤回しています。', retryable: false });
  });

  it('answers hub_unavailable when the hub answers something that is not the API', async () => {
    refusal = { status: 502, code: 'bad_gateway' };
    const error = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }));
    expect(error).toMatchObject({ code: 'hub_unavailable', status: 503, retryable: true });
  });

  it('answers hub_unavailable when the hub cannot be reached', async () => {
    const port = await freePort();
    const lonely = await testConnectorApp({
      config: shippedConfig('cashless', { id: 'conn-cashless', hubUrl: `http://127.0.0.1:${await freePort()}`, serviceUrl: 'http://127.0.0.1:9', publicUrl: `http://127.0.0.1:${port}` }),
      identity: { id: 'conn-cashless', name: 'cashless' }, keys: consumer.keys,
    });
    try {
      const url = await listen(lonely, port);
      const error = await sdkError(new ConnectorClient({ baseUrl: url }).request({ ...REQUEST, items: ['misasa-health.daily-steps'] }));
      expect(error).toMatchObject({ code: 'hub_unavailable', status: 503 });
    } finally {
      await lonely.close();
    }
  });

  it('answers provider_unavailable when the provider connector is down', async () => {
    providerUrlOverride = `http://127.0.0.1:${await freePort()}`;
    const error = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }));
    expect(error).toMatchObject({ code: 'provider_unavailable', status: 503 });
  });

  it('refuses a data use, purpose or item it is not configured for, without asking the hub', async () => {
    const asked = hub.grantRequests.length;
    for (const request of [
      { ...REQUEST, dataUse: 'cashless.other-use', items: ['misasa-health.daily-steps'] },
      { ...REQUEST, purpose: 'marketing', items: ['misasa-health.daily-steps'] },
      { ...REQUEST, items: ['misasa-health.checkup-summary'] },
    ]) {
      expect(await sdkError(client.request(request))).toMatchObject({ code: 'data_use_not_configured', status: 403 });
    }
    expect(hub.grantRequests).toHaveLength(asked);
  });

  it('refuses what a provider returns beyond the grant, and items that break its own schema — returning nothing', async () => {
    providerUrlOverride = rogueProvider.url;
    // An answer naming another grant (another exchange's answer) is not accepted.
    rogueProvider.routes.set('/peer/v1/exchange', { body: { grantId: 'another-grant', items: { 'misasa-health.daily-steps': [] }, providedAt: new Date().toISOString() } });
    expect(await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }))).toMatchObject({ code: 'provider_unavailable' });

    // From here on it echoes the right grant ID, so only the items decide.
    let grantId = '';
    const original = hub.onGrant;
    hub.onGrant = async (from, body) => {
      const res = await original(from, body);
      grantId = (res.body as { grantId: string }).grantId;
      return res;
    };
    try {
      rogueProvider.routes.set('/peer/v1/exchange', () => ({ body: { grantId, items: { 'misasa-health.daily-steps': [], 'misasa-health.onsen-visits': [] }, providedAt: new Date().toISOString() } }));
      const extra = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }));
      expect(extra).toMatchObject({ code: 'schema_violation', details: [{ field: 'misasa-health.onsen-visits', problem: 'not requested' }] });
      rogueProvider.routes.set('/peer/v1/exchange', () => ({ body: { grantId, items: { 'misasa-health.daily-steps': [{ date: '2026-11-21', steps: 10, heartRate: 70 }] }, providedAt: new Date().toISOString() } }));
      const invalid = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }));
      expect(invalid).toMatchObject({ code: 'schema_violation', details: [{ field: 'misasa-health.daily-steps/0', problem: 'must NOT have additional properties' }] });
    } finally {
      hub.onGrant = original;
    }
  });

  it('reuses a reusable grant within its lifetime, and drops it once the provider refuses it', async () => {
    reusable = true;
    const before = hub.grantRequests.length;
    await client.request({ ...REQUEST, items: ['misasa-health.onsen-visits'] });
    await client.request({ ...REQUEST, items: ['misasa-health.onsen-visits'] });
    expect(hub.grantRequests).toHaveLength(before + 1);
    // The resident withdraws; the hub pushes the event to the provider while the cached grant is still valid.
    const { token } = await hub.event('conn-misasa', { consent_id: 'consent-1', version: 2, state: 'withdrawn', changed_at: new Date().toISOString() });
    const pushed = await fetch(`${provider.known.url}/revocations/v1/events`, { method: 'POST', headers: { 'content-type': SET_CONTENT_TYPE }, body: token });
    expect(pushed.status).toBe(202);
    expect(await sdkError(client.request({ ...REQUEST, items: ['misasa-health.onsen-visits'] }))).toMatchObject({ code: 'consent_revoked', status: 403 });
    refusal = { status: 403, code: 'consent_withdrawn' };
    expect(await sdkError(client.request({ ...REQUEST, items: ['misasa-health.onsen-visits'] }))).toMatchObject({ code: 'consent_withdrawn' });
    expect(hub.grantRequests).toHaveLength(before + 2);
  });

  it('drops its cached grants of a consent when a pushed withdrawal reaches it, before acknowledging, and asks the hub again', async () => {
    reusable = true;
    consentId = 'consent-pushed-to-consumer';
    const before = hub.grantRequests.length;
    await client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] });
    await client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] });
    expect(hub.grantRequests).toHaveLength(before + 1);
    // Only the consumer hears of it: the provider would still serve the cached grant.
    const pushed = await push('conn-cashless', consumerUrl, { consent_id: consentId, version: 2, state: 'withdrawn' });
    expect(pushed.status).toBe(202);
    // The hub refuses now; the cached grant is never presented again (the provider would have served it).
    refusal = { status: 403, code: 'consent_withdrawn' };
    expect(await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }))).toMatchObject({ code: 'consent_withdrawn' });
    expect(hub.grantRequests).toHaveLength(before + 2);
  });

  it('does not reuse a grant of a consent version it already heard was revoked (one the hub decided just before)', async () => {
    reusable = true;
    consentId = 'consent-withdrawn-before-grant';
    // The consumer hears of version 1's withdrawal; the hub's answers still name version 1 (decided before the commit).
    expect((await push('conn-cashless', consumerUrl, { consent_id: consentId, version: 1, state: 'withdrawn' })).status).toBe(202);
    const before = hub.grantRequests.length;
    // The provider has not heard of it and serves; the consumer just never presents that grant twice.
    await client.request({ ...REQUEST, items: ['misasa-health.onsen-visits'] });
    await client.request({ ...REQUEST, items: ['misasa-health.onsen-visits'] });
    expect(hub.grantRequests).toHaveLength(before + 2);
  });

  it('accepts and acknowledges pushed events as a consumer-only connector, and drops its cached grants', async () => {
    const port = await freePort();
    const base = shippedConfig('cashless', { id: 'conn-cashless', hubUrl: hub.url, serviceUrl: 'http://127.0.0.1:9', publicUrl: `http://127.0.0.1:${port}` });
    const consumerOnly = await testConnectorApp({ config: { ...base, offers: [] }, identity: { id: 'conn-cashless', name: 'cashless' }, keys: consumer.keys });
    try {
      const url = await listen(consumerOnly, port);
      const own = new ConnectorClient({ baseUrl: url });
      reusable = true;
      consentId = 'consent-consumer-only';
      const before = hub.grantRequests.length;
      await own.request({ ...REQUEST, items: ['misasa-health.daily-steps'] });
      await own.request({ ...REQUEST, items: ['misasa-health.daily-steps'] });
      expect(hub.grantRequests).toHaveLength(before + 1);

      const pushed = await push('conn-cashless', url, { consent_id: consentId, version: 2, state: 'withdrawn' });
      expect(pushed.status).toBe(202);
      await expect(verifyRevocationAck(pushed.body.ack!, { connectorKey: consumer.known.signingJwk, connectorId: 'conn-cashless', hubIssuer: hub.url, eventJti: pushed.jti }))
        .resolves.toMatchObject({ applied: { consent_id: consentId, version: 2 } });
      refusal = { status: 403, code: 'consent_withdrawn' };
      expect(await sdkError(own.request({ ...REQUEST, items: ['misasa-health.daily-steps'] }))).toMatchObject({ code: 'consent_withdrawn' });
      expect(hub.grantRequests).toHaveLength(before + 2);
    } finally {
      await consumerOnly.close();
    }
  });

  it('requires the SDK token when one is configured', async () => {
    const error = await sdkError(new ConnectorClient({ baseUrl: consumerUrl }).request({ ...REQUEST, items: ['misasa-health.daily-steps'] }));
    expect(error).toMatchObject({ code: 'sdk_unauthorized', status: 401 });
    expect(await sdkError(new ConnectorClient({ baseUrl: consumerUrl, token: 'wrong-token-0123456789' }).request({ ...REQUEST, items: ['misasa-health.daily-steps'] })))
      .toMatchObject({ code: 'sdk_unauthorized' });
  });

  it('refuses unknown fields in the request, and a consentedOnly that is not a boolean', async () => {
    const error = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'], consentId: 'x' } as never));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, details: [{ field: 'consentId', problem: 'unknown field' }] });
    const notBoolean = await sdkError(client.request({ ...REQUEST, items: ['misasa-health.daily-steps'], consentedOnly: 'yes' } as never));
    expect(notBoolean).toMatchObject({ code: 'invalid_request', details: [{ field: 'consentedOnly', problem: 'must be boolean' }] });
  });

  it('serves its OpenAPI description', async () => {
    const doc = await client.openapi();
    expect(doc).toMatchObject({ openapi: '3.1.0', paths: { '/sdk/v1/requests': { post: expect.any(Object) } } });
    expect(JSON.stringify(doc)).not.toContain('"nullable"');
  });
});
