import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import {
  asCryptoKey, GRANT_SIGNING_ALG, type HubKeyResolver, publicEcJwk, TokenVerificationError,
} from '@tsunagu/contracts';
import { CONNECTOR_CONFIG, type ConnectorConfig, HTTP_FETCH, type HttpFetch } from '../connector.tokens';
import { fetchProblem } from './fetch-error';

/** How long a fetched JWKS is trusted without refetching, and how often an unknown `kid` may trigger a refetch. */
export const JWKS_MAX_AGE_MS = 10 * 60_000;
export const JWKS_REFRESH_COOLDOWN_MS = 1_000;

/**
 * The hub's signing keys (grants, revocation events, feed pages), fetched from the hub JWKS and
 * cached. A `kid` not in the cache triggers one refetch (at most once per second, so that garbage
 * `kid`s cannot make the connector hammer the hub); concurrent lookups share one fetch. Only
 * public P-256 keys for ES256 are kept: nothing else can verify a Tsunagu token.
 */
@Injectable()
export class HubKeys {
  private readonly logger = new AppLogger(HubKeys.name);
  private keys = new Map<string, CryptoKey>();
  private fetchedAt = 0;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private inflight?: Promise<void>;

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(HTTP_FETCH) private readonly http: HttpFetch,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** For `openGrant` and the token verifiers. */
  readonly resolve: HubKeyResolver = async ({ kid }) => this.get(kid);

  /** The key with this `kid`, refetching once when unknown or when the cache is old. */
  async get(kid: string | undefined): Promise<CryptoKey | undefined> {
    if (!kid) return undefined;
    const now = this.clock.now().getTime();
    const cached = this.keys.get(kid);
    if (cached && now - this.fetchedAt < JWKS_MAX_AGE_MS) return cached;
    if (now - this.lastAttempt >= JWKS_REFRESH_COOLDOWN_MS || this.inflight) {
      try {
        await this.refresh();
      } catch (error) {
        // An old cached key still verifies while the hub is unreachable; an unknown one cannot.
        if (cached) return cached;
        throw error;
      }
    }
    return this.keys.get(kid);
  }

  /**
   * True when `key` is still what the cache holds for `kid` (no fetch): what a cached grant's
   * verification rests on. A refetch replaces every key object, so a cached grant is verified
   * again at most once per refetch; a key the hub stopped publishing fails at once.
   */
  isCurrent(kid: string, key: unknown): boolean {
    return key !== undefined && this.keys.get(kid) === key;
  }

  /** Fetches the JWKS now (shared by concurrent callers). Throws `hub_unavailable` when it cannot. */
  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Number of usable keys in the cache. */
  get size(): number {
    return this.keys.size;
  }

  private async load(): Promise<void> {
    this.lastAttempt = this.clock.now().getTime();
    let body: unknown;
    try {
      const res = await this.http(this.config.hub.jwksUrl, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.config.hub.timeoutMs), redirect: 'error' });
      if (!res.ok) throw new Error(`status ${res.status}`);
      body = await res.json();
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Hub JWKS unreachable', { url: this.config.hub.jwksUrl, problem: fetchProblem(error) });
      throw new TokenVerificationError('hub_unavailable', 'hub JWKS unreachable');
    }
    const next = new Map<string, CryptoKey>();
    const entries = Array.isArray((body as { keys?: unknown })?.keys) ? (body as { keys: Record<string, unknown>[] }).keys : [];
    for (const jwk of entries) {
      const pub = publicEcJwk(jwk);
      if (!pub || typeof jwk.kid !== 'string' || (jwk.alg !== undefined && jwk.alg !== GRANT_SIGNING_ALG) || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      try {
        next.set(jwk.kid, await asCryptoKey(pub, GRANT_SIGNING_ALG));
      } catch {
        // A malformed key is skipped; the others still verify.
      }
    }
    this.keys = next;
    this.fetchedAt = this.clock.now().getTime();
    this.logger.log(LogKind.Communication, 'Hub JWKS fetched', { keys: next.size });
  }
}
