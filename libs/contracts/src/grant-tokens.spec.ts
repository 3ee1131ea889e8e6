import { createHmac, KeyObject, sign } from 'node:crypto';
import { base64url, compactVerify, exportJWK, generateKeyPair, type JWK, SignJWT, CompactEncrypt } from 'jose';
import type { GrantClaims } from './grant';
import {
  asCryptoKey, createProof, grantHash, issueGrant, jwkThumbprint, openGrant, type OpenGrantOptions, TokenVerificationError, verifyProof,
} from './grant-tokens';

async function keyPair(alg: 'ES256' | 'ECDH-ES+A256KW') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, crv: 'P-256' });
  return { privateKey, publicKey, publicJwk: await exportJWK(publicKey) as JWK };
}

async function rejection(promise: Promise<unknown>): Promise<TokenVerificationError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenVerificationError) return error;
    throw error;
  }
  throw new Error('expected a TokenVerificationError');
}

const ISSUER = 'https://hub.example.jp';
const HTU = 'https://misasa-connector.example.jp/peer/v1/exchange';
const now = new Date('2026-11-22T03:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('grant tokens', () => {
  let hub: Awaited<ReturnType<typeof keyPair>>;
  let otherHub: Awaited<ReturnType<typeof keyPair>>;
  let provider: Awaited<ReturnType<typeof keyPair>>;
  let otherProvider: Awaited<ReturnType<typeof keyPair>>;
  let consumer: Awaited<ReturnType<typeof keyPair>>;
  let stranger: Awaited<ReturnType<typeof keyPair>>;
  let claims: Omit<GrantClaims, 'jti' | 'iat' | 'exp'>;
  let options: OpenGrantOptions;

  beforeAll(async () => {
    [hub, otherHub, provider, otherProvider, consumer, stranger] = await Promise.all([
      keyPair('ES256'), keyPair('ES256'), keyPair('ECDH-ES+A256KW'), keyPair('ECDH-ES+A256KW'), keyPair('ES256'), keyPair('ES256'),
    ]);
    claims = {
      iss: ISSUER, aud: 'connector-misasa', sub: 'MH-0001', azp: 'connector-cashless', consumer_service: 'demo-cashless',
      data_use: 'cashless.health-points', purpose: 'health-points', items: ['misasa-health.daily-steps'],
      consent_id: 'c-1', consent_version: 3, cnf: { jkt: await jwkThumbprint(consumer.publicJwk) },
    };
    options = {
      hubKeys: async ({ kid }) => (kid === 'hub-1' ? hub.publicKey : undefined),
      decryptionKey: provider.privateKey, issuer: ISSUER, audience: 'connector-misasa', now,
    };
  });

  const issue = (overrides: Partial<Parameters<typeof issueGrant>[0]> = {}) =>
    issueGrant({ claims, signingKey: hub.privateKey, kid: 'hub-1', providerEncryptionKey: provider.publicKey, lifetimeSeconds: 30, now, ...overrides });

  /** Signs arbitrary inner claims/header and encrypts them to the provider, as a forger with the provider's public key could. */
  async function wrap(innerJws: string, aud = 'connector-misasa', key = provider.publicKey): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(innerJws))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT', aud })
      .encrypt(key);
  }

  describe('openGrant', () => {
    it('accepts a grant the hub signed and encrypted to this connector, and returns its claims', async () => {
      const { grant, jti } = await issue();
      expect(grant.split('.')).toHaveLength(5);
      await expect(openGrant(grant, options)).resolves.toMatchObject({ ...claims, jti, exp: Math.floor(now.getTime() / 1000) + 30 });
    });

    it('hides the provider local ID from whoever carries the grant', async () => {
      const { grant } = await issue();
      expect(grant).not.toContain(base64url.encode('MH-0001'));
      expect(Buffer.from(grant.split('.')[0], 'base64url').toString()).not.toContain('MH-0001');
    });

    it('refuses an expired grant as grant_expired', async () => {
      const { grant } = await issue();
      expect((await rejection(openGrant(grant, { ...options, now: later(36) }))).code).toBe('grant_expired');
    });

    it('tolerates five seconds of clock skew at expiry', async () => {
      const { grant } = await issue();
      await expect(openGrant(grant, { ...options, now: later(33) })).resolves.toBeDefined();
    });

    it('refuses a grant addressed to another connector as grant_wrong_audience', async () => {
      const { grant } = await issue({ claims: { ...claims, aud: 'connector-other' }, providerEncryptionKey: otherProvider.publicKey });
      expect((await rejection(openGrant(grant, options))).code).toBe('grant_wrong_audience');
    });

    it('refuses a grant whose signed audience differs from the envelope', async () => {
      const { grant } = await issue({ claims: { ...claims, aud: 'connector-other' } });
      const error = await rejection(openGrant(grant, options));
      expect(error.code).toBe('grant_wrong_audience');
    });

    it('refuses a grant signed by a key the hub does not publish (forged signature)', async () => {
      const { grant } = await issue({ signingKey: otherHub.privateKey });
      const error = await rejection(openGrant(grant, options));
      expect(error).toMatchObject({ code: 'grant_invalid', problem: 'signature does not verify' });
    });

    it('refuses a grant with an unknown kid', async () => {
      const { grant } = await issue({ kid: 'hub-9' });
      expect(await rejection(openGrant(grant, options))).toMatchObject({ code: 'grant_invalid', problem: 'unknown signing key' });
    });

    it('refuses alg none without looking up a key', async () => {
      const iat = Math.floor(now.getTime() / 1000);
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'tsunagu-grant+jwt', kid: 'hub-1' }));
      const body = base64url.encode(JSON.stringify({ ...claims, jti: 'jti-none-0001', iat, exp: iat + 30 }));
      const lookups = jest.fn(options.hubKeys);
      const error = await rejection(openGrant(await wrap(`${header}.${body}.`), { ...options, hubKeys: lookups }));
      expect(error).toMatchObject({ code: 'grant_invalid', problem: 'algorithm none refused' });
      expect(lookups).not.toHaveBeenCalled();
    });

    it('refuses an HS256 grant keyed with the hub public key (algorithm confusion)', async () => {
      const iat = Math.floor(now.getTime() / 1000);
      const header = base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'tsunagu-grant+jwt', kid: 'hub-1' }));
      const body = base64url.encode(JSON.stringify({ ...claims, jti: 'jti-hs-00001', iat, exp: iat + 30 }));
      const mac = createHmac('sha256', JSON.stringify(hub.publicJwk)).update(`${header}.${body}`).digest('base64url');
      expect(await rejection(openGrant(await wrap(`${header}.${body}.${mac}`), options))).toMatchObject({ code: 'grant_invalid', problem: 'algorithm HS256 refused' });
    });

    it('refuses a signed grant that is not encrypted', async () => {
      const signed = await new SignJWT({ ...claims, jti: 'plain-000001' }).setProtectedHeader({ alg: 'ES256', typ: 'tsunagu-grant+jwt', kid: 'hub-1' })
        .setIssuedAt(Math.floor(now.getTime() / 1000)).setExpirationTime(Math.floor(now.getTime() / 1000) + 30).sign(hub.privateKey);
      expect(await rejection(openGrant(signed, options))).toMatchObject({ code: 'grant_invalid', problem: 'grant is not encrypted' });
    });

    it('refuses a grant encrypted to another key even when the envelope names this connector', async () => {
      const { grant } = await issue({ providerEncryptionKey: otherProvider.publicKey });
      expect(await rejection(openGrant(grant, options))).toMatchObject({ code: 'grant_invalid', problem: 'cannot decrypt' });
    });

    it('refuses a lifetime over 60 seconds', async () => {
      const iat = Math.floor(now.getTime() / 1000);
      const inner = await new SignJWT({ ...claims, jti: 'long-000001', iat, exp: iat + 61 })
        .setProtectedHeader({ alg: 'ES256', typ: 'tsunagu-grant+jwt', kid: 'hub-1' }).sign(hub.privateKey);
      expect(await rejection(openGrant(await wrap(inner), options))).toMatchObject({ code: 'grant_invalid', problem: 'lifetime over 60 seconds' });
      await expect(issue({ lifetimeSeconds: 61 })).rejects.toThrow(RangeError);
    });

    it('refuses another typ (an ID token or receipt cannot pass as a grant)', async () => {
      const iat = Math.floor(now.getTime() / 1000);
      const inner = await new SignJWT({ ...claims, jti: 'typ-0000001', iat, exp: iat + 30 })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'hub-1' }).sign(hub.privateKey);
      expect(await rejection(openGrant(await wrap(inner), options))).toMatchObject({ code: 'grant_invalid', problem: 'wrong typ' });
    });

    it('refuses unknown claims and another issuer', async () => {
      const { grant: foreign } = await issue({ claims: { ...claims, iss: 'https://evil.example' } });
      expect(await rejection(openGrant(foreign, options))).toMatchObject({ code: 'grant_invalid', problem: 'wrong issuer' });
      const iat = Math.floor(now.getTime() / 1000);
      const inner = await new SignJWT({ ...claims, jti: 'extra-000001', iat, exp: iat + 30, admin: true })
        .setProtectedHeader({ alg: 'ES256', typ: 'tsunagu-grant+jwt', kid: 'hub-1' }).sign(hub.privateKey);
      expect((await rejection(openGrant(await wrap(inner), options))).code).toBe('grant_invalid');
    });
  });

  describe('proofs', () => {
    const grant = 'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyJ9.a.b.c.d';
    const proofOf = (overrides: Partial<Parameters<typeof createProof>[0]> = {}) =>
      createProof({ privateKey: consumer.privateKey, publicJwk: consumer.publicJwk, htm: 'POST', htu: HTU, grant, now, ...overrides });
    const verifyAt = async (proof: string | undefined, overrides: Partial<Parameters<typeof verifyProof>[1]> = {}) =>
      verifyProof(proof, { htm: 'POST', htu: HTU, grant, expectedJkt: await jwkThumbprint(consumer.publicJwk), now, ...overrides });

    it('accepts a proof by the bound key for this method, URL and grant', async () => {
      const proof = await proofOf({ jti: 'proof-00000001' });
      await expect(verifyAt(proof)).resolves.toEqual({ jti: 'proof-00000001', iat: Math.floor(now.getTime() / 1000), jkt: await jwkThumbprint(consumer.publicJwk) });
    });

    it('ignores the query string when comparing htu', async () => {
      await expect(verifyAt(await proofOf({ htu: `${HTU}?x=1` }), { htu: `${HTU}?y=2` })).resolves.toBeDefined();
    });

    it('refuses a proof signed by another key as proof_key_mismatch', async () => {
      const proof = await proofOf({ privateKey: stranger.privateKey, publicJwk: stranger.publicJwk });
      expect((await rejection(verifyAt(proof))).code).toBe('proof_key_mismatch');
    });

    it('refuses a proof whose header key did not sign it', async () => {
      const proof = await proofOf({ privateKey: stranger.privateKey });
      expect(await rejection(verifyAt(proof))).toMatchObject({ code: 'proof_invalid', problem: 'signature does not verify' });
    });

    it('refuses a proof for another URL or method', async () => {
      expect(await rejection(verifyAt(await proofOf({ htu: 'https://cashless-connector.example.jp/peer/v1/exchange' })))).toMatchObject({ code: 'proof_invalid', problem: 'htu does not match the request' });
      expect(await rejection(verifyAt(await proofOf({ htm: 'GET' })))).toMatchObject({ code: 'proof_invalid', problem: 'htm does not match the request' });
    });

    it('refuses a proof for another grant (ath mismatch)', async () => {
      expect(await rejection(verifyAt(await proofOf({ grant: `${grant}x` })))).toMatchObject({ code: 'proof_invalid', problem: 'ath is not the hash of this grant' });
      expect(grantHash(grant)).toHaveLength(43);
    });

    it('refuses an old proof and one from the future', async () => {
      expect(await rejection(verifyAt(await proofOf(), { now: later(61) }))).toMatchObject({ problem: 'proof too old' });
      expect(await rejection(verifyAt(await proofOf({ now: later(10) })))).toMatchObject({ problem: 'iat in the future' });
    });

    it('refuses a missing proof, alg none and a header carrying a private key', async () => {
      expect((await rejection(verifyAt(undefined))).code).toBe('proof_invalid');
      const none = `${base64url.encode(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: consumer.publicJwk }))}.${base64url.encode('{}')}.`;
      expect(await rejection(verifyAt(none))).toMatchObject({ code: 'proof_invalid', problem: 'algorithm none refused' });
      const privateJwk = await exportJWK(consumer.privateKey);
      const leaky = await new SignJWT({ htm: 'POST', htu: HTU, ath: grantHash(grant), jti: 'leaky-000001', iat: Math.floor(now.getTime() / 1000) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk }).sign(consumer.privateKey);
      expect(await rejection(verifyAt(leaky))).toMatchObject({ problem: 'header jwk is not a public P-256 key' });
    });

    it('makes standard JWS: a proof verifies with jose, and a proof jose signed verifies here', async () => {
      const proof = await proofOf({ jti: 'proof-interop1' });
      const { payload, protectedHeader } = await compactVerify(proof, consumer.publicKey, { algorithms: ['ES256'] });
      expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: 'EC', crv: 'P-256', x: consumer.publicJwk.x, y: consumer.publicJwk.y } });
      expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ htm: 'POST', htu: HTU, ath: grantHash(grant), jti: 'proof-interop1' });
      const byJose = await new SignJWT({ htm: 'POST', htu: HTU, ath: grantHash(grant), jti: 'proof-jose-0001', iat: Math.floor(now.getTime() / 1000) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: 'EC', crv: 'P-256', x: consumer.publicJwk.x!, y: consumer.publicJwk.y! } }).sign(consumer.privateKey);
      await expect(verifyAt(byJose)).resolves.toMatchObject({ jti: 'proof-jose-0001' });
    });

    it('refuses critical header extensions, unencoded payloads, a tampered payload and a malformed signature', async () => {
      const claims = { htm: 'POST', htu: HTU, ath: grantHash(grant), jti: 'proof-crit-0001', iat: Math.floor(now.getTime() / 1000) };
      const jwk = { kty: 'EC', crv: 'P-256', x: consumer.publicJwk.x!, y: consumer.publicJwk.y! };
      // jose refuses to sign an unknown critical extension: signed by hand.
      const critInput = `${base64url.encode(JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', jwk, crit: ['x-tsunagu'], 'x-tsunagu': 1 }))}.${base64url.encode(JSON.stringify(claims))}`;
      const crit = `${critInput}.${sign('sha256', Buffer.from(critInput), { key: KeyObject.from(consumer.privateKey), dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
      expect(await rejection(verifyAt(crit))).toMatchObject({ code: 'proof_invalid', problem: 'unsupported header parameter' });
      const [h, p, sig] = (await proofOf()).split('.');
      const tampered = `${h}.${base64url.encode(JSON.stringify({ ...claims, htu: `${HTU}/x` }))}.${sig}`;
      expect(await rejection(verifyAt(tampered))).toMatchObject({ problem: 'signature does not verify' });
      expect(await rejection(verifyAt(`${h}.${p}.${sig.slice(0, -4)}`))).toMatchObject({ problem: 'signature does not verify' });
      expect(await rejection(verifyAt(`${h}.${p}.${sig}!`))).toMatchObject({ problem: 'not a compact JWS' });
      const offCurve = `${base64url.encode(JSON.stringify({ alg: 'ES256', typ: 'dpop+jwt', jwk: { ...jwk, y: jwk.x } }))}.${p}.${sig}`;
      expect(await rejection(verifyAt(offCurve))).toMatchObject({ problem: 'header jwk is not a public P-256 key' });
    });
  });
});

describe('asCryptoKey', () => {
  it('imports a key once: by object, and a public EC key also by its coordinates; a private key only by object', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    const first = await asCryptoKey(publicJwk, 'ES256');
    expect(await asCryptoKey(publicJwk, 'ES256')).toBe(first);
    expect(await asCryptoKey({ ...publicJwk }, 'ES256')).toBe(first);
    const other = await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey);
    expect(await asCryptoKey(other, 'ES256')).not.toBe(first);
    const signing = await asCryptoKey(privateJwk, 'ES256');
    expect(signing.type).toBe('private');
    expect(await asCryptoKey(privateJwk, 'ES256')).toBe(signing);
    expect(await asCryptoKey({ ...privateJwk }, 'ES256')).not.toBe(signing);
    // The cached keys still work: a JWS made with one verifies with the other.
    const jws = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'ES256' }).sign(signing);
    await expect(compactVerify(jws, await asCryptoKey({ ...publicJwk }, 'ES256'))).resolves.toBeDefined();
    await expect(compactVerify(jws, await asCryptoKey(other, 'ES256'))).rejects.toThrow();
  });
});
