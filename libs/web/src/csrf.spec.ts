import { createHmac } from 'node:crypto';
import { ADMIN_CSRF_HEADER, PORTAL_CSRF_HEADER } from '@tsunagu/contracts';
import { CSRF_HEADER, csrfRequired, csrfTokenMatches, deriveCsrfToken, submittedCsrfToken } from './csrf';

function request(body: unknown, headers: Record<string, string> = {}) {
  return { body, header: (name: string) => headers[name.toLowerCase()] } as Parameters<typeof submittedCsrfToken>[0];
}

describe('csrf', () => {
  describe(deriveCsrfToken.name, () => {
    it('is the base64url HMAC-SHA256 of the binding: the same for one session, another for the next or under another key', () => {
      const token = deriveCsrfToken('key-1', 'session:a');
      expect(token).toBe(createHmac('sha256', 'key-1').update('session:a').digest('base64url'));
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(deriveCsrfToken('key-1', 'session:a')).toBe(token);
      expect(deriveCsrfToken('key-1', 'session:b')).not.toBe(token);
      expect(deriveCsrfToken('key-2', 'session:a')).not.toBe(token);
      expect(deriveCsrfToken(Buffer.from('key-1'), 'session:a')).toBe(token);
    });
  });

  describe(csrfTokenMatches.name, () => {
    it('matches the expected token only', () => {
      const token = deriveCsrfToken('k', 'uid-1');
      expect(csrfTokenMatches(token, token)).toBe(true);
      expect(csrfTokenMatches(token, deriveCsrfToken('k', 'uid-2'))).toBe(false);
      expect(csrfTokenMatches(token, token.slice(0, -1))).toBe(false);
      expect(csrfTokenMatches(token, `${token}x`)).toBe(false);
      expect(csrfTokenMatches(token, token.toUpperCase())).toBe(false);
    });

    it('never matches a missing, empty or non-string token', () => {
      expect(csrfTokenMatches(undefined, 'a')).toBe(false);
      expect(csrfTokenMatches('', '')).toBe(false);
      expect(csrfTokenMatches('a', '')).toBe(false);
      expect(csrfTokenMatches('a', undefined)).toBe(false);
      expect(csrfTokenMatches('a', ['a'])).toBe(false);
      expect(csrfTokenMatches('a', { toString: () => 'a' })).toBe(false);
    });
  });

  describe(submittedCsrfToken.name, () => {
    it('reads the x-csrf-token header, else the form field', () => {
      expect(submittedCsrfToken(request({ csrf: 'field' }, { 'x-csrf-token': 'header' }))).toBe('header');
      expect(submittedCsrfToken(request({ csrf: 'field' }))).toBe('field');
      expect(submittedCsrfToken(request({ _csrf: 'demo' }), '_csrf')).toBe('demo');
      expect(submittedCsrfToken(request({ _csrf: 'demo' }))).toBeUndefined();
      expect(submittedCsrfToken(request(undefined))).toBeUndefined();
      expect(submittedCsrfToken(request('csrf=raw'))).toBeUndefined();
    });

    it('is the header the portal and admin contracts publish', () => {
      expect([PORTAL_CSRF_HEADER, ADMIN_CSRF_HEADER]).toEqual([CSRF_HEADER, CSRF_HEADER]);
    });
  });

  describe(csrfRequired.name, () => {
    it('exempts only GET, HEAD and OPTIONS', () => {
      expect(['GET', 'HEAD', 'OPTIONS', 'get'].map(csrfRequired)).toEqual([false, false, false, false]);
      expect(['POST', 'PUT', 'PATCH', 'DELETE', 'PROPFIND'].map(csrfRequired)).toEqual([true, true, true, true, true]);
    });
  });
});
