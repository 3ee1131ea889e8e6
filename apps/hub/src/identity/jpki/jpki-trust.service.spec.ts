import { JpkiTrustService, ocspResponderUrl } from './jpki-trust.service';

describe(JpkiTrustService.name, () => {
  describe(ocspResponderUrl.name, () => {
    const named = { urls: ['http://ocsp.ca.example/ocsp'] };
    const none = { urls: [] };

    it('asks the responder the certificate names, JPKI_OCSP_URL being the fallback', () => {
      const config = { JPKI_OCSP_URL: 'https://operator.example/ocsp', JPKI_OCSP_URL_OVERRIDE: false };
      expect(ocspResponderUrl(named, config)).toBe('http://ocsp.ca.example/ocsp');
      expect(ocspResponderUrl(none, config)).toBe('https://operator.example/ocsp');
    });

    it('asks JPKI_OCSP_URL for every certificate when it overrides (a platform operator\'s responder)', () => {
      expect(ocspResponderUrl(named, { JPKI_OCSP_URL: 'https://operator.example/ocsp', JPKI_OCSP_URL_OVERRIDE: true })).toBe('https://operator.example/ocsp');
    });

    it('has none when the certificate names none and nothing is configured (the OCSP client then fails closed)', () => {
      expect(ocspResponderUrl(none, { JPKI_OCSP_URL_OVERRIDE: false })).toBeUndefined();
      expect(ocspResponderUrl({ urls: ['ftp://ocsp.ca.example/'] }, { JPKI_OCSP_URL_OVERRIDE: false })).toBeUndefined();
    });
  });
});
