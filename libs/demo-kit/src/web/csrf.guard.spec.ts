import type { ExecutionContext } from '@nestjs/common';
import { CsrfGuard, csrfTokenMatches } from './csrf.guard';

function contextFor(method: string, sessionToken: string | undefined, body: unknown, header?: string): ExecutionContext {
  const req = {
    method, path: '/link', body,
    session: sessionToken ? { demo: { csrfToken: sessionToken } } : {},
    header: (name: string) => (name === 'x-csrf-token' ? header : undefined),
  };
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

describe(CsrfGuard.name, () => {
  const guard = new CsrfGuard();

  it('lets safe methods through', () => {
    expect(guard.canActivate(contextFor('GET', undefined, undefined))).toBe(true);
  });

  it('accepts the session token from the hidden field or the header', () => {
    expect(guard.canActivate(contextFor('POST', 'tok-1', { _csrf: 'tok-1' }))).toBe(true);
    expect(guard.canActivate(contextFor('POST', 'tok-1', {}, 'tok-1'))).toBe(true);
  });

  it('refuses a POST without a session token, without a field, or with another token', () => {
    for (const ctx of [contextFor('POST', undefined, { _csrf: 'tok-1' }), contextFor('POST', 'tok-1', {}), contextFor('POST', 'tok-1', { _csrf: 'tok-2' }), contextFor('DELETE', 'tok-1', undefined)]) {
      expect(() => guard.canActivate(ctx)).toThrow(expect.objectContaining({ code: 'csrf_invalid' }));
    }
  });

  it('never matches empty or non-string tokens', () => {
    expect(csrfTokenMatches('', '')).toBe(false);
    expect(csrfTokenMatches('a', ['a'])).toBe(false);
  });
});
