import type { ExecutionContext } from '@nestjs/common';
import { CsrfGuard } from './csrf.guard';

function contextFor(method: string, sessionToken: string | undefined, body: unknown, header?: string, browser: Record<string, string> = {}): ExecutionContext {
  const headers: Record<string, string | undefined> = { ...browser, 'x-csrf-token': header };
  const req = {
    method, path: '/link', body,
    session: sessionToken ? { demo: { csrfToken: sessionToken } } : {},
    header: (name: string) => headers[name.toLowerCase()],
  };
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

describe(CsrfGuard.name, () => {
  const guard = new CsrfGuard(() => 'https://cashless.example');

  it('lets safe methods through', () => {
    expect(guard.canActivate(contextFor('GET', undefined, undefined))).toBe(true);
  });

  it('accepts the session token from the hidden field or the header', () => {
    expect(guard.canActivate(contextFor('POST', 'tok-1', { _csrf: 'tok-1' }))).toBe(true);
    expect(guard.canActivate(contextFor('POST', 'tok-1', {}, 'tok-1'))).toBe(true);
  });

  it('refuses a POST without a session token, without a field, with another token or with the portal\'s field name', () => {
    for (const ctx of [
      contextFor('POST', undefined, { _csrf: 'tok-1' }), contextFor('POST', 'tok-1', {}), contextFor('POST', 'tok-1', { _csrf: 'tok-2' }),
      contextFor('DELETE', 'tok-1', undefined), contextFor('POST', 'tok-1', { csrf: 'tok-1' }), contextFor('POST', 'tok-1', { _csrf: ['tok-1'] }),
    ]) {
      expect(() => guard.canActivate(ctx)).toThrow(expect.objectContaining({ code: 'csrf_invalid' }));
    }
  });

  it('refuses a form sent from another site, even with the session token, and lets its own origin through', () => {
    const senders: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'https://shop.cashless.example', 'sec-fetch-site': 'same-site' }];
    for (const browser of senders) {
      expect(() => guard.canActivate(contextFor('POST', 'tok-1', { _csrf: 'tok-1' }, undefined, browser))).toThrow(expect.objectContaining({ code: 'cross_site_request' }));
    }
    expect(guard.canActivate(contextFor('POST', 'tok-1', { _csrf: 'tok-1' }, undefined, { origin: 'https://cashless.example', 'sec-fetch-site': 'same-origin' }))).toBe(true);
    // Origin: null from a no-referrer page of its own (helmet's default) is judged by the fetch metadata.
    expect(guard.canActivate(contextFor('POST', 'tok-1', { _csrf: 'tok-1' }, undefined, { origin: 'null', 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(guard.canActivate(contextFor('GET', undefined, undefined, undefined, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }))).toBe(true);
  });
});
