import { randomUUID } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import { compactVerify, decodeProtectedHeader, type JWK, SignJWT } from 'jose';
import type { ConnectorErrorCode } from './connector-errors';
import {
  type ConnectorRevocation, CONNECTOR_REVOKED_EVENT, type ConnectorRevokedEventClaims, connectorRevokedEventClaimsSchema, type ConsentChange,
  CONSENT_CHANGED_EVENT, type ErasureApplied, erasureAppliedSchema, ERASURE_REQUESTED_EVENT, type ErasureRequest, type ErasureRequestedEventClaims,
  erasureRequestedEventClaimsSchema, REVOCATION_ACK_JWT_TYPE, REVOCATION_FEED_JWT_TYPE, REVOCATION_FEED_MAX_AGE_SECONDS, type RevocationAckApplied,
  type RevocationAckClaims, type RevocationEventClaims, revocationEventClaimsSchema, type RevocationFeedClaims, revocationFeedClaimsSchema, SET_JWT_TYPE,
  REVOCATION_HEAD_JWT_TYPE, type RevocationHeadClaims, revocationHeadClaimsSchema, REVOCATION_CHANGES_JWT_TYPE, type RevocationChangesClaims,
  revocationChangesClaimsSchema,
} from './connector-revocations';
import { GRANT_CLOCK_TOLERANCE_SECONDS, GRANT_SIGNING_ALG } from './grant';
import { asCryptoKey, epochSeconds, failVerification, type HubKeyResolver, jwkThumbprint, type TokenKey, TokenVerificationError } from './grant-tokens';

/**
 * Signing and verification of every other token between hub and connectors: client assertions
 * (RFC 7523), revocation events (RFC 8417), revocation feed pages and acknowledgements. ES256 only.
 */

const ajv = new Ajv({ allErrors: false, strict: false });
const validateEvent: ValidateFunction<RevocationEventClaims> = ajv.compile(revocationEventClaimsSchema);
const validateConnectorRevokedEvent: ValidateFunction<ConnectorRevokedEventClaims> = ajv.compile(connectorRevokedEventClaimsSchema);
const validateErasureEvent: ValidateFunction<ErasureRequestedEventClaims> = ajv.compile(erasureRequestedEventClaimsSchema);
const validateErasureApplied: ValidateFunction<ErasureApplied> = ajv.compile(erasureAppliedSchema);

/** Hub side: whether an acknowledgement's `applied` is a well-formed erasure report for `erasureId` (its counts go into the certificate). */
export function isErasureAppliedFor(applied: RevocationAckApplied, erasureId: string): applied is ErasureApplied {
  return validateErasureApplied(applied) && applied.erasure_id === erasureId;
}
const validateFeed: ValidateFunction<RevocationFeedClaims> = ajv.compile(revocationFeedClaimsSchema);
const validateHead: ValidateFunction<RevocationHeadClaims> = ajv.compile(revocationHeadClaimsSchema);
const validateChanges: ValidateFunction<RevocationChangesClaims> = ajv.compile(revocationChangesClaimsSchema);

/** `client_assertion_type` of RFC 7523 §2.2, for hubs that log or display it. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** A client assertion may live at most this long (`exp - iat`), in seconds. */
export const CLIENT_ASSERTION_MAX_LIFETIME_SECONDS = 60;

/**
 * The `iss`/`sub` a connector uses before it has an ID (at registration): the JWK thumbprint URI
 * of its signing key (RFC 9278).
 */
