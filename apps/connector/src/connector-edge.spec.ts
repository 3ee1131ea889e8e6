import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { shippedConfig, TestClock, testConnectorApp, testKeys } from './testing/test-connector';

/** Every route of the connector's Express app (method and path pattern). */
function routesOf(app: NestExpressApplication): { method: string; path: string }[] {
  const stack = (app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
  return stack.flatMap((layer) => (layer.route
    ? Object.keys(layer.route.methods).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => ({ method: m, path: layer.route!.path }))
    : []));
}

describe('bad bytes at the edge of the connector', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    const { keys } = await testKeys('conn-cashless', 'http://127.0.0.1:9');
    app = await testConnectorApp({
      config: shippedConfig('cashless', { id: 'conn-cashless', hubUrl: 'http://127.0.0.1:9', serviceUrl: 'http://127.0.0.1:9', publicUrl: 'http://connector.test' }),
      identity: { id: 'conn-cashless', name: 'cashless' }, keys, secrets: { sdkToken: 's'.repeat(16), serviceToken: 'service-secret' }, clock: new TestClock(),
    });
  });
  afterAll(() => app?.close());

  it('refuses NUL and lone surrogates in the path, query and body of every route with a typed 400', async () => {
    const routes = routesOf(app);
    expect(routes.length).toBeGreaterThan(3);
    let requests = 0;
    for (const { method, path } of routes) {
      const plain = path.replace(/[:*][A-Za-z0-9_]+/g, 'x');
      const send = (url: string) => (request(app.getHttpServer()) as unknown as Record<string, (u: string) => request.Test>)[method](url).set('accept', 'application/json');
      const tries: request.Test[] = [send(`${plain}?q=%00`)];
      if (path !== plain) tries.push(send(path.replace(/[:*][A-Za-z0-9_]+/g, '%00')), send(path.replace(/[:*][A-Za-z0-9_]+/g, '%ED%A0%80')));
      if (method !== 'get') {
        tries.push(send(plain).set('content-type', 'application/json').send('{"value":"\\ud800"}'));
        tries.push(send(plain).set('content-type', 'application/json').send(JSON.stringify({ value: 'a\u0000' })));
      }
      for (const attempt of tries) {
        const res = await attempt;
        requests += 1;
        expect({ route: `${method} ${path}`, status: res.status, code: res.body?.error?.code }).toEqual({ route: `${method} ${path}`, status: 400, code: 'invalid_request' });
      }
    }
    process.stdout.write(`connector edge walk: ${routes.length} routes, ${requests} requests\n`);
  });
});
