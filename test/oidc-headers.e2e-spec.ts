import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createTestDatabase } from '@tsunagu/testing';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * What the pages and documents under /oidc (oidc-provider's own) send besides their body: the
 * hub's security headers, and URLs built from PUBLIC_URL whatever Host the request names. The hub
 * runs as it does in production behind a TLS proxy: PUBLIC_URL https, TRUST_PROXY on.
 */
describe('Headers and public origin under /oidc (e2e)', () => {
  const PUBLIC_URL = 'https://id.tsunagu.example';
  let hub: AppProcess;

  beforeAll(async () => {
    const port = await freePort();
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL, TRUST_PROXY: 'true',
      DATABASE_URL: await createTestDatabase('oidc_headers'), KEY_ENCRYPTION_KEY: 'f'.repeat(43),
    }, port);
  });
  afterAll(() => hub?.stop());

  interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

  /** A raw HTTP GET (fetch cannot send a Host header of its choosing). */
  function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${hub.url}${path}`, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The hub's headers; `scripts`: the inline scripts the page may run, by hash (none by default). */
  function expectSecurityHeaders(answer: Answer, scripts: string[] = []) {
    const csp = String(answer.headers['content-security-policy']);
    expect(csp.split(';').find((d) => d.startsWith('script-src '))).toBe(["script-src 'self'", ...scripts].join(' '));
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
  }

  it('sends the hub security headers with an authorization error page', async () => {
    const answer = await get('/oidc/auth?client_id=nobody&response_type=code&scope=openid');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('invalid_client');
    expectSecurityHeaders(answer);
  });

  it('sends them with the sign-out page, allowing its one inline script by hash and no other', async () => {
    // Without a session at the hub, end-session answers a self-submitting form (oidc-provider's
    // form_post page); with one, the hub's confirmation page (test/oidc.e2e-spec.ts).
    const answer = await get('/oidc/session/end');
    expect(answer.status).toBe(200);
    const script = /<script>([\s\S]*?)<\/script>/.exec(answer.body)![1];
    const digest = createHash('sha256').update(script).digest('base64');
    expectSecurityHeaders(answer, [`'sha256-${digest}'`]);
  });

  it('sends them with discovery and JWKS, which may be cached for a short while', async () => {
    for (const path of ['/oidc/.well-known/openid-configuration', '/oidc/jwks']) {
      const answer = await get(path);
      expect(answer.status).toBe(200);
      expectSecurityHeaders(answer);
      expect(answer.headers['cache-control']).toBe('public, max-age=300');
    }
  });

  it('builds discovery from PUBLIC_URL, whatever Host or X-Forwarded-Host the request names', async () => {
    const honest = JSON.parse((await get('/oidc/.well-known/openid-configuration')).body);
    expect(honest.issuer).toBe(`${PUBLIC_URL}/oidc`);
    expect(honest.token_endpoint).toBe(`${PUBLIC_URL}/oidc/token`);
    expect(honest.jwks_uri).toBe(`${PUBLIC_URL}/oidc/jwks`);
    const forgeries: Record<string, string>[] = [
      { host: 'evil.example' },
      { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      { host: 'evil.example', forwarded: 'host=evil.example;proto=http' },
    ];
    for (const forged of forgeries) {
      const answer = await get('/oidc/.well-known/openid-configuration', forged);
      expect(answer.status).toBe(200);
      expect(answer.body).not.toContain('evil.example');
      expect(JSON.parse(answer.body)).toEqual(honest);
    }
  });
});
