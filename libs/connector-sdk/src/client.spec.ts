import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ConnectorClient } from './client';
import { ConnectorSdkError, isRetryable } from './errors';
import { sdkOpenApiDocument } from './openapi';

describe(ConnectorClient.name, () => {
  let server: Server;
  let baseUrl: string;
  let answer: { status: number; body: string; headers?: Record<string, string> };
  let seen: { authorization?: string; body: string }[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ authorization: req.headers.authorization, body });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    seen = [];
  });

  const call = (client = new ConnectorClient({ baseUrl, token: 'tok' })) =>
    client.request({ localId: 'C-2026-0001', dataUse: 'cashless.health-points', purpose: 'health-points', items: ['misasa-health.daily-steps'] });

  async function failure(promise: Promise<unknown>): Promise<ConnectorSdkError> {
    return promise.then(() => { throw new Error('expected a failure'); }, (e) => e as ConnectorSdkError);
  }

  it('sends the request with the SDK token and returns the answer', async () => {
    answer = { status: 200, body: JSON.stringify({ grantId: 'g', dataUse: 'cashless.health-points', items: { 'misasa-health.daily-steps': [] }, provider: { connectorId: 'c' }, providedAt: 'now' }) };
    await expect(call()).resolves.toMatchObject({ grantId: 'g' });
    expect(seen[0]).toEqual({ authorization: 'Bearer tok', body: expect.stringContaining('"localId":"C-2026-0001"') });
  });

  it('sends consentedOnly as given and returns the items the consent allows with notConsented', async () => {
    answer = { status: 200, body: JSON.stringify({ grantId: 'g', dataUse: 'cashless.health-points', items: { 'misasa-health.daily-steps': [] }, notConsented: ['misasa-health.onsen-visits'], provider: { connectorId: 'c' }, providedAt: 'now' }) };
    const client = new ConnectorClient({ baseUrl, token: 'tok' });
    const res = await client.request({
      localId: 'C-2026-0001', dataUse: 'cashless.health-points', purpose: 'health-points', items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'], consentedOnly: true,
    });
    expect(res.notConsented).toEqual(['misasa-health.onsen-visits']);
    expect(JSON.parse(seen[0].body)).toMatchObject({ consentedOnly: true, items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'] });
  });

  it('turns a typed error body into a ConnectorSdkError with the same code', async () => {
    answer = { status: 503, body: JSON.stringify({ error: { code: 'revocations_stale', message: 'ja', messageEn: 'en', correlationId: 'corr-12345678' } }) };
    const error = await failure(call());
    expect(error).toBeInstanceOf(ConnectorSdkError);
    expect(error).toMatchObject({ code: 'revocations_stale', status: 503, messageJa: 'ja', messageEn: 'en', correlationId: 'corr-12345678', retryable: true });
  });

  it('calls anything else an unexpected_response', async () => {
    answer = { status: 502, body: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } };
    expect(await failure(call())).toMatchObject({ code: 'unexpected_response', status: 502 });
    answer = { status: 418, body: JSON.stringify({ error: { code: 'teapot' } }) };
    expect(await failure(call())).toMatchObject({ code: 'unexpected_response', status: 418 });
  });

  it('says connector_unreachable when nothing answers', async () => {
    const error = await failure(call(new ConnectorClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000 })));
    expect(error).toMatchObject({ code: 'connector_unreachable', status: 0, retryable: true });
  });

  it('marks refusals as not retryable', () => {
    expect(isRetryable('consent_withdrawn')).toBe(false);
    expect(isRetryable('provider_unavailable')).toBe(true);
  });
});

describe(sdkOpenApiDocument.name, () => {
  it('describes /sdk/v1/requests with schemas ajv can compile and every error code', () => {
    const doc = sdkOpenApiDocument() as { components: { schemas: Record<string, object> }; 'x-tsunagu-error-codes': Record<string, unknown> };
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(doc.components.schemas.SdkDataRequest);
    expect(validate({ localId: 'C-1', dataUse: 'a.b', items: ['a.c'], purpose: 'p' })).toBe(true);
    expect(validate({ localId: 'C-1', dataUse: 'a.b', items: ['a.c'], purpose: 'p', extra: 1 })).toBe(false);
    expect(validate({ localId: 'C-1', dataUse: 'a.b', items: ['a.c'], purpose: 'p', consentedOnly: true })).toBe(true);
    expect(validate({ localId: 'C-1', dataUse: 'a.b', items: ['a.c'], purpose: 'p', consentedOnly: 'true' })).toBe(false);
    expect(Object.keys(doc['x-tsunagu-error-codes'])).toEqual(expect.arrayContaining(['consent_revoked', 'revocations_stale', 'hub_unavailable', 'data_use_not_found']));
  });
});
