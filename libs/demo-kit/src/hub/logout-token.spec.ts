import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { BACKCHANNEL_LOGOUT_EVENT, type LogoutTokenCheck, LogoutTokenRefused, verifyLogoutToken } from './logout-token';

describe(verifyLogoutToken.name, () => {
  const issuer = 'http://hub.test/oidc';
  let hubKey: CryptoKey;
  let otherKey: CryptoKey;
  let check: LogoutTokenCheck;
  let seen: Set<string>;

  beforeAll(async () => {
    const hub = await generateKeyPair('ES256');
    hubKey = hub.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(hub.publicKey)), kid: 'hub-1', alg: 'ES256', use: 'sig' };
    seen = new Set();
    check = {
      issuer, audience: 'demo-cashless', keys: createLocalJWKSet({ keys: [jwk] }),
      recordJti: async (jti) => (seen.has(jti) ? false : (seen.add(jti), true)),
    };
  });

  let counter = 0;
  function logoutToken(claims: JWTPayload & { drop?: string[] } = {}, key: CryptoKey = hubKey): Promise<string> {
    const { drop = [], ...rest } = claims;
    const payload: JWTPayload = { iss: issuer, aud: 'demo-cashless', sub: 'pairwise-sub', sid: 'sid-1', jti: `jti-${++counter}`, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, ...rest };
    for (const name of drop) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'hub-1', typ: 'logout+jwt' }).setIssuedAt().setExpirationTime('2m').sign(key);
  }

  async function refusal(token: Promise<string> | string): Promise<string> {
    try {
      await verifyLogoutToken(await token, check);
    } catch (error) {
      expect(error).toBeInstanceOf(LogoutTokenRefused);
      return (error as LogoutTokenRefused).reason;
    }
    throw new Error('the logout token was accepted');
  }

  it('accepts a logout token of the hub for this service, and answers whose sessions to end', async () => {
    expect(await verifyLogoutToken(await logoutToken(), check)).toEqual({ sub: 'pairwise-sub', sid: 'sid-1' });
    expect(await verifyLogoutToken(await logoutToken({ drop: ['sid'] }), check)).toEqual({ sub: 'pairwise-sub', sid: undefined });
  });

  it('refuses a token for another service (aud)', async () => {
    expect(await refusal(logoutToken({ aud: 'demo-misasa-health' }))).toMatch(/aud/);
  });

  it('refuses a token from another issuer', async () => {
    expect(await refusal(logoutToken({ iss: 'http://evil.test/oidc' }))).toMatch(/iss/);
  });

  it('refuses a token not signed by the hub', async () => {
    expect(await refusal(logoutToken({}, otherKey))).toMatch(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED|ERR_JWKS_NO_MATCHING_KEY/);
  });

  it('refuses the same jti twice (replay)', async () => {
    const token = await logoutToken({ jti: 'once' });
    await verifyLogoutToken(token, check);
    expect(await refusal(token)).toMatch(/replay/);
  });

  it('refuses a token with a nonce (an ID token is not a logout token)', async () => {
    expect(await refusal(logoutToken({ nonce: 'n-1' }))).toMatch(/nonce/);
  });

  it('refuses a token without the back-channel logout event', async () => {
    expect(await refusal(logoutToken({ drop: ['events'] }))).toMatch(/events/);
    expect(await refusal(logoutToken({ events: { 'http://schemas.openid.net/event/other': {} } }))).toMatch(/events/);
    expect(await refusal(logoutToken({ events: { [BACKCHANNEL_LOGOUT_EVENT]: 'yes' } }))).toMatch(/events/);
  });

  it('refuses a token naming neither sub nor sid, one without jti, a stale one, and garbage', async () => {
    expect(await refusal(logoutToken({ drop: ['sub', 'sid'] }))).toMatch(/neither sub nor sid/);
    expect(await refusal(logoutToken({ drop: ['jti'] }))).toMatch(/jti/);
    const stale = await new SignJWT({ iss: issuer, aud: 'demo-cashless', sub: 's', jti: 'old', events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })
      .setProtectedHeader({ alg: 'ES256', kid: 'hub-1' }).setIssuedAt(Math.floor(Date.now() / 1000) - 600).sign(hubKey);
    expect(await refusal(stale)).toMatch(/iat/);
    expect(await refusal('not.a.jwt')).toBeTruthy();
    expect(await refusal(undefined as unknown as string)).toMatch(/missing/);
  });
});
