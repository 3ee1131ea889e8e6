import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import {
  createClientAssertion, revocationEventType, signConnectorRevokedEvent, signRevocationAck, signRevocationEvent, signRevocationFeed, thumbprintUri,
  verifyClientAssertion, verifyConnectorRevokedEvent, verifyRevocationAck, verifyRevocationEvent, verifyRevocationFeed,
} from './connector-tokens';
import { CONNECTOR_REVOKED_EVENT, type ConnectorRevocation, CONSENT_CHANGED_EVENT, type ConsentChange } from './connector-revocations';
import { jwkThumbprint, TokenVerificationError } from './grant-tokens';

async function es256() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicKey, publicJwk: await exportJWK(publicKey) as JWK };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenVerificationError) return `${error.code}: ${error.problem}`;
    throw error;
  }
  return 'resolved';
}

const HUB = 'https://hub.example.jp';
const now = new Date('2026-11-22T03:00:00Z');
const change: ConsentChange = { consent_id: 'c-1', version: 4, state: 'withdrawn', changed_at: '2026-11-22T02:59:59.500Z' };
const revocation: ConnectorRevocation = { connector_id: 'conn-cashless', revoked_at: '2026-11-22T02:59:58.250Z' };

describe('connector tokens', () => {
  let hub: Awaited<ReturnType<typeof es256>>;
  let connector: Awaited<ReturnType<typeof es256>>;
  let other: Awaited<ReturnType<typeof es256>>;
  const hubKeys = async ({ kid }: { kid?: string }) => (kid === 'hub-1' ? hub.publicKey : undefined);

  beforeAll(async () => {
    [hub, connector, other] = await Promise.all([es256(), es256(), es256()]);
  });

  describe('client assertions', () => {
    it('verifies an assertion signed with the connector key registered for its iss', async () => {
      const kid = await jwkThumbprint(connector.publicJwk);
      const assertion = await createClientAssertion({ privateKey: connector.privateKey, kid, subject: 'conn-1', audience: HUB, now });
      const claims = await verifyClientAssertion(assertion, { keyFor: async (iss) => (iss === 'conn-1' ? connector.publicJwk : undefined), audience: HUB, now });
      expect(claims).toMatchObject({ iss: 'conn-1', sub: 'conn-1', aud: HUB });
      expect(claims.exp - claims.iat).toBe(60);
    });

    it('refuses an assertion by another key, for another hub, or expired', async () => {
      const keyFor = async () => connector.publicJwk;
      const forged = await createClientAssertion({ privateKey: other.privateKey, kid: 'x', subject: 'conn-1', audience: HUB, now });
      expect(await codeOf(verifyClientAssertion(forged, { keyFor, audience: HUB, now }))).toBe('client_assertion_invalid: signature does not verify');
      const elsewhere = await createClientAssertion({ privateKey: connector.privateKey, kid: 'x', subject: 'conn-1', audience: 'https://other.example', now });
      expect(await codeOf(verifyClientAssertion(elsewhere, { keyFor, audience: HUB, now }))).toBe('client_assertion_invalid: wrong audience');
      const good = await createClientAssertion({ privateKey: connector.privateKey, kid: 'x', subject: 'conn-1', audience: HUB, now });
      expect(await codeOf(verifyClientAssertion(good, { keyFor, audience: HUB, now: new Date(now.getTime() + 70_000) }))).toBe('client_assertion_invalid: expired or not yet valid');
      expect(await codeOf(verifyClientAssertion(good, { keyFor: async () => undefined, audience: HUB, now }))).toBe('client_assertion_invalid: unknown signing key');
    });

    it('names an unregistered key by its thumbprint URI (RFC 9278)', async () => {
      expect(thumbprintUri('abc')).toBe('urn:ietf:params:oauth:jwk-thumbprint:sha-256:abc');
    });
  });

  describe('revocation events', () => {
    it('verifies a hub-signed SET for this connector and returns the consent change', async () => {
      const { token, jti } = await signRevocationEvent({ signingKey: hub.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-1', change, txn: 'outbox-7', now });
      const claims = await verifyRevocationEvent(token, { hubKeys, issuer: HUB, audience: 'conn-1' });
      expect(claims).toMatchObject({ jti, txn: 'outbox-7', events: { [CONSENT_CHANGED_EVENT]: change } });
    });

    it('refuses a SET for another connector, by another key, or with alg none', async () => {
      const { token } = await signRevocationEvent({ signingKey: hub.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-2', change, now });
      expect(await codeOf(verifyRevocationEvent(token, { hubKeys, issuer: HUB, audience: 'conn-1' }))).toBe('event_invalid: wrong audience');
      const { token: forged } = await signRevocationEvent({ signingKey: other.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-1', change, now });
      expect(await codeOf(verifyRevocationEvent(forged, { hubKeys, issuer: HUB, audience: 'conn-1' }))).toBe('event_invalid: signature does not verify');
      const [, payload] = token.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'secevent+jwt' })).toString('base64url')}.${payload}.`;
      expect(await codeOf(verifyRevocationEvent(none, { hubKeys, issuer: HUB, audience: 'conn-2' }))).toBe('event_invalid: algorithm none refused');
    });

    it('refuses a SET whose event is not a consent change', async () => {
      const token = await new SignJWT({ iss: HUB, aud: 'conn-1', iat: 1, jti: 'jti-000000001', events: { 'https://example/other': {} } })
        .setProtectedHeader({ alg: 'ES256', typ: 'secevent+jwt', kid: 'hub-1' }).sign(hub.privateKey);
      expect(await codeOf(verifyRevocationEvent(token, { hubKeys, issuer: HUB, audience: 'conn-1' }))).toMatch(/^event_invalid: claims/);
    });

    it('round-trips the connector acknowledgement', async () => {
      const ack = await signRevocationAck({ privateKey: connector.privateKey, kid: 'k', connectorId: 'conn-1', hubIssuer: HUB, eventJti: 'ev-1', applied: { consent_id: 'c-1', version: 4 }, now });
      await expect(verifyRevocationAck(ack, { connectorKey: connector.publicJwk, connectorId: 'conn-1', hubIssuer: HUB, eventJti: 'ev-1' }))
        .resolves.toMatchObject({ ack: 'ev-1', applied: { consent_id: 'c-1', version: 4 } });
      expect(await codeOf(verifyRevocationAck(ack, { connectorKey: other.publicJwk, connectorId: 'conn-1', hubIssuer: HUB, eventJti: 'ev-1' }))).toBe('event_invalid: signature does not verify');
    });
  });

  describe('connector-revoked events', () => {
    const options = () => ({ hubKeys, issuer: HUB, audience: 'conn-1' });

    it('verifies a hub-signed SET naming the revoked connector and the moment, and tells its type before verifying', async () => {
      const { token, jti } = await signConnectorRevokedEvent({ signingKey: hub.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-1', revocation, txn: 'outbox-9', now });
      expect(revocationEventType(token)).toBe(CONNECTOR_REVOKED_EVENT);
      expect(await verifyConnectorRevokedEvent(token, options())).toMatchObject({ jti, txn: 'outbox-9', aud: 'conn-1', events: { [CONNECTOR_REVOKED_EVENT]: revocation } });
      const consent = await signRevocationEvent({ signingKey: hub.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-1', change, now });
      expect(revocationEventType(consent.token)).toBe(CONSENT_CHANGED_EVENT);
      expect(revocationEventType('not a token')).toBeUndefined();
    });

    it('is refused by the consent-change verifier (what a connector of an earlier version answers: event_invalid), and the other way round', async () => {
      const { token } = await signConnectorRevokedEvent({ signingKey: hub.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-1', revocation, now });
      expect(await codeOf(verifyRevocationEvent(token, options()))).toMatch(/^event_invalid: claims/);
      const consent = await signRevocationEvent({ signingKey: hub.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-1', change, now });
      expect(await codeOf(verifyConnectorRevokedEvent(consent.token, options()))).toMatch(/^event_invalid: claims/);
    });

    it('refuses one for another connector, by another key, or with extra fields in the event', async () => {
      const elsewhere = await signConnectorRevokedEvent({ signingKey: hub.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-2', revocation, now });
      expect(await codeOf(verifyConnectorRevokedEvent(elsewhere.token, options()))).toBe('event_invalid: wrong audience');
      const forged = await signConnectorRevokedEvent({ signingKey: other.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-1', revocation, now });
      expect(await codeOf(verifyConnectorRevokedEvent(forged.token, options()))).toBe('event_invalid: signature does not verify');
      const padded = await new SignJWT({ iss: HUB, aud: 'conn-1', iat: 1, jti: 'jti-000000002', events: { [CONNECTOR_REVOKED_EVENT]: { ...revocation, except: 'c-1' } } })
        .setProtectedHeader({ alg: 'ES256', typ: 'secevent+jwt', kid: 'hub-1' }).sign(hub.privateKey);
      expect(await codeOf(verifyConnectorRevokedEvent(padded, options()))).toMatch(/^event_invalid: claims/);
    });

    it('is acknowledged naming the revoked connector', async () => {
      const ack = await signRevocationAck({ privateKey: connector.privateKey, kid: 'k', connectorId: 'conn-1', hubIssuer: HUB, eventJti: 'ev-2', applied: revocation, now });
      await expect(verifyRevocationAck(ack, { connectorKey: connector.publicJwk, connectorId: 'conn-1', hubIssuer: HUB, eventJti: 'ev-2' }))
        .resolves.toMatchObject({ ack: 'ev-2', applied: revocation });
    });
  });

  describe('revocation feed', () => {
    const page = (overrides: Partial<Parameters<typeof signRevocationFeed>[0]> = {}) =>
      signRevocationFeed({ signingKey: hub.privateKey, kid: 'hub-1', issuer: HUB, connectorId: 'conn-1', cursor: '42', more: false, changes: [change], now, ...overrides });

    it('verifies a fresh page for this connector', async () => {
      await expect(verifyRevocationFeed(await page(), { hubKeys, issuer: HUB, audience: 'conn-1', now })).resolves.toMatchObject({ cursor: '42', changes: [change] });
    });

    it('refuses a page older than 30 seconds, one for another connector, and one signed by another key', async () => {
      expect(await codeOf(verifyRevocationFeed(await page(), { hubKeys, issuer: HUB, audience: 'conn-1', now: new Date(now.getTime() + 40_000) }))).toBe('hub_unavailable: feed page too old');
      expect(await codeOf(verifyRevocationFeed(await page({ connectorId: 'conn-2' }), { hubKeys, issuer: HUB, audience: 'conn-1', now }))).toBe('hub_unavailable: feed for another connector');
      expect(await codeOf(verifyRevocationFeed(await page({ signingKey: other.privateKey }), { hubKeys, issuer: HUB, audience: 'conn-1', now }))).toBe('hub_unavailable: signature does not verify');
    });

    it('carries the hub\'s staleness bound as a signed claim, absent when the hub names none', async () => {
      const verify = async (token: string) => verifyRevocationFeed(token, { hubKeys, issuer: HUB, audience: 'conn-1', now });
      expect(await verify(await page({ stalenessSeconds: 6 }))).toMatchObject({ staleness_seconds: 6 });
      expect(await verify(await page())).not.toHaveProperty('staleness_seconds');
    });

    it('carries revoked connectors when the hub adds them, and nothing of the kind otherwise', async () => {
      const verify = async (token: string) => verifyRevocationFeed(token, { hubKeys, issuer: HUB, audience: 'conn-1', now });
      expect(await verify(await page({ revokedConnectors: [revocation] }))).toMatchObject({ changes: [change], revoked_connectors: [revocation] });
      expect(await verify(await page())).not.toHaveProperty('revoked_connectors');
      expect(await codeOf(verify(await page({ revokedConnectors: [{ connector_id: '', revoked_at: 'x' }] })))).toMatch(/^hub_unavailable: feed claims/);
    });

    it('refuses a page whose staleness bound is not a whole number of seconds from 1 to 3600', async () => {
      for (const bad of [0, 1.5, 3601, -6]) {
        expect(await codeOf(verifyRevocationFeed(await page({ stalenessSeconds: bad }), { hubKeys, issuer: HUB, audience: 'conn-1', now })))
          .toMatch(/^hub_unavailable: feed claims: .*staleness_seconds/);
      }
      // Changing the signed claim breaks the signature.
      const [header, payload, signature] = (await page({ stalenessSeconds: 6 })).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const tampered = Buffer.from(JSON.stringify({ ...claims, staleness_seconds: 3600 })).toString('base64url');
      expect(await codeOf(verifyRevocationFeed(`${header}.${tampered}.${signature}`, { hubKeys, issuer: HUB, audience: 'conn-1', now }))).toBe('hub_unavailable: signature does not verify');
    });
  });
});
