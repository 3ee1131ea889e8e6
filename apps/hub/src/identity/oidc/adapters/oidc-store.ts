/**
 * The storage interface oidc-provider asks of an adapter (one instance per model name:
 * Session, Grant, AccessToken, AuthorizationCode, RefreshToken, Interaction, …).
 * Two implementations run through one contract test suite: Redis (REDIS_URL set, replicas share
 * state) and in-process memory (embedded default, one process).
 */
export interface OidcPayload {
  [key: string]: unknown;
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
}

export interface OidcStore {
  upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** Models whose artifacts belong to a grant and are revoked with it. */
export const GRANTABLE_MODELS = new Set([
  'AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode',
]);

/** Models that are stored as one JSON value and consumed in place. */
export const CONSUMABLE_MODELS = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode']);
