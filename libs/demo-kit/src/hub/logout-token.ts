import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** The `events` member that makes a JWT a back-channel logout token (OpenID Connect Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Where a demo service receives logout tokens (its `backchannel_logout_uri` at the hub). */
export const BACKCHANNEL_LOGOUT_PATH = '/auth/backchannel-logout';

/** A logout token older than this (by `iat`) is refused: the hub sends it the moment the resident signs out. */
const MAX_TOKEN_AGE_SECONDS = 120;
const CLOCK_TOLERANCE_SECONDS = 30;

/** Which sessions a verified logout token ends: the one of `sid`, or, without `sid`, every one of `sub`. */
export interface LogoutTarget {
  sub?: string;
  sid?: string;
}

/** A logout token that must not end any session; `reason` is for the log, never for the sender. */
export class LogoutTokenRefused extends Error {
  constructor(readonly reason: string) {
    super(`logout token refused: ${reason}`);
    this.name = 'LogoutTokenRefused';
  }
}

export interface LogoutTokenCheck {
  /** The hub's issuer identifier (discovery `issuer`). */
  issuer: string;
  /** This service's client ID: the only audience accepted. */
  audience: string;
  /** The hub's signing keys (its JWKS). */
  keys: JWTVerifyGetKey;
  /** Records a `jti` until `expiresAt`; false when it was recorded before (a replay). */
  recordJti: (jti: string, expiresAt: Date) => Promise<boolean>;
  /** Tests only. */
  currentDate?: Date;
}

/**
 * Validates a logout token as §2.6 of the specification requires: a JWT signed by the hub (ES256,
 * from its JWKS), `iss` the hub, `aud` this service, a recent `iat`, a `jti` seen only once, the
 * back-channel logout event in `events`, no `nonce` (so an ID token cannot pass as one), and `sub`
 * or `sid`. Throws {@link LogoutTokenRefused} otherwise.
 */
export async function verifyLogoutToken(token: unknown, check: LogoutTokenCheck): Promise<LogoutTarget> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 8192) throw new LogoutTokenRefused('missing or malformed logout_token');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, check.keys, {
      issuer: check.issuer, audience: check.audience, algorithms: ['ES256'],
      requiredClaims: ['iat', 'jti', 'events'], maxTokenAge: MAX_TOKEN_AGE_SECONDS, clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: check.currentDate,
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError) throw new LogoutTokenRefused(`${error.code}: ${error.message}`);
    throw error;
  }
  const events = payload.events as Record<string, unknown> | undefined;
  const event = events && typeof events === 'object' ? events[BACKCHANNEL_LOGOUT_EVENT] : undefined;
  if (!event || typeof event !== 'object' || Array.isArray(event)) throw new LogoutTokenRefused('events does not hold the back-channel logout event');
  if ('nonce' in payload) throw new LogoutTokenRefused('a logout token must not carry a nonce');
  const sub = typeof payload.sub === 'string' && payload.sub ? payload.sub : undefined;
  const sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : undefined;
  if (!sub && !sid) throw new LogoutTokenRefused('neither sub nor sid');
  if (typeof payload.jti !== 'string' || !payload.jti) throw new LogoutTokenRefused('jti must be a string');
  const expiresAt = new Date(((typeof payload.exp === 'number' ? payload.exp : (payload.iat as number) + MAX_TOKEN_AGE_SECONDS) + CLOCK_TOLERANCE_SECONDS) * 1000);
  if (!(await check.recordJti(`${check.issuer} ${payload.jti}`, expiresAt))) throw new LogoutTokenRefused('jti already used (replay)');
  return { sub, sid };
}
