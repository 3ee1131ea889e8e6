import type { ArgumentsHost } from '@nestjs/common';
import { DomainException } from '@tsunagu/common';
import { ErrorReason } from '@tsunagu/contracts';
import { AccountPageFilter, PortalPageFilter, SignInCallbackFilter } from './portal-page.filter';
import { PortalException } from './portal.exception';

interface Written { status?: number; location?: string; body?: string; json?: unknown; headers: Record<string, string>; cleared: string[] }

function hostFor(method: string, url: string): { host: ArgumentsHost; written: Written } {
  const written: Written = { headers: {}, cleared: [] };
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => void (written.headers[name] = value),
    clearCookie: (name: string) => void written.cleared.push(name),
    redirect: (status: number, location: string) => void Object.assign(written, { status, location }),
    status(status: number) { written.status = status; return this; },
    type() { return this; },
    send: (body: string) => void (written.body = body),
    json: (body: unknown) => void (written.json = body),
  };
  const req = { method, originalUrl: url, path: url.split('?')[0], query: {}, cookies: {} };
  return { host: { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost, written };
}

const signedOut = () => new PortalException('not_signed_in', { ja: 'ログインしてください。', en: 'Please sign in.' });

describe(PortalPageFilter.name, () => {
  it('sends a signed-out visitor to sign in and back to the page (after a post: the account page)', () => {
    const get = hostFor('GET', '/portal/consents?x=1');
    new PortalPageFilter().catch(signedOut(), get.host);
    expect(get.written).toMatchObject({ status: 303, location: '/account/login?next=%2Fportal%2Fconsents%3Fx%3D1' });
    const post = hostFor('POST', '/portal/links/1/delete');
    new PortalPageFilter().catch(signedOut(), post.host);
    expect(post.written.location).toBe('/account/login?next=%2Faccount');
  });

  it('explains any other error on an uncached page, with the way back to the form', () => {
    const { host, written } = hostFor('POST', '/portal/links/abc/delete');
    new PortalPageFilter().catch(new DomainException('link_not_found', ErrorReason.NotFound, { ja: '連携が見つかりません。', en: 'No such link.' }), host);
    expect(written).toMatchObject({ status: 404, headers: { 'cache-control': 'no-store' } });
    expect(written.body).toContain('連携が見つかりません。');
    expect(written.body).toContain('href="/portal/links"');
  });
});

describe(AccountPageFilter.name, () => {
  it('sends a signed-out visitor of an account page to plain sign-in', () => {
    const { host, written } = hostFor('GET', '/account/verify');
    new AccountPageFilter().catch(signedOut(), host);
    expect(written).toMatchObject({ status: 303, location: '/account/login' });
  });

  it('leads back to the account page after a refused unlink', () => {
    const { host, written } = hostFor('POST', '/account/links/abc/delete');
    new AccountPageFilter().catch(new PortalException('csrf_invalid', { ja: '不正なリクエストです。', en: 'Forged.' }), host);
    expect(written.status).toBe(403);
    expect(written.body).toContain('href="/account"');
  });
});

describe(SignInCallbackFilter.name, () => {
  it('uses up the sign-in cookie even when the callback fails, and explains it on a page that offers sign-in again', () => {
    const { host, written } = hostFor('GET', '/account/callback?code=x&state=y');
    new SignInCallbackFilter().catch(new PortalException('sign_in_failed'), host);
    expect(written).toMatchObject({ status: 400, cleared: ['portal_auth'], headers: { 'cache-control': 'no-store' } });
    expect(written.body).toContain('ログインを完了できませんでした');
    expect(written.body).toContain('href="/account/login"');
  });
});
