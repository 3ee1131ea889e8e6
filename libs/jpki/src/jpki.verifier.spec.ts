import { createSign, randomBytes } from 'node:crypto';
import { CrlStore } from './crl.store';
import { JpkiError, type JpkiErrorCode } from './jpki.error';
import { JpkiVerifier } from './jpki.verifier';
import { generateTestCa, type TestCa, type TestResidentKind } from './testing/test-ca';

const NOW = new Date('2026-04-01T00:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

async function sign(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, data as Uint8Array<ArrayBuffer>));
}

async function codeOf(promise: Promise<unknown>): Promise<JpkiErrorCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    if (error instanceof JpkiError) return error.code;
    throw error;
  }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe(JpkiVerifier.name, () => {
  let ca: TestCa;
  let store: CrlStore;
  let verifier: JpkiVerifier;

  let twoLevel: TestCa;

  beforeAll(async () => {
    [ca, twoLevel] = await Promise.all([generateTestCa({ now: NOW }), generateTestCa({ now: NOW, hierarchy: 'two-level' })]);
    store = new CrlStore({ issuers: [ca.previousRoot.der, ca.signingCa.der] });
    for (const crl of ca.currentCrls) await store.load(crl.der);
    verifier = new JpkiVerifier({
      trustAnchors: ca.trustAnchors, intermediates: ca.intermediates, crlStore: store, now: () => NOW,
    });
  });

  describe('verifyCertificate', () => {
    it('accepts a valid signature certificate and returns its typed basic attributes', async () => {
      const result = await verifier.verifyCertificate(ca.residents.valid.der);

      expect(result.attributes).toEqual({
        name: '髙橋　一郎',
        nameSubstitute: '10000',
        nameHasSubstitutes: true,
        gender: '1',
        dateOfBirth: '1980-04-01',
        dateOfBirthRaw: '319800401',
        address: '鳥取県鳥取市テスト町一丁目１番地',
        addressSubstitute: '0000000000000000',
        addressHasSubstitutes: false,
      });
      expect(result.policy).toBe('1.2.392.200149.8.5.1.1.20');
      expect(result.crlDistributionPoints).toEqual([ca.distributionPoints.tottori]);
      expect(result.issuerSpkiSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(result.revocation).toMatchObject({ status: 'good', source: 'crl' });
      expect(result.serialNumber).toBe(ca.residents.valid.serialNumber);
      expect(result.serialNumber).toMatch(/^[0-9a-f]+$/);
      expect(result.issuer).toBe(
        'C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems',
      );
      expect(result.notBefore).toEqual(ca.residents.valid.notBefore);
      expect(result.notAfter).toEqual(ca.residents.valid.notAfter);
      expect(result.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it('leaves the optional substitute attributes out when the certificate has none', async () => {
      const other = await verifier.verifyCertificate(ca.residents.expired.der, new Date(NOW.getTime() - 365 * DAY));

      expect(other.attributes).not.toHaveProperty('nameSubstitute');
      expect(other.attributes).not.toHaveProperty('addressSubstitute');
      expect(other.attributes.dateOfBirth).toBe('1975-01-15');
    });

    it('accepts the certificate as PEM text, PEM bytes and an ArrayBuffer', async () => {
      const pem = ca.residents.valid.pem;
      const der = ca.residents.valid.der;

      await expect(verifier.verifyCertificate(pem)).resolves.toMatchObject({ serialNumber: ca.residents.valid.serialNumber });
      await expect(verifier.verifyCertificate(Buffer.from(pem))).resolves.toBeDefined();
      await expect(verifier.verifyCertificate(der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer))
        .resolves.toBeDefined();
    });

    it('accepts the signing CA itself as trust anchor, the layout of the production JPKI', async () => {
      const leafOnlyStore = new CrlStore({ issuers: [ca.signingCa.pem] });
      await leafOnlyStore.load(ca.crls.current.der);
      const direct = new JpkiVerifier({ trustAnchors: [ca.signingCa.pem], crlStore: leafOnlyStore, now: () => NOW });

      await expect(direct.verifyCertificate(ca.residents.valid.der)).resolves.toBeDefined();
    });

    it('checks validity at the time given instead of the clock', async () => {
      const aYearAgo = new Date(NOW.getTime() - 365 * DAY);

      await expect(verifier.verifyCertificate(ca.residents.expired.der, aYearAgo)).resolves.toBeDefined();
      expect(await codeOf(verifier.verifyCertificate(ca.residents.valid.der, aYearAgo))).toBe('jpki_certificate_not_yet_valid');
    });

    it('uses the injected clock when no time is given', async () => {
      const later = new JpkiVerifier({
        trustAnchors: ca.trustAnchors, intermediates: ca.intermediates, crlStore: store,
        now: () => new Date(ca.residents.valid.notAfter.getTime() + DAY),
      });

      expect(await codeOf(later.verifyCertificate(ca.residents.valid.der))).toBe('jpki_certificate_expired');
    });

    const refusals: [TestResidentKind, JpkiErrorCode][] = [
      ['expired', 'jpki_certificate_expired'],
      ['notYetValid', 'jpki_certificate_not_yet_valid'],
      ['revoked', 'jpki_certificate_revoked'],
      ['foreignCa', 'jpki_untrusted_chain'],
      ['authenticationPolicy', 'jpki_not_signature_certificate'],
      ['missingAttributes', 'jpki_missing_attributes'],
      ['wrongKeyUsage', 'jpki_wrong_key_usage'],
      ['sha1Signature', 'jpki_unsupported_algorithm'],
      ['smallKey', 'jpki_unsupported_algorithm'],
    ];
    it.each(refusals)('refuses the %s certificate with %s', async (kind, code) => {
      const error = await verifier.verifyCertificate(ca.residents[kind].der).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(JpkiError);
      expect((error as JpkiError).code).toBe(code);
      expect((error as JpkiError).messages.ja).toMatch(/[ぁ-んァ-ヶ一-龠]/);
      expect((error as JpkiError).messages.en.length).toBeGreaterThan(10);
    });

    it('refuses a certificate when only an unrelated root is trusted', async () => {
      const other = new JpkiVerifier({ trustAnchors: [ca.foreignRoot.der], crlStore: store, now: () => NOW });

      expect(await codeOf(other.verifyCertificate(ca.residents.valid.der))).toBe('jpki_untrusted_chain');
    });

    it('refuses a certificate whose attributes were altered after signing', async () => {
      const der = Buffer.from(ca.residents.valid.der);
      const at = der.indexOf(Buffer.from('一郎'));
      Buffer.from('二郎').copy(der, at);

      expect(await codeOf(verifier.verifyCertificate(der))).toBe('jpki_untrusted_chain');
    });

    it('refuses a certificate whose signature value was altered', async () => {
      const der = Buffer.from(ca.residents.valid.der);
      der[der.length - 5] ^= 0x01;

      expect(await codeOf(verifier.verifyCertificate(der))).toBe('jpki_untrusted_chain');
    });

    it('refuses a CA certificate presented as a resident certificate, without calling it a user-authentication certificate', async () => {
      const error = await verifier.verifyCertificate(ca.signingCa.der).catch((e: unknown) => e) as JpkiError;

      expect(error.code).toBe('jpki_policy_not_accepted');
      expect(error.messages.ja).not.toContain('利用者証明用');
    });
  });

  describe('the real JPKI profile', () => {
    it('accepts a card made like a real one: class-20 critical policy with CPS, directoryName CRLDP, substitute flags, partitioned CRL', async () => {
      const der = Buffer.from(ca.residents.valid.der);

      expect(der.includes(Buffer.from('jpki-test.invalid/cps.html'))).toBe(true); // the CPS qualifier is there
      await expect(verifier.verifyCertificate(der)).resolves.toMatchObject({ policy: '1.2.392.200149.8.5.1.1.20' });
    });

    it('trusts both root generations under one DN, each with its own CRL', async () => {
      expect(ca.previousRoot.subject).toBe(ca.signingCa.subject);
      expect(ca.intermediates).toHaveLength(0);

      const old = await verifier.verifyCertificate(ca.residents.previousGeneration.der);
      const current = await verifier.verifyCertificate(ca.residents.valid.der);
      expect(old.issuerSpkiSha256).not.toBe(current.issuerSpkiSha256);
    });

    it('needs the CRL of the generation that issued the certificate', async () => {
      const s = new CrlStore({ issuers: [ca.previousRoot.der, ca.signingCa.der] });
      await s.load(ca.crls.current.der);
      const v = new JpkiVerifier({ trustAnchors: ca.trustAnchors, crlStore: s, now: () => NOW });

      expect(await codeOf(v.verifyCertificate(ca.residents.valid.der))).toBe('resolved');
      expect(await codeOf(v.verifyCertificate(ca.residents.previousGeneration.der))).toBe('jpki_crl_unavailable');
    });

    it('accepts the bare signature arc as well as its classes', async () => {
      expect(await codeOf(verifier.verifyCertificate(ca.residents.bareSignaturePolicy.der))).toBe('resolved');
    });

    it('refuses another policy with a code that does not claim it is the user-authentication certificate', async () => {
      const error = await verifier.verifyCertificate(ca.residents.foreignPolicy.der).catch((e: unknown) => e) as JpkiError;

      expect(error.code).toBe('jpki_policy_not_accepted');
      expect(error.messages.ja).not.toContain('利用者証明用');
      expect(error.messages.ja).toContain('署名用電子証明書');
    });

    it('keeps refusing a user-authentication policy with its own code and message', async () => {
      const error = await verifier.verifyCertificate(ca.residents.authenticationPolicy.der).catch((e: unknown) => e) as JpkiError;

      expect(error.code).toBe('jpki_not_signature_certificate');
      expect(error.messages.ja).toContain('利用者証明用');
    });

    it('refuses with jpki_crl_wrong_partition when only another municipality\'s partition is loaded', async () => {
      const s = new CrlStore({ issuers: [ca.signingCa.der] });
      await s.load(ca.crls.otherPartition.der);
      const v = new JpkiVerifier({ trustAnchors: ca.trustAnchors, crlStore: s, now: () => NOW });

      expect(await codeOf(v.verifyCertificate(ca.residents.valid.der))).toBe('jpki_crl_wrong_partition');
      await s.load(ca.crls.current.der);
      expect(await codeOf(v.verifyCertificate(ca.residents.valid.der))).toBe('resolved');
    });

    it('answers from a full CRL when no partition is loaded', async () => {
      const s = new CrlStore({ issuers: [ca.signingCa.der] });
      await s.load(ca.crls.full.der);
      const v = new JpkiVerifier({ trustAnchors: ca.trustAnchors, crlStore: s, now: () => NOW });

      expect(await codeOf(v.verifyCertificate(ca.residents.valid.der))).toBe('resolved');
      expect(await codeOf(v.verifyCertificate(ca.residents.revoked.der))).toBe('jpki_certificate_revoked');
    });

    it('refuses a certificate revoked later, once the new partition is loaded, with the reason in the detail', async () => {
      const later = await generateTestCa({ now: NOW });
      const s = new CrlStore({ issuers: [later.signingCa.der] });
      await s.load(later.crls.current.der);
      const v = new JpkiVerifier({ trustAnchors: later.trustAnchors, crlStore: s, now: () => NOW });
      expect(await codeOf(v.verifyCertificate(later.residents.valid.der))).toBe('resolved');

      later.revoke(later.residents.valid.serialNumber, 'keyCompromise');
      await s.load((await later.issueCrl()).der);

      const error = await v.verifyCertificate(later.residents.valid.der).catch((e: unknown) => e) as JpkiError;
      expect(error.code).toBe('jpki_certificate_revoked');
      expect(error.detail).toContain('keyCompromise');
    }, 30_000);
  });

  describe('malformed input', () => {
    it.each([
      ['random bytes that look like a SEQUENCE', Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), randomBytes(256)])],
      ['an empty buffer', new Uint8Array(0)],
      ['a single byte', new Uint8Array([0x30])],
    ])('refuses %s as malformed', async (_label, bytes) => {
      expect(await codeOf(verifier.verifyCertificate(bytes))).toBe('jpki_malformed_certificate');
    });

    it('refuses truncated DER', async () => {
      const der = ca.residents.valid.der;
      for (const length of [1, 4, 100, der.length - 1]) {
        expect(await codeOf(verifier.verifyCertificate(der.subarray(0, length)))).toBe('jpki_malformed_certificate');
      }
    });

    it('refuses DER followed by trailing bytes', async () => {
      const der = Buffer.concat([ca.residents.valid.der, Buffer.from([0x00, 0x00])]);

      expect(await codeOf(verifier.verifyCertificate(der))).toBe('jpki_malformed_certificate');
    });

    it('refuses BER indefinite-length encoding', async () => {
      const der = Buffer.from(ca.residents.valid.der);
      const ber = Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(4), Buffer.from([0, 0])]);

      expect(await codeOf(verifier.verifyCertificate(ber))).toBe('jpki_malformed_certificate');
    });

    it('refuses oversized input before parsing it', async () => {
      const big = Buffer.alloc(16 * 1024 + 1, 0x30);
      const bigPem = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(60_000)}\n-----END CERTIFICATE-----\n`;

      expect(await codeOf(verifier.verifyCertificate(big))).toBe('jpki_certificate_too_large');
      expect(await codeOf(verifier.verifyCertificate(bigPem))).toBe('jpki_certificate_too_large');
    });

    it('refuses PEM garbage', async () => {
      const body = Buffer.from(ca.residents.valid.der).toString('base64');
      const block = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
      const garbage = [
        'hello',
        '',
        body, // bare base64 is not PEM
        '-----BEGIN CERTIFICATE-----\n!!!notbase64!!!\n-----END CERTIFICATE-----\n',
        `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`,
        `${block}${block}`,
        `Subject: someone\n${block}`,
        `-----BEGIN CERTIFICATE-----\n${body}A\n-----END CERTIFICATE-----\n`,
        `-----BEGIN CERTIFICATE-----\n${Buffer.from('not a certificate at all').toString('base64')}\n-----END CERTIFICATE-----\n`,
      ];
      for (const text of garbage) {
        expect(await codeOf(verifier.verifyCertificate(text))).toBe('jpki_malformed_certificate');
      }
      expect(await codeOf(verifier.verifyCertificate(block))).toBe('resolved');
    });

    it('refuses input that is neither bytes nor text', async () => {
      for (const value of [undefined, null, 42, {}, [0x30]]) {
        expect(await codeOf(verifier.verifyCertificate(value as unknown as Uint8Array))).toBe('jpki_malformed_certificate');
      }
    });

    it('throws only JpkiError for randomly corrupted certificates', async () => {
      const original = ca.residents.valid.der;
      for (let i = 0; i < 300; i++) {
        const der = Buffer.from(original);
        const position = (i * 7919) % der.length;
        der[position] = (der[position] + 1 + (i % 255)) & 0xff;
        const outcome = await verifier.verifyCertificate(der).then(() => 'accepted', (e: unknown) => e);
        expect(outcome).toBeInstanceOf(JpkiError);
      }
    });
  });

  describe('revocation', () => {
    const verifierWith = async (crls: Uint8Array[], options: { at?: Date; grace?: number; issuers?: Uint8Array[] } = {}) => {
      const s = new CrlStore({ issuers: options.issuers ?? [ca.previousRoot.der, ca.signingCa.der] });
      for (const crl of crls) await s.load(crl);
      const now = options.at ?? NOW;
      return new JpkiVerifier({
        trustAnchors: ca.trustAnchors, intermediates: ca.intermediates, crlStore: s, now: () => now,
        crlGracePeriodMs: options.grace,
      });
    };

    it('refuses every certificate when no CRL of the issuing CA is loaded', async () => {
      const v = await verifierWith([ca.crls.root.der]);

      expect(await codeOf(v.verifyCertificate(ca.residents.valid.der))).toBe('jpki_crl_unavailable');
    });

    it('refuses when the CRL of an intermediate CA\'s issuer is missing (two-level hierarchy)', async () => {
      const s = new CrlStore({ issuers: [twoLevel.root.der, twoLevel.signingCa.der] });
      await s.load(twoLevel.crls.current.der);
      const v = new JpkiVerifier({ trustAnchors: twoLevel.trustAnchors, intermediates: twoLevel.intermediates, crlStore: s, now: () => NOW });

      expect(await codeOf(v.verifyCertificate(twoLevel.residents.valid.der))).toBe('jpki_crl_unavailable');
      await s.load(twoLevel.crls.root.der);
      expect(await codeOf(v.verifyCertificate(twoLevel.residents.valid.der))).toBe('resolved');
    });

    it('refuses when the only CRL is past its nextUpdate', async () => {
      const v = await verifierWith([ca.crls.root.der, ca.crls.stale.der]);

      expect(await codeOf(v.verifyCertificate(ca.residents.valid.der))).toBe('jpki_crl_stale');
    });

    it('refuses once the clock passes the nextUpdate of the current CRL, unless within the grace period', async () => {
      const after = new Date(ca.crls.current.nextUpdate.getTime() + HOUR);

      expect(await codeOf((await verifierWith([ca.crls.root.der, ca.crls.current.der], { at: after }))
        .verifyCertificate(ca.residents.valid.der))).toBe('jpki_crl_stale');
      expect(await codeOf((await verifierWith([ca.crls.root.der, ca.crls.current.der], { at: after, grace: 2 * HOUR }))
        .verifyCertificate(ca.residents.valid.der))).toBe('resolved');
    });

    it('refuses when the CRL for the issuer name was signed by another CA\'s key', async () => {
      // The foreign signing CA has the same name as the real one; the store accepts its CRL
      // because it is configured as an issuer, but the verifier needs the real CA's key.
      const v = await verifierWith([ca.crls.root.der, ca.crls.foreignSigned.der], {
        issuers: [ca.root.der, ca.signingCa.der, ca.foreignSigningCa.der],
      });

      expect(await codeOf(v.verifyCertificate(ca.residents.valid.der))).toBe('jpki_crl_unavailable');
    });

    it('accepts a certificate the stale CRL does not list once a current CRL is loaded', async () => {
      const v = await verifierWith([ca.crls.root.der, ca.crls.stale.der, ca.crls.current.der]);

      expect(await codeOf(v.verifyCertificate(ca.residents.valid.der))).toBe('resolved');
      expect(await codeOf(v.verifyCertificate(ca.residents.revoked.der))).toBe('jpki_certificate_revoked');
    });
  });

  describe('verifySignature', () => {
    const challenge = new TextEncoder().encode('tsunagu-challenge:' + 'x'.repeat(32));

    it('accepts an RSASSA-PKCS1-v1_5/SHA-256 signature by the certificate key over the exact bytes', async () => {
      const signature = await sign(ca.residents.valid.privateKey, challenge);

      await expect(verifier.verifySignature(ca.residents.valid.der, challenge, signature)).resolves.toBeUndefined();
      await expect(verifier.verifySignature(ca.residents.valid.pem, challenge, signature, 'RSASSA-PKCS1-v1_5-SHA256'))
        .resolves.toBeUndefined();
    });

    it('accepts a signature made with node:crypto, as a card middleware would produce it', async () => {
      const pkcs8 = Buffer.from(ca.residents.valid.privateKeyPkcs8);
      const signature = createSign('sha256').update(challenge).sign({ key: pkcs8, format: 'der', type: 'pkcs8' });

      await expect(verifier.verifySignature(ca.residents.valid.der, challenge, signature)).resolves.toBeUndefined();
    });

    it('refuses a signature over other data', async () => {
      const signature = await sign(ca.residents.valid.privateKey, new TextEncoder().encode('another challenge'));

      expect(await codeOf(verifier.verifySignature(ca.residents.valid.der, challenge, signature))).toBe('jpki_bad_signature');
    });

    it('refuses a signature over the challenge with one byte appended', async () => {
      const signature = await sign(ca.residents.valid.privateKey, Buffer.concat([challenge, Buffer.from([0])]));

      expect(await codeOf(verifier.verifySignature(ca.residents.valid.der, challenge, signature))).toBe('jpki_bad_signature');
    });

    it('refuses a signature made by another key', async () => {
      const signature = await sign(ca.residents.expired.privateKey, challenge);

      expect(await codeOf(verifier.verifySignature(ca.residents.valid.der, challenge, signature))).toBe('jpki_bad_signature');
    });

    it('refuses a signature of the wrong length as malformed', async () => {
      const signature = await sign(ca.residents.valid.privateKey, challenge);

      expect(await codeOf(verifier.verifySignature(ca.residents.valid.der, challenge, signature.subarray(1))))
        .toBe('jpki_malformed_signature');
      expect(await codeOf(verifier.verifySignature(ca.residents.valid.der, challenge, new Uint8Array(0))))
        .toBe('jpki_malformed_signature');
    });

    it.each(['ES256', 'PS256', 'RS512', 'rs256', 'none', ''])('refuses the algorithm %p', async (algorithm) => {
      const signature = await sign(ca.residents.valid.privateKey, challenge);

      expect(await codeOf(verifier.verifySignature(ca.residents.valid.der, challenge, signature, algorithm)))
        .toBe('jpki_unsupported_algorithm');
    });

    it('refuses a key shorter than 2048 bits', async () => {
      const signature = await sign(ca.residents.smallKey.privateKey, challenge);

      expect(await codeOf(verifier.verifySignature(ca.residents.smallKey.der, challenge, signature)))
        .toBe('jpki_unsupported_algorithm');
    });
  });

  describe('verifySignedChallenge', () => {
    const challenge = randomBytes(32);

    it('verifies certificate and signature from the request the card app sends', async () => {
      const signature = await sign(ca.residents.valid.privateKey, challenge);
      const request = { certificate: b64(ca.residents.valid.der), signature: b64(signature), algorithm: 'RS256' };

      const result = await verifier.verifySignedChallenge(request, challenge);

      expect(result.attributes.dateOfBirth).toBe('1980-04-01');
      await expect(verifier.verifySignedChallenge({
        certificate: Buffer.from(ca.residents.valid.der).toString('base64url'),
        signature: Buffer.from(signature).toString('base64url'),
        algorithm: 'RSASSA-PKCS1-v1_5-SHA256',
      }, challenge)).resolves.toBeDefined();
    });

    it('refuses a revoked certificate even when its signature is good', async () => {
      const signature = await sign(ca.residents.revoked.privateKey, challenge);
      const request = { certificate: b64(ca.residents.revoked.der), signature: b64(signature), algorithm: 'RS256' };

      expect(await codeOf(verifier.verifySignedChallenge(request, challenge))).toBe('jpki_certificate_revoked');
    });

    it('refuses a good certificate with a signature over another challenge', async () => {
      const signature = await sign(ca.residents.valid.privateKey, randomBytes(32));
      const request = { certificate: b64(ca.residents.valid.der), signature: b64(signature), algorithm: 'RS256' };

      expect(await codeOf(verifier.verifySignedChallenge(request, challenge))).toBe('jpki_bad_signature');
    });

    it('refuses undecodable or missing fields with the code of the field', async () => {
      const signature = b64(await sign(ca.residents.valid.privateKey, challenge));
      const certificate = b64(ca.residents.valid.der);
      const cases: [Record<string, unknown>, JpkiErrorCode][] = [
        [{ certificate: 'not base64!', signature, algorithm: 'RS256' }, 'jpki_malformed_certificate'],
        [{ certificate: ` ${certificate}`, signature, algorithm: 'RS256' }, 'jpki_malformed_certificate'],
        [{ certificate: 'MIIB+ab-', signature, algorithm: 'RS256' }, 'jpki_malformed_certificate'], // both alphabets
        [{ certificate: 'MIIB_a==', signature, algorithm: 'RS256' }, 'jpki_malformed_certificate'], // base64url with padding
        [{ certificate: 'MIIB=a==', signature, algorithm: 'RS256' }, 'jpki_malformed_certificate'], // padding inside
        [{ certificate, signature: 'abc$', algorithm: 'RS256' }, 'jpki_malformed_signature'],
        [{ certificate, signature: 'A'.repeat(5000), algorithm: 'RS256' }, 'jpki_malformed_signature'],
        [{ certificate: 'A'.repeat(40_000), signature, algorithm: 'RS256' }, 'jpki_certificate_too_large'],
        [{ certificate, signature, algorithm: 'ES256' }, 'jpki_unsupported_algorithm'],
        [{ certificate, signature }, 'jpki_unsupported_algorithm'],
        [{ signature, algorithm: 'RS256' }, 'jpki_malformed_certificate'],
        [{ certificate, algorithm: 'RS256' }, 'jpki_malformed_signature'],
      ];
      for (const [request, code] of cases) {
        expect(await codeOf(verifier.verifySignedChallenge(request as never, challenge))).toBe(code);
      }
    });
  });
});
