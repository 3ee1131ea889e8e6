import { providerFetch } from './oidc-provider.factory';

describe(providerFetch.name, () => {
  const realFetch = globalThis.fetch;
  let seen: RequestInit | undefined;
  beforeEach(() => {
    globalThis.fetch = (async (_input: unknown, init?: RequestInit) => {
      seen = init;
      return new Response(null, { status: 200 });
    }) as typeof fetch;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
  });
  const guarded = { method: 'POST', dispatcher: 'ssrf-guard' } as RequestInit & { dispatcher: string };

  it('keeps oidc-provider\'s SSRF guard in production, even for loopback', async () => {
    await providerFetch(true)('http://127.0.0.1:3101/auth/backchannel-logout', guarded);
    expect(seen).toMatchObject({ dispatcher: 'ssrf-guard' });
  });

  it('keeps the guard outside production for every host that is not loopback', async () => {
    await providerFetch(false)('https://10.0.0.5/bc', guarded);
    expect(seen).toMatchObject({ dispatcher: 'ssrf-guard' });
  });

  it('lifts it outside production for loopback only', async () => {
    for (const url of ['http://127.0.0.1:3101/bc', 'http://localhost:3102/bc', 'http://[::1]:3103/bc']) {
      await providerFetch(false)(url, guarded);
      expect(seen).toEqual({ method: 'POST' });
    }
  });
});
