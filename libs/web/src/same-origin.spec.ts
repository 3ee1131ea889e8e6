import { isCrossSiteRequest, originOf } from './same-origin';

const OWN = originOf('https://id.tottori.example/');

function req(method: string, headers: Record<string, string> = {}) {
  return { method, header: (name: string) => headers[name.toLowerCase()] } as Parameters<typeof isCrossSiteRequest>[0];
}

describe('same-origin', () => {
  describe(originOf.name, () => {
    it('is scheme, lower-case host and a non-default port, without the path', () => {
      expect(originOf('https://ID.Tottori.example:443/base/path?q=1')).toBe('https://id.tottori.example');
      expect(originOf('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    });
  });

  describe(isCrossSiteRequest.name, () => {
    it('lets a same-origin form through (Origin the public origin, fetch metadata same-origin)', () => {
      expect(isCrossSiteRequest(req('POST', { origin: 'https://id.tottori.example', 'sec-fetch-site': 'same-origin' }), OWN)).toBe(false);
      expect(isCrossSiteRequest(req('POST', { origin: 'https://id.tottori.example' }), OWN)).toBe(false);
      expect(isCrossSiteRequest(req('DELETE', { 'sec-fetch-site': 'same-origin' }), OWN)).toBe(false);
    });

    it('refuses a cross-site request, by Origin or by Sec-Fetch-Site', () => {
      expect(isCrossSiteRequest(req('POST', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), OWN)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { origin: 'https://evil.example' }), OWN)).toBe(true);
      expect(isCrossSiteRequest(req('PUT', { 'sec-fetch-site': 'cross-site' }), OWN)).toBe(true);
      // A browser that says cross-site is believed even when the Origin looks right.
      expect(isCrossSiteRequest(req('PATCH', { origin: 'https://id.tottori.example', 'sec-fetch-site': 'cross-site' }), OWN)).toBe(true);
    });

    it('refuses a same-site request from a sibling origin, another scheme or another port', () => {
      expect(isCrossSiteRequest(req('POST', { origin: 'https://shop.tottori.example', 'sec-fetch-site': 'same-site' }), OWN)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { origin: 'http://id.tottori.example' }), OWN)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { origin: 'https://id.tottori.example:8443' }), OWN)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { origin: 'https://id.tottori.example.evil.example' }), OWN)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { origin: 'not a url' }), OWN)).toBe(true);
    });

    it('judges Origin: null (opaque, or a no-referrer page) by the fetch metadata', () => {
      expect(isCrossSiteRequest(req('POST', { origin: 'null', 'sec-fetch-site': 'same-origin' }), OWN)).toBe(false);
      expect(isCrossSiteRequest(req('POST', { origin: 'null', 'sec-fetch-site': 'same-site' }), OWN)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { origin: 'null', 'sec-fetch-site': 'none' }), OWN)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { origin: 'null', 'sec-fetch-site': 'cross-site' }), OWN)).toBe(true);
      // An old browser: nothing to judge by, the form's CSRF token decides.
      expect(isCrossSiteRequest(req('POST', { origin: 'null' }), OWN)).toBe(false);
    });

    it('leaves a request with neither header (a server, an old browser) to the CSRF token', () => {
      expect(isCrossSiteRequest(req('POST'), OWN)).toBe(false);
      expect(isCrossSiteRequest(req('POST', { 'sec-fetch-site': 'same-site' }), OWN)).toBe(false);
    });

    it('compares with the public origin it is given, not the address the request reached (a proxy in front)', () => {
      const behindProxy = originOf('https://id.tottori.example');
      const atProxy = req('POST', { origin: 'https://id.tottori.example', host: '10.0.0.5:3000', 'sec-fetch-site': 'same-origin' });
      expect(isCrossSiteRequest(atProxy, behindProxy)).toBe(false);
      expect(isCrossSiteRequest(req('POST', { origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000' }), behindProxy)).toBe(true);
    });

    it('never judges a safe method', () => {
      for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) {
        expect(isCrossSiteRequest(req(method, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }), OWN)).toBe(false);
      }
    });
  });
});
