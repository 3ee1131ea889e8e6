/**
 * The storage interface oidc-provider asks of an adapter (one instance per model name:
 * Session, Grant, AccessToken, AuthorizationCode, RefreshToken, Interaction, …).
 * Two implementations run through one contract test suite: Redis (REDIS_URL set, replicas share
 * state) and in-process memory (embedded default, one process).
 */
export interface OidcPayload {
  [key: string]: unknown;
  grantId?: string;
  accountId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
}

/**
 * What consuming a one-time artifact found: it was unused and is now marked (`consumed`), it had
 * been used already (`replayed`: its grant has been revoked), or it is gone (`missing`: expired,
 * or revoked by a replay a moment before).
 */
export type ConsumeOutcome = 'consumed' | 'replayed' | 'missing';

export interface OidcStore {
  upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  /**
   * Check-and-set, atomic against every other caller (other replicas included): marks the
   * artifact consumed only if it was not already. A second consumption is a replay: the store
   * then revokes the artifact's grant (every artifact of it, and the Grant itself) before
   * answering, so tokens the first consumption issues, even a moment later, are dead.
   */
  consume(id: string): Promise<ConsumeOutcome>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
  /**
   * Stores `payload` under `id` only if nothing is stored there yet, atomically (replicas
   * included): true for exactly one of any number of concurrent calls. Single-use identifiers —
   * DPoP proof and client assertion `jti`s — are recorded this way.
   */
  insertOnce(id: string, payload: OidcPayload, expiresIn: number): Promise<boolean>;
  /**
   * The live artifacts of this model that belong to one account (Grants and Sessions are
   * indexed by their `accountId` on upsert, and leave the index when destroyed or gone): what the
   * portal lists as the services a resident has given access to, and where it revokes one.
   */
  listByAccount(accountId: string): Promise<{ id: string; payload: OidcPayload }[]>;
}

/** Models whose artifacts belong to a grant and are revoked with it. */
export const GRANTABLE_MODELS = new Set([
  'AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode',
]);

/** The model of grants themselves: destroyed when one of their one-time artifacts is replayed. */
export const GRANT_MODEL = 'Grant';

/** Models indexed per account (`listByAccount`). */
export const ACCOUNT_INDEXED_MODELS = new Set([GRANT_MODEL, 'Session']);
