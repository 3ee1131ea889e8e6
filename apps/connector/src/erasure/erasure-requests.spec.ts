import type { NestExpressApplication } from '@nestjs/platform-express';
import { type ErasureRequest, SET_CONTENT_TYPE, signErasureRequestedEvent, verifyRevocationAck } from '@tsunagu/contracts';
import { FakeHub, hubSigningKey, type KnownConnector } from '../testing/fake-hub';
import { FakeService } from '../testing/fake-service';
import type { ConnectorKeys } from '../keys/connector-keys';
import { freePort, shippedConfig, testConnectorApp, testKeys } from '../testing/test-connector';
import { ErasureRequestsService } from './erasure-requests.service';

/**
 * A pushed erasure request at a real connector app (docs/erasure.md): verified like a revocation
 * event, handed to the service's erasure callback (a consumer), grant caches dropped, and
 * acknowledged — signed with the connector's key — with what was erased; never acknowledged when
 * the service did not confirm.
 */
describe(ErasureRequestsService.name, () => {
  const hub = new FakeHub();
  const service = new FakeService();
  let connector: { keys: ConnectorKeys; known: KnownConnector };
  let app: NestExpressApplication;
  let url: string;
  let answer: { status: number; body: unknown };

  const request = (over: Partial<ErasureRequest> = {}): ErasureRequest => ({
    erasure_id: 'dep-1', roles: ['consumer', 'provider'], subject: 'C-2026-0001', items: ['misasa-health.daily-steps'], consent_ids: ['consent-1'],
    reason: 'departure', requested_at: new Date().toISOString(), ...over,
  });

  async function push(r: ErasureRequest, signing = hub.signing): Promise<{ status: number; body: { ack?: string; error?: { code: string } }; jti: string }> {
    const { token, jti } = await signErasureRequestedEvent({ signingKey: signing.privateKey, kid: signing.kid, issuer: hub.url, connectorId: connector.known.id, request: r });
    const res = await fetch(`${url}/revocations/v1/events`, { method: 'POST', headers: { 'content-type': SET_CONTENT_TYPE }, body: token });
    return { status: res.status, body: await res.json(), jti };
  }

  beforeAll(async () => {
    await Promise.all([hub.start(), service.start()]);
    const port = await freePort();
    connector = await testKeys('conn-cashless', `http://127.0.0.1:${port}`);
    hub.connectors.set(connector.known.id, connector.known);
    service.routes.set('/internal/v1/erasure', () => answer);
    app = await testConnectorApp({
      config: shippedConfig('cashless', { id: 'conn-cashless', hubUrl: hub.url, serviceUrl: service.url, publicUrl: connector.known.url }),
      identity: { id: 'conn-cashless', name: 'cashless' }, keys: connector.keys, secrets: { serviceToken: 'service-secret' },
    });
    await app.listen(port, '127.0.0.1');
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([hub.stop(), service.stop()]);
  });

  beforeEach(() => {
    answer = { status: 200, body: { erased: [{ item: 'misasa-health.daily-steps', count: 3 }], method: { ja: '削除', en: 'Deleted' } } };
    service.requests = [];
  });

  it('hands a consumer\'s request to the service\'s erasure callback with the service token, and acknowledges what it erased, signed', async () => {
    const pushed = await push(request());
    expect(pushed.status).toBe(202);
    expect(service.requests).toHaveLength(1);
    expect(service.requests[0]).toMatchObject({ method: 'POST', authorization: 'Bearer service-secret' });
    expect(JSON.parse(service.requests[0].body!)).toEqual({ erasureId: 'dep-1', localId: 'C-2026-0001', items: ['misasa-health.daily-steps'], reason: 'departure', requestedAt: expect.any(String) });
    const claims = await verifyRevocationAck(pushed.body.ack!, { connectorKey: connector.known.signingJwk, connectorId: 'conn-cashless', hubIssuer: hub.url, eventJti: pushed.jti });
    expect(claims.applied).toEqual({
      erasure_id: 'dep-1', erased: [{ item: 'misasa-health.daily-steps', count: 3 }, { item: 'grant-cache', count: 0 }],
      method: { ja: expect.stringContaining('削除'), en: expect.stringContaining('Deleted') },
    });
  });

  it('does not acknowledge when the service did not confirm (down, or an answer that is not an erasure report): the hub retries', async () => {
    answer = { status: 503, body: {} };
    expect(await push(request())).toMatchObject({ status: 503, body: { error: { code: 'provider_unavailable' } } });
    answer = { status: 200, body: { erased: 'all' } };
    expect(await push(request())).toMatchObject({ status: 503, body: { error: { code: 'provider_unavailable' } } });
  });

  it('as a provider only, drops its caches and acknowledges without calling the service', async () => {
    const pushed = await push(request({ roles: ['provider'] }));
    expect(pushed.status).toBe(202);
    expect(service.requests).toHaveLength(0);
    const claims = await verifyRevocationAck(pushed.body.ack!, { connectorKey: connector.known.signingJwk, connectorId: 'conn-cashless', hubIssuer: hub.url, eventJti: pushed.jti });
    expect(claims.applied).toMatchObject({ erasure_id: 'dep-1', erased: [{ item: 'grant-cache', count: 0 }] });
  });

  it('refuses a request not signed by the hub as invalid, and never calls the service', async () => {
    expect(await push(request(), await hubSigningKey('rogue'))).toMatchObject({ status: 400, body: { error: { code: 'event_invalid' } } });
    expect(service.requests).toHaveLength(0);
  });
});
