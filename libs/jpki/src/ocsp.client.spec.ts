import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicOCSPResponse, OCSPRequest, OCSPResponse, OCSPResponseStatus } from '@peculiar/asn1-ocsp';
import { CrlRevocationSource, CrlStore } from './crl.store';
import { parseCertificateDer } from './jpki-certificate.parser';
import { JpkiError, type JpkiErrorCode } from './jpki.error';
import { JpkiVerifier } from './jpki.verifier';
import { OcspClient, type OcspClientOptions, type OcspTarget } from './ocsp.client';
import type { CertificateIdentity } from './revocation.source';
import { generateTestCa, issueTestCard, issueTestCrl, issueTestOcspResponder, type TestCa, type TestCertificate } from './testing/test-ca';
import type { TestOcspOptions } from './testing/test-ocsp.responder';

const NOW = new Date('2026-04-01T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function codeOf(promise: Promise<unknown>): Promise<JpkiErrorCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    if (error instanceof JpkiError) return error.code;
    throw error;
  }
}

describe(OcspClient.name, () => {
  let ca: TestCa;
  let valid: CertificateIdentity;
  let revoked: CertificateIdentity;
  let previous: CertificateIdentity;

  const client = (responder: TestOcspOptions = {}, options: Partial<OcspClientOptions> = {}) => new OcspClient({
    issuers: ca.trustAnchors,
    transport: async (request) => ca.ocsp(request, responder),
    ...options,
  });
  const verifierWith = (ocsp: OcspClient) => new JpkiVerifier({ trustAnchors: ca.trustAnchors, revocation: ocsp, now: () => NOW });

  beforeAll(async () => {
    ca = await generateTestCa({ now: NOW });
    const identity = (kind: 'valid' | 'revoked' | 'previousGeneration', issuer = ca.signingCa): CertificateIdentity => ({
      issuer: issuer.subject, serialNumber: ca.residents[kind].serialNumber,
      issuerSpkiSha256: parseCertificateDer(issuer.der).spkiSha256,
    });
    valid = identity('valid');
    revoked = identity('revoked');
    previous = identity('previousGeneration', ca.previousRoot);
  });

  it('writes requests and the test responder writes responses that an independent RFC 6960 parser (@peculiar/asn1-ocsp) reads the same way', () => {
    const request = client().buildRequest(revoked);
    const asnRequest = AsnConvert.parse(request.der, OCSPRequest);
    const [one] = asnRequest.tbsRequest.requestList;
    expect(Buffer.from(one.reqCert.serialNumber).toString('hex').replace(/^(00)+/, '')).toBe(ca.residents.revoked.serialNumber);
    expect(Buffer.from(one.reqCert.issuerKeyHash.buffer).toString('hex')).toBe(request.certId.issuerKeyHash);
    const nonce = asnRequest.tbsRequest.requestExtensions!.find((e) => e.extnID === '1.3.6.1.5.5.7.48.1.2')!;
    expect(Buffer.from(nonce.extnValue.buffer).subarray(2)).toEqual(Buffer.from(request.nonce!));

    const response = AsnConvert.parse(ca.ocsp(request.der), OCSPResponse);
    expect(response.responseStatus).toBe(OCSPResponseStatus.successful);
    const basic = AsnConvert.parse(response.responseBytes!.response.buffer, BasicOCSPResponse);
    const [single] = basic.tbsResponseData.responses;
    expect(single.certStatus.revoked).toBeDefined();
    expect((single.certStatus.revoked!.revocationReason as unknown as { reason: number }).reason).toBe(3); // affiliationChanged
    expect(basic.certs).toHaveLength(1);
    expect(Buffer.from(AsnConvert.serialize(basic.certs![0]))).toEqual(Buffer.from(ca.ocspResponder.der));
  });

  it('answers good for a valid certificate, with a delegated responder (id-kp-OCSPSigning, issued by the CA)', async () => {
    const status = await client().status(valid, NOW);

    expect(status).toMatchObject({ status: 'good', source: 'ocsp' });
    expect(status.nextUpdate!.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it('answers revoked with the reason and time', async () => {
    expect(await client().status(revoked, NOW)).toMatchObject({ status: 'revoked', reason: 'affiliationChanged' });
  });

  it('accepts a response signed by the CA itself (the previous root generation answers for its certificates)', async () => {
    expect(await client().status(previous, NOW)).toMatchObject({ status: 'good' });
    expect(await client({ signer: 'ca' }).status(valid, NOW)).toMatchObject({ status: 'good' });
  });

  it('accepts a responder named by key hash', async () => {
    expect(await client({ responderIdByKey: true }).status(valid, NOW)).toMatchObject({ status: 'good' });
  });

  it('returns unknown for a serial the CA never issued', async () => {
    expect(await client().status({ ...valid, serialNumber: '0badc0ffee' }, NOW)).toMatchObject({ status: 'unknown' });
  });

  it('accepts a response dated within the allowed clock skew', async () => {
    expect(await client({ thisUpdate: new Date(NOW.getTime() + 2 * MINUTE), producedAt: new Date(NOW.getTime() + 2 * MINUTE) })
      .status(valid, NOW)).toMatchObject({ status: 'good' });
  });

  const refusals: [string, TestOcspOptions, JpkiErrorCode][] = [
    ['an unsigned response', { unsigned: true }, 'jpki_ocsp_unsigned'],
    ['a response whose signature was altered', { corruptSignature: true }, 'jpki_ocsp_unsigned'],
    ['a responder certificate issued by another CA', { signer: 'foreign' as never }, 'jpki_ocsp_unauthorized_responder'],
    ['a responder certificate without id-kp-OCSPSigning', { signer: 'noEku' as never }, 'jpki_ocsp_unauthorized_responder'],
    ['a response whose nextUpdate has passed', { thisUpdate: new Date(NOW.getTime() - 3 * HOUR), nextUpdate: new Date(NOW.getTime() - HOUR) }, 'jpki_ocsp_stale'],
    ['a response from the future', { thisUpdate: new Date(NOW.getTime() + HOUR) }, 'jpki_ocsp_stale'],
    ['a response produced in the future', { producedAt: new Date(NOW.getTime() + HOUR) }, 'jpki_ocsp_stale'],
    ['an old response without nextUpdate', { thisUpdate: new Date(NOW.getTime() - 2 * HOUR), nextUpdate: null }, 'jpki_ocsp_stale'],
    ['a response for another serial', { serialNumber: '0123456789abcdef' }, 'jpki_ocsp_wrong_certificate'],
    ['a response without the nonce', { nonce: 'omit' }, 'jpki_ocsp_invalid'],
    ['a response with another nonce (replayed)', { nonce: new Uint8Array(32).fill(7) }, 'jpki_ocsp_invalid'],
    ['responseStatus tryLater', { responseStatus: 3 }, 'jpki_ocsp_unavailable'],
    ['responseStatus unauthorized', { responseStatus: 6 }, 'jpki_ocsp_unavailable'],
  ];
  it.each(refusals)('refuses %s', async (_label, options, code) => {
    const resolved: TestOcspOptions = (options.signer as unknown) === 'foreign' ? { ...options, signer: ca.unauthorisedResponders.foreignIssuer }
      : (options.signer as unknown) === 'noEku' ? { ...options, signer: ca.unauthorisedResponders.noOcspSigning } : options;

    expect(await codeOf(client(resolved).status(valid, NOW))).toBe(code);
  });

  it('refuses a response signed by the other root generation (same DN, named by key) as unauthorised', async () => {
    expect(await codeOf(client({ signer: ca.previousRoot, responderIdByKey: true }).status(valid, NOW))).toBe('jpki_ocsp_unauthorized_responder');
  });

  it('refuses a responder certificate that has expired', async () => {
    const later = new Date(ca.ocspResponder.notAfter.getTime() + HOUR);
    const c = client({ thisUpdate: new Date(later.getTime() - MINUTE), producedAt: later });

    expect(await codeOf(c.status(valid, later))).toBe('jpki_ocsp_unauthorized_responder');
  });

  it('refuses garbage, an empty answer and a truncated one as invalid', async () => {
    const good = ca.ocsp(client().buildRequest(valid).der);
    for (const bytes of [Buffer.from('not ocsp'), new Uint8Array(0), good.subarray(0, good.length - 3)]) {
      const c = new OcspClient({ issuers: ca.trustAnchors, transport: async () => bytes });
      expect(await codeOf(c.status(valid, NOW))).toBe('jpki_ocsp_invalid');
    }
  });

  it('fails closed when the transport fails', async () => {
    const c = new OcspClient({ issuers: ca.trustAnchors, transport: async () => { throw new Error('ECONNREFUSED'); } });

    expect(await codeOf(c.status(valid, NOW))).toBe('jpki_ocsp_unavailable');
  });

  it('throws only JpkiError for randomly corrupted responses', async () => {
    const request = client().buildRequest(valid);
    const good = ca.ocsp(request.der);
    const c = client();
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.from(good);
      const position = (i * 7919) % bytes.length;
      bytes[position] = (bytes[position] + 1 + (i % 255)) & 0xff;
      let outcome: unknown;
      try {
        outcome = await c.verifyResponse(bytes, request, NOW);
      } catch (e) {
        outcome = e;
      }
      // A flip inside the signature or a time field is refused; a flip that leaves a valid
      // signed answer cannot exist (the signature covers everything that matters).
      if (!(outcome instanceof JpkiError)) expect(outcome).toMatchObject({ status: 'good' });
    }
  });

  describe('a delegated responder\'s own revocation (RFC 6960 §4.2.2.2.1)', () => {
    let checked: TestCertificate;
    /** The CA's full CRL (the responder certificate names no distribution point), listing `revoked`. */
    const crlsListing = async (revoked: string[], nextUpdate = new Date(NOW.getTime() + HOUR)) => {
      const store = new CrlStore({ issuers: ca.trustAnchors });
      await store.load((await issueTestCrl(ca.signingCa, { thisUpdate: new Date(NOW.getTime() - HOUR), nextUpdate, revoked })).der);
      return new CrlRevocationSource(store);
    };
    beforeAll(async () => {
      checked = await issueTestOcspResponder(ca.signingCa, NOW, { noCheck: false });
    });

    it('asks nothing more of a responder certificate with id-pkix-ocsp-nocheck', async () => {
      const failing = { status: async () => { throw new JpkiError('jpki_crl_unavailable'); } };
      expect(parseCertificateDer(ca.ocspResponder.der).extensions.map((e) => e.oid)).toContain('1.3.6.1.5.5.7.48.1.5');
      expect(await client({}, { responderRevocation: failing }).status(valid, NOW)).toMatchObject({ status: 'good' });
    });

    it('refuses a responder without it when nothing is configured to check it (fails closed)', async () => {
      expect(await codeOf(client({ signer: checked }).status(valid, NOW))).toBe('jpki_ocsp_responder_unchecked');
    });

    it('accepts it when the CA\'s CRL does not list it, and asks the CRL again only after the reuse period', async () => {
      const store = await crlsListing([]);
      const asked: string[] = [];
      const source = { status: (id: CertificateIdentity, at: Date) => { asked.push(id.serialNumber); return store.status(id, at); } };
      const c = client({ signer: checked }, { responderRevocation: source, responderCheckMaxAgeMs: 10 * MINUTE });
      expect(await c.status(valid, NOW)).toMatchObject({ status: 'good' });
      expect(await c.status(revoked, NOW)).toMatchObject({ status: 'revoked' });
      expect(asked).toEqual([checked.serialNumber]);
      expect(await c.status(valid, new Date(NOW.getTime() + 11 * MINUTE))).toMatchObject({ status: 'good' });
      expect(asked).toHaveLength(2);
    });

    it('refuses it when the CA\'s CRL lists it (jpki_ocsp_responder_revoked), and when the check cannot be made', async () => {
      const revokedStore = await crlsListing([checked.serialNumber]);
      expect(await codeOf(client({ signer: checked }, { responderRevocation: revokedStore }).status(valid, NOW))).toBe('jpki_ocsp_responder_revoked');
      const staleStore = await crlsListing([], new Date(NOW.getTime() - MINUTE));
      expect(await codeOf(client({ signer: checked }, { responderRevocation: staleStore }).status(valid, NOW))).toBe('jpki_ocsp_responder_unchecked');
      const unknown = { status: async () => ({ status: 'unknown' as const, thisUpdate: NOW, source: 'test' }) };
      expect(await codeOf(client({ signer: checked }, { responderRevocation: unknown }).status(valid, NOW))).toBe('jpki_ocsp_responder_unchecked');
    });
  });

  describe('the responder the certificate names (authorityInfoAccess id-ad-ocsp)', () => {
    const card = (ocspUrl?: string) => issueTestCard(
      ca.signingCa, { name: '因幡　白兎', gender: '1', dateOfBirth: '319900101', address: '鳥取県鳥取市テスト町一番地' }, NOW, { ocspUrl },
    );
    const recording = () => {
      const targets: OcspTarget[] = [];
      const ocsp = new OcspClient({ issuers: ca.trustAnchors, transport: async (request, target) => { targets.push(target); return ca.ocsp(request, { status: 'good' }); } });
      return { targets, verifier: verifierWith(ocsp) };
    };

    it('hands the transport the http(s) responder the certificate names, and reports it', async () => {
      const { targets, verifier } = recording();
      const result = await verifier.verifyCertificate((await card('http://ocsp.jpki-test.invalid/ocsp')).der);
      expect(result.ocspUrls).toEqual(['http://ocsp.jpki-test.invalid/ocsp']);
      expect(targets).toEqual([{ urls: ['http://ocsp.jpki-test.invalid/ocsp'] }]);
    });

    it('hands it none for a certificate without authorityInfoAccess, or with a responder that is not http(s)', async () => {
      const { targets, verifier } = recording();
      expect((await verifier.verifyCertificate((await card()).der)).ocspUrls).toEqual([]);
      expect((await verifier.verifyCertificate((await card('ldap://ocsp.jpki-test.invalid/cn=ocsp')).der)).ocspUrls).toEqual([]);
      expect(targets).toEqual([{ urls: [] }, { urls: [] }]);
    });
  });

  describe('as the verifier\'s revocation source', () => {
    it('verifies a card through OCSP, without any CRL', async () => {
      const result = await verifierWith(client()).verifyCertificate(ca.residents.valid.der);

      expect(result.revocation).toMatchObject({ status: 'good', source: 'ocsp' });
    });

    it('refuses a revoked card', async () => {
      expect(await codeOf(verifierWith(client()).verifyCertificate(ca.residents.revoked.der))).toBe('jpki_certificate_revoked');
    });

    it('refuses a card the responder does not know (unknown fails closed)', async () => {
      expect(await codeOf(verifierWith(client({ status: 'unknown' })).verifyCertificate(ca.residents.valid.der))).toBe('jpki_ocsp_status_unknown');
    });

    it('refuses when the responder\'s answer is stale', async () => {
      const stale = client({ thisUpdate: new Date(NOW.getTime() - 3 * HOUR), nextUpdate: new Date(NOW.getTime() - HOUR) });

      expect(await codeOf(verifierWith(stale).verifyCertificate(ca.residents.valid.der))).toBe('jpki_ocsp_stale');
    });

    it('verifies a card of the previous root generation (CA-signed answer)', async () => {
      await expect(verifierWith(client()).verifyCertificate(ca.residents.previousGeneration.der)).resolves.toBeDefined();
    });
  });
});
