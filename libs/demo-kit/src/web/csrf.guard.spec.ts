import type { ExecutionContext } from '@nestjs/common';
import { CsrfGuard } from './csrf.guard';

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

  it('refuses a POST without a session token, without a field, with another token or with the portal\'s field name', () => {
    for (const ctx of [
      contextFor('POST', undefined, { _csrf: 'tok-1' }), contextFor('POST', 'tok-1', {}), contextFor('POST', 'tok-1', { _csrf: 'tok-2' }),
      contextFor('DELETE', 'tok-1', undefined), contextFor('POST', 'tok-1', { csrf: 'tok-1' }), contextFor('POST', 'tok-1', { _csrf: ['tok-1'] }),
    ]) {
      expect(() => guard.canActivate(ctx)).toThrow(expect.objectContaining({ code: 'csrf_invalid' }));
    }
  });
});
