import { DemoRuntime, type DemoSettings } from '../demo-settings';
import { startDiscoveryDocumentServer, type DiscoveryDocumentServer } from '../testing/discovery-document.server';
import { FakeHub } from '../testing/fake-hub';
import { OidcRelyingParty, SignInDeclined } from './oidc-relying-party';

function settingsFor(hubUrl: string): DemoSettings {
  return {
    serviceName: 'demo-cashless', nodeEnv: 'test', host: '127.0.0.1', port: 3101, publicUrl: 'http://localhost:3101',
    hubUrl, clientId: 'demo-cashless', clientSecret: 'demo-cashless-secret', sessionSecret: 'x'.repeat(32),
    store: 'memory', dataDir: '', trustProxy: false,
  };
}
const clock = { now: () => new Date() };

describe(OidcRelyingParty.name, () => {
  describe('against a discovery document only', () => {
    let server: DiscoveryDocumentServer;
    beforeAll(async () => {
      server = await startDiscoveryDocumentServer();
    });
    afterAll(() => server.close());

    it('builds the authorization request with PKCE S256, state, nonce and the registered redirect URI', async () => {
      const rp = new OidcRelyingParty(new DemoRuntime(settingsFor(server.hubUrl)), clock);
      const { url, pending } = await rp.beginLogin('en');
      expect(`${url.origin}${url.pathname}`).toBe(`${server.issuer}/auth`);
      const p = url.searchParams;
      expect(p.get('client_id')).toBe('demo-cashless');
      expect(p.get('response_type')).toBe('code');
      expect(p.get('redirect_uri')).toBe('http://localhost:3101/auth/callback');
      expect(p.get('scope')).toBe('openid profile');
      expect(p.get('code_challenge_method')).toBe('S256');
      expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(p.get('code_challenge')).not.toBe(pending.codeVerifier);
      expect(p.get('state')).toBe(pending.state);
      expect(p.get('nonce')).toBe(pending.nonce);
      expect(p.get('ui_locales')).toBe('en');
    });

    it('discovers again on the next sign-in after the hub was not ready', async () => {
      server.available = false;
      const rp = new OidcRelyingParty(new DemoRuntime(settingsFor(server.hubUrl)), clock);
      await expect(rp.beginLogin('ja')).rejects.toMatchObject({ code: 'hub_unavailable' });
      server.available = true;
      await expect(rp.beginLogin('ja')).resolves.toHaveProperty('url');
    });

    it('fails with hub_unavailable when nothing listens at the hub address', async () => {
      const rp = new OidcRelyingParty(new DemoRuntime(settingsFor('http://127.0.0.1:9')), clock);
      await expect(rp.beginLogin('ja')).rejects.toMatchObject({ code: 'hub_unavailable' });
    });

    it('builds the RP-initiated logout URL with the ID token hint and the post-logout redirect', async () => {
      const rp = new OidcRelyingParty(new DemoRuntime(settingsFor(server.hubUrl)), clock);
      const url = new URL((await rp.endSessionUrl('id.token.hint', 'ja')) as string);
      expect(`${url.origin}${url.pathname}`).toBe(`${server.issuer}/session/end`);
      expect(url.searchParams.get('id_token_hint')).toBe('id.token.hint');
      expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:3101/');
      expect(url.searchParams.get('client_id')).toBe('demo-cashless');
    });
  });

  describe('against a fake hub', () => {
    let hub: FakeHub;
    let rp: OidcRelyingParty;
    beforeAll(async () => {
      hub = await FakeHub.start([{ clientId: 'demo-cashless', clientSecret: 'demo-cashless-secret' }]);
      rp = new OidcRelyingParty(new DemoRuntime(settingsFor(hub.url)), clock);
    });
    afterAll(() => hub.close());
    beforeEach(() => {
      hub.refuseWith = undefined;
    });

    async function authorize(url: URL): Promise<string> {
      const answer = await fetch(url, { redirect: 'manual' });
      return new URL(answer.headers.get('location') as string).search;
    }

    it('exchanges the code and returns the pairwise subject, name, acr and amr', async () => {
      const { url, pending } = await rp.beginLogin('ja');
      const resident = await rp.completeLogin(await authorize(url), pending);
      expect(resident).toMatchObject({
        sub: hub.pairwiseSub('demo-cashless', 'resident-1'), name: '鳥取 太郎', acr: 'urn:tsunagu:loa:2', amr: ['pwd'],
      });
      expect(resident.idToken.split('.')).toHaveLength(3);
      expect(resident.accessToken).toBeTruthy();
    });

    it('refuses a callback whose state is not the one it sent', async () => {
      const first = await rp.beginLogin('ja');
      const second = await rp.beginLogin('ja');
      await expect(rp.completeLogin(await authorize(first.url), second.pending)).rejects.toMatchObject({ code: 'login_failed' });
    });

    it('refuses a callback without a pending sign-in, or an expired one', async () => {
      const { url, pending } = await rp.beginLogin('ja');
      const query = await authorize(url);
      await expect(rp.completeLogin(query, undefined)).rejects.toMatchObject({ code: 'login_failed' });
      await expect(rp.completeLogin(query, { ...pending, startedAt: Date.now() - 11 * 60_000 })).rejects.toMatchObject({ code: 'login_failed' });
    });

    it('tells a sign-in the resident declined at the hub (access_denied) apart from a refusal', async () => {
      hub.refuseWith = 'access_denied';
      const declined = await rp.beginLogin('ja');
      await expect(rp.completeLogin(await authorize(declined.url), declined.pending)).rejects.toBeInstanceOf(SignInDeclined);
      hub.refuseWith = 'unmet_authentication_requirements';
      const unverified = await rp.beginLogin('ja');
      await expect(rp.completeLogin(await authorize(unverified.url), unverified.pending)).rejects.toMatchObject({ name: 'SignInDeclined', reason: 'verification_required' });
      hub.refuseWith = 'login_required';
      const refused = await rp.beginLogin('ja');
      await expect(rp.completeLogin(await authorize(refused.url), refused.pending)).rejects.toMatchObject({ code: 'login_cancelled' });
    });

    it('does not take an access_denied answer with another sign-in\'s state for a decline', async () => {
      hub.refuseWith = 'access_denied';
      const first = await rp.beginLogin('ja');
      const second = await rp.beginLogin('ja');
      await expect(rp.completeLogin(await authorize(first.url), second.pending)).rejects.toMatchObject({ code: 'login_failed' });
    });
  });
});