export function thumbprintUri(jkt: string): string {
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${jkt}`;
}

/** Claims of a connector's client assertion (RFC 7523 §3). */
export interface ClientAssertionClaims {
  /** The connector's ID, or {@link thumbprintUri} of its key before registration. */
  iss: string;
  /** Same as `iss`. */
  sub: string;
  /** The hub's issuer identifier. */
  aud: string;
  /** Single use: the hub remembers it until `exp`. */
  jti: string;
  iat: number;
  exp: number;
  /** Key rotation only: the thumbprint of the new key this (old-key) assertion vouches for. */
  new_jkt?: string;
}

/** What a connector needs to authenticate one call to the hub. */
export interface CreateClientAssertionInput {
  privateKey: TokenKey;
  /** `kid` of the signing key: its JWK thumbprint. */
  kid: string;
  /** The connector's ID (or {@link thumbprintUri}). */
  subject: string;
  /** The hub's issuer identifier. */
  audience: string;
  /** Seconds, at most 60 (default 60). */
  lifetimeSeconds?: number;
  newJkt?: string;
  now?: Date;
}

/**
 * Connector side: a `private_key_jwt` client assertion (RFC 7523). Connectors send it as
 * `Authorization: Bearer <assertion>` on every call to `/connect/v1/…` (a fresh one each time).
 */
export async function createClientAssertion(input: CreateClientAssertionInput): Promise<string> {
  const lifetime = Math.min(input.lifetimeSeconds ?? CLIENT_ASSERTION_MAX_LIFETIME_SECONDS, CLIENT_ASSERTION_MAX_LIFETIME_SECONDS);
  const iat = epochSeconds(input.now);
  const claims: Record<string, unknown> = { iss: input.subject, sub: input.subject, aud: input.audience, jti: randomUUID(), iat, exp: iat + lifetime };
  if (input.newJkt) claims.new_jkt = input.newJkt;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: GRANT_SIGNING_ALG, typ: 'JWT', kid: input.kid })
    .sign(await asCryptoKey(input.privateKey, GRANT_SIGNING_ALG));
}

function header(token: string): Record<string, unknown> | undefined {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function verifyJws(token: string, key: TokenKey | undefined, code: ConnectorErrorCode, typ: string): Promise<unknown> {
  if (typeof token !== 'string' || token.split('.').length !== 3) failVerification(code, 'not a compact JWS');
  const h = header(token) ?? failVerification(code, 'unreadable header');
  if (h.alg !== GRANT_SIGNING_ALG) failVerification(code, `algorithm ${String(h.alg)} refused`);
  if (h.typ !== typ) failVerification(code, 'wrong typ');
  if (!key) failVerification(code, 'unknown signing key');
  try {
    const { payload } = await compactVerify(token, await asCryptoKey(key!, GRANT_SIGNING_ALG), { algorithms: [GRANT_SIGNING_ALG] });
    return JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return failVerification(code, 'signature does not verify');
  }
}

async function hubKey(token: string, keys: HubKeyResolver, code: ConnectorErrorCode): Promise<TokenKey | undefined> {
  const h = header(token);
  if (!h || h.alg !== GRANT_SIGNING_ALG) return undefined;
  try {
    return await keys({ kid: h.kid as string | undefined, alg: GRANT_SIGNING_ALG });
  } catch {
    return failVerification(code, 'unknown signing key');
  }
}

/** What the hub checks a client assertion against. */
export interface VerifyClientAssertionOptions {
  /** The registered public key of the connector named by `iss` (undefined = unknown connector). */
  keyFor: (iss: string) => Promise<JWK | undefined>;
  /** The hub's issuer identifier. */
  audience: string;
  now?: Date;
}

/**
 * Hub side: verifies a client assertion. Returns the claims; the hub must still refuse a `jti` it
 * has seen before `exp` and check the connector's status. Throws {@link TokenVerificationError}
 * with `client_assertion_invalid`.
 */
export async function verifyClientAssertion(assertion: string, options: VerifyClientAssertionOptions): Promise<ClientAssertionClaims> {
  const code: ConnectorErrorCode = 'client_assertion_invalid';
  let iss: unknown;
  try {
    iss = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')).iss;
  } catch {
    failVerification(code, 'unreadable payload');
  }
  if (typeof iss !== 'string' || !iss) failVerification(code, 'no iss');
  const claims = await verifyJws(assertion, await options.keyFor(iss as string), code, 'JWT') as ClientAssertionClaims;
  const now = epochSeconds(options.now);
  if (!claims || claims.sub !== claims.iss) failVerification(code, 'sub differs from iss');
  if (claims.aud !== options.audience) failVerification(code, 'wrong audience');
  if (typeof claims.jti !== 'string' || claims.jti.length < 8) failVerification(code, 'no jti');
  if (!Number.isInteger(claims.iat) || !Number.isInteger(claims.exp)) failVerification(code, 'no iat/exp');
  if (claims.exp - claims.iat > CLIENT_ASSERTION_MAX_LIFETIME_SECONDS) failVerification(code, 'lifetime over 60 seconds');
  if (claims.iat > now + GRANT_CLOCK_TOLERANCE_SECONDS || now >= claims.exp + GRANT_CLOCK_TOLERANCE_SECONDS) failVerification(code, 'expired or not yet valid');
  return claims;
}

/** What the hub needs to sign one pushed event (a SET) for one connector. */
interface SignEventInput {
  signingKey: TokenKey; kid: string; issuer: string; connectorId: string; txn?: string; now?: Date; jti?: string;
}

async function signEvent(input: SignEventInput, events: Record<string, unknown>): Promise<{ token: string; jti: string }> {
  const jti = input.jti ?? randomUUID();
  const claims = {
    iss: input.issuer, aud: input.connectorId, iat: epochSeconds(input.now), jti,
    ...(input.txn ? { txn: input.txn } : {}),
    events,
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: GRANT_SIGNING_ALG, typ: SET_JWT_TYPE, kid: input.kid })
    .sign(await asCryptoKey(input.signingKey, GRANT_SIGNING_ALG));
  return { token, jti };
}

/** Hub side: signs one revocation event (a SET) for one connector. */
export async function signRevocationEvent(input: SignEventInput & { change: ConsentChange }): Promise<{ token: string; jti: string }> {
  return signEvent(input, { [CONSENT_CHANGED_EVENT]: input.change } satisfies RevocationEventClaims['events']);
}

/** Hub side: signs one connector-revoked event (a SET, {@link ConnectorRevokedEventClaims}) for one provider connector. */
export async function signConnectorRevokedEvent(input: SignEventInput & { revocation: ConnectorRevocation }): Promise<{ token: string; jti: string }> {
  return signEvent(input, { [CONNECTOR_REVOKED_EVENT]: input.revocation } satisfies ConnectorRevokedEventClaims['events']);
}

/** Hub side: signs one erasure-requested event (a SET, {@link ErasureRequestedEventClaims}) for one connector. */
export async function signErasureRequestedEvent(input: SignEventInput & { request: ErasureRequest }): Promise<{ token: string; jti: string }> {
  return signEvent(input, { [ERASURE_REQUESTED_EVENT]: input.request } satisfies ErasureRequestedEventClaims['events']);
}

/** What a connector checks a pushed event against. */
interface VerifyEventOptions {
  hubKeys: HubKeyResolver;
  issuer: string;
  audience: string;
}

async function verifyEvent<T extends { iss: string; aud: string }>(token: string, options: VerifyEventOptions, validate: ValidateFunction<T>): Promise<T> {
  const code: ConnectorErrorCode = 'event_invalid';
  const claims = await verifyJws(token, await hubKey(token, options.hubKeys, code), code, SET_JWT_TYPE);
  if (!validate(claims)) failVerification(code, `claims: ${ajv.errorsText(validate.errors)}`);
  const c = claims as T;
  if (c.iss !== options.issuer) failVerification(code, 'wrong issuer');
  if (c.aud !== options.audience) failVerification(code, 'wrong audience');
  return c;
}

/**
 * Connector side: verifies a pushed revocation event: hub signature (ES256, by `kid` from the
 * hub JWKS), `typ: secevent+jwt`, issuer, audience = this connector, claims. Its age is not
 * checked: a late revocation (delivered after an outage) is still a revocation. Throws
 * {@link TokenVerificationError} with `event_invalid`.
 */
export async function verifyRevocationEvent(token: string, options: VerifyEventOptions): Promise<RevocationEventClaims> {
  return verifyEvent(token, options, validateEvent);
}

/**
 * Connector side: verifies a pushed connector-revoked event, with the same checks as
 * {@link verifyRevocationEvent}. Throws {@link TokenVerificationError} with `event_invalid`.
 */
export async function verifyConnectorRevokedEvent(token: string, options: VerifyEventOptions): Promise<ConnectorRevokedEventClaims> {
  return verifyEvent(token, options, validateConnectorRevokedEvent);
}

/**
 * Connector side: verifies a pushed erasure-requested event, with the same checks as
 * {@link verifyRevocationEvent}. Throws {@link TokenVerificationError} with `event_invalid`.
 */
export async function verifyErasureRequestedEvent(token: string, options: VerifyEventOptions): Promise<ErasureRequestedEventClaims> {
  return verifyEvent(token, options, validateErasureEvent);
}

/**
 * The event type a pushed SET claims to carry (the one key of its `events` claim), read without
 * verifying anything: it only chooses the verifier ({@link verifyRevocationEvent} or
 * {@link verifyConnectorRevokedEvent}), which then checks everything. Undefined when unreadable.
 */
export function revocationEventType(token: string): string | undefined {
  try {
    const events = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))?.events;
    const types = events && typeof events === 'object' ? Object.keys(events) : [];
    return types.length === 1 ? types[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hub side: signs one page of the revocation feed for one connector, with the staleness bound the
 * hub imposes (`staleness_seconds`, see {@link RevocationFeedClaims}) when given, and the revoked
 * connectors when given (only to a connector that asked for them).
 */
export async function signRevocationFeed(input: {
  signingKey: TokenKey; kid: string; issuer: string; connectorId: string; cursor: string; more: boolean; changes: ConsentChange[];
  stalenessSeconds?: number; revokedConnectors?: ConnectorRevocation[]; lifetimeSeconds?: number; now?: Date;
}): Promise<string> {
  const iat = epochSeconds(input.now);
  const claims: RevocationFeedClaims = {
    iss: input.issuer, aud: input.connectorId, iat, exp: iat + Math.min(input.lifetimeSeconds ?? REVOCATION_FEED_MAX_AGE_SECONDS, REVOCATION_FEED_MAX_AGE_SECONDS),
    cursor: input.cursor, more: input.more, changes: input.changes,
    ...(input.stalenessSeconds !== undefined ? { staleness_seconds: input.stalenessSeconds } : {}),
    ...(input.revokedConnectors !== undefined ? { revoked_connectors: input.revokedConnectors } : {}),
  };
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: GRANT_SIGNING_ALG, typ: REVOCATION_FEED_JWT_TYPE, kid: input.kid })
    .sign(await asCryptoKey(input.signingKey, GRANT_SIGNING_ALG));
}

/**
 * Connector side: verifies a feed page: hub signature, `typ`, issuer, audience = this connector,
 * claims (a `staleness_seconds` must be a whole number of seconds, 1–3600), and freshness (`iat`
 * not older than 30 s, not in the future, `exp` not passed) — an old page replayed would otherwise
 * keep a connector "fresh" while hiding a revocation. Throws
 * {@link TokenVerificationError} with `hub_unavailable` (the pull failed; staleness then decides).
 */
export async function verifyRevocationFeed(token: string, options: { hubKeys: HubKeyResolver; issuer: string; audience: string; now?: Date }): Promise<RevocationFeedClaims> {
  const code: ConnectorErrorCode = 'hub_unavailable';
  const c = await verifyHubFeedToken(token, options, REVOCATION_FEED_JWT_TYPE, validateFeed, { claims: 'feed', tooOld: 'feed page' });
  if (c.aud !== options.audience) failVerification(code, 'feed for another connector');
  return c;
}

/**
 * What the feed's tokens (page, stream head, stream changes) check alike: hub signature and `typ`,
 * claims, issuer, and freshness (`iat` not older than REVOCATION_FEED_MAX_AGE_SECONDS nor in the
 * future, `exp` not passed). Throws {@link TokenVerificationError} with `hub_unavailable`.
 */
async function verifyHubFeedToken<T extends { iss: string; iat: number; exp: number }>(
  token: string, options: { hubKeys: HubKeyResolver; issuer: string; now?: Date }, typ: string, validate: ValidateFunction<T>, name: { claims: string; tooOld: string },
): Promise<T> {
  const code: ConnectorErrorCode = 'hub_unavailable';
  const claims = await verifyJws(token, await hubKey(token, options.hubKeys, code), code, typ);
  if (!validate(claims)) failVerification(code, `${name.claims} claims: ${ajv.errorsText(validate.errors)}`);
  const c = claims as T;
  if (c.iss !== options.issuer) failVerification(code, `${name.claims} from another issuer`);
  const now = epochSeconds(options.now);
  if (c.iat > now + GRANT_CLOCK_TOLERANCE_SECONDS) failVerification(code, `${name.claims} issued in the future`);
  if (c.iat < now - REVOCATION_FEED_MAX_AGE_SECONDS || now >= c.exp + GRANT_CLOCK_TOLERANCE_SECONDS) failVerification(code, `${name.tooOld} too old`);
  return c;
}

/**
 * Hub side: a feed head for the revocation stream (REVOCATION_STREAM_PATH): signed once per
 * moment and sent to every connector holding a stream to this process.
 */
export async function signRevocationHead(input: {
  signingKey: TokenKey; kid: string; issuer: string; head: string; asOf: Date; stalenessSeconds?: number; now?: Date;
}): Promise<string> {
  const iat = epochSeconds(input.now);
  const claims: RevocationHeadClaims = {
    iss: input.issuer, iat, exp: iat + REVOCATION_FEED_MAX_AGE_SECONDS, head: input.head, as_of: input.asOf.toISOString(),
    ...(input.stalenessSeconds !== undefined ? { staleness_seconds: input.stalenessSeconds } : {}),
  };
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: GRANT_SIGNING_ALG, typ: REVOCATION_HEAD_JWT_TYPE, kid: input.kid })
    .sign(await asCryptoKey(input.signingKey, GRANT_SIGNING_ALG));
}

/**
 * Connector side: verifies a feed head: hub signature, `typ`, issuer, claims, and freshness as for
 * a feed page (`iat` not older than 30 s nor in the future, `as_of` readable and not after `iat`).
 * The moment it proves is `as_of`, so a head replayed later proves nothing newer. Throws
 * {@link TokenVerificationError} with `hub_unavailable`.
 */
export async function verifyRevocationHead(token: string, options: { hubKeys: HubKeyResolver; issuer: string; now?: Date }): Promise<RevocationHeadClaims & { asOf: Date }> {
  const code: ConnectorErrorCode = 'hub_unavailable';
  const c = await verifyHubFeedToken(token, options, REVOCATION_HEAD_JWT_TYPE, validateHead, { claims: 'head', tooOld: 'head' });
  const asOf = Date.parse(c.as_of);
  if (Number.isNaN(asOf) || asOf > (c.iat + 1) * 1000) failVerification(code, 'head moment unreadable');
  return { ...c, asOf: new Date(asOf) };
}

/**
 * Hub side: the consent changes one service's connectors hear of on the revocation stream
 * (`changes` events), signed once for all of them.
 */
export async function signRevocationChanges(input: {
  signingKey: TokenKey; kid: string; issuer: string; service: string; head: string; changes: ConsentChange[]; now?: Date;
}): Promise<string> {
  const iat = epochSeconds(input.now);
  const claims: RevocationChangesClaims = {
    iss: input.issuer, iat, exp: iat + REVOCATION_FEED_MAX_AGE_SECONDS, service: input.service, head: input.head, changes: input.changes,
  };
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: GRANT_SIGNING_ALG, typ: REVOCATION_CHANGES_JWT_TYPE, kid: input.kid })
    .sign(await asCryptoKey(input.signingKey, GRANT_SIGNING_ALG));
}

/**
 * Connector side: verifies a `changes` event: hub signature, `typ`, issuer, claims, and freshness
 * as for a feed page (`iat` not older than 30 s nor in the future). Throws
 * {@link TokenVerificationError} with `hub_unavailable` (the connector then relies on its pull).
 */
export async function verifyRevocationChanges(token: string, options: { hubKeys: HubKeyResolver; issuer: string; now?: Date }): Promise<RevocationChangesClaims> {
  return verifyHubFeedToken(token, options, REVOCATION_CHANGES_JWT_TYPE, validateChanges, { claims: 'changes', tooOld: 'changes' });
}

/** Connector side: the signed acknowledgement of one pushed event, naming what was applied. */
export async function signRevocationAck(input: {
  privateKey: TokenKey; kid: string; connectorId: string; hubIssuer: string; eventJti: string; applied: RevocationAckApplied; now?: Date;
}): Promise<string> {
  const claims: RevocationAckClaims = {
    iss: input.connectorId, aud: input.hubIssuer, iat: epochSeconds(input.now), jti: randomUUID(), ack: input.eventJti, applied: input.applied,
  };
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: GRANT_SIGNING_ALG, typ: REVOCATION_ACK_JWT_TYPE, kid: input.kid })
    .sign(await asCryptoKey(input.privateKey, GRANT_SIGNING_ALG));
}

/** Hub side: verifies an acknowledgement with the connector's registered public key. */
export async function verifyRevocationAck(token: string, options: { connectorKey: JWK; connectorId: string; hubIssuer: string; eventJti: string }): Promise<RevocationAckClaims> {
  const code: ConnectorErrorCode = 'event_invalid';
  const claims = await verifyJws(token, options.connectorKey, code, REVOCATION_ACK_JWT_TYPE) as RevocationAckClaims;
  if (!claims || claims.iss !== options.connectorId || claims.aud !== options.hubIssuer) failVerification(code, 'ack from another connector or for another hub');
  if (claims.ack !== options.eventJti) failVerification(code, 'ack names another event');
  return claims;
}

/** The `kid` connectors use for their signing key: its thumbprint. */
export const connectorKid = jwkThumbprint;
export { TokenVerificationError };
