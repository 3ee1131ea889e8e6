import { normalizeCardAppInput } from './card-app-input';
import { JpkiException } from './jpki.exception';

describe(normalizeCardAppInput.name, () => {
  const der = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
  const b64 = der.toString('base64');
  const request = (certificate: string, signature = 'c2ln') => ({ challengeId: '00000000-0000-4000-8000-000000000000', algorithm: 'RS256', certificate, signature });
  const lines = (text: string, width: number, sep: string) => text.match(new RegExp(`.{1,${width}}`, 'g'))!.join(sep);

  it('reduces base64 with line breaks, PEM and base64url to what the verifier reads', () => {
    expect(normalizeCardAppInput(request(lines(b64, 76, '\r\n'))).certificate).toBe(b64);
    expect(normalizeCardAppInput(request(`-----BEGIN CERTIFICATE-----\n${lines(b64, 64, '\n')}\n-----END CERTIFICATE-----\n`)).certificate).toBe(b64);
    expect(normalizeCardAppInput(request(der.toString('base64url'))).certificate).toBe(der.toString('base64url'));
    expect(normalizeCardAppInput(request(b64, 'c2\r\nln\n')).signature).toBe('c2ln');
  });

  it('refuses two PEM blocks, another block type and spaces inside a PEM line', () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----`;
    for (const certificate of [`${pem}\n${pem}`, pem.replace(/CERTIFICATE/g, 'PRIVATE KEY'), pem.replace(b64, `${b64.slice(0, 10)} ${b64.slice(10)}`)]) {
      expect(() => normalizeCardAppInput(request(certificate))).toThrow(expect.objectContaining({ code: 'jpki_malformed_certificate' }) as JpkiException);
    }
  });
});
