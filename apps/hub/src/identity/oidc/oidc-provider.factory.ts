import { createHash, createHmac } from 'node:crypto';
import type Redis from 'ioredis';
import Provider, { type Configuration, type KoaContextWithOIDC, type UnknownObject } from 'oidc-provider';
import { inputProblemOf } from '@tsunagu/common';
import { Acr, SERVICE_AUTH_METHODS } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { HubConfig } from '../../platform/config/hub.config';
import type { KeysService } from '../../platform/keys/keys.service';
import type { ResidentsService } from '../residents/residents.service';
import { EXTRA_CLIENT_METADATA, type ServicesService } from '../../tenancy/services/services.service';
import { consumeRefusal } from './adapters/consume-refusal';
import { MemoryOidcState, MemoryOidcStore } from './adapters/memory-oidc-store';
import type { OidcStore } from './adapters/oidc-store';
import { RedisOidcStore } from './adapters/redis-oidc-store';
import { publicDocumentCaching } from './oidc-public-origin';
import { hubInteractionPolicy } from './step-up.policy';
import { TtlCache } from './ttl-cache';
import { oidcViews } from './oidc.views';

export const OIDC_PATH = '/oidc';
export const OIDC_PROVIDER = Symbol('OIDC_PROVIDER');

const storesOfProvider = new WeakMap<Provider, (model: string) => OidcStore>();

/** The stores behind a provider built here: what lists a resident's grants and sessions (`listByAccount`). */
export function oidcStoresOf(provider: Provider): (model: string) => OidcStore {
  const stores = storesOfProvider.get(provider);
  if (!stores) throw new Error('not a provider built by createOidcProvider');
  return stores;
}

export interface OidcProviderDeps {
  config: HubConfig;
  keys: KeysService;
  residents: ResidentsService;
  services: ServicesService;
  redis?: Redis;
}

/**
 * Answers, before the provider routes it, a request the hub's edge check marked (control
 * characters or broken text in the path, query or body; libs/common `inputGuardMiddleware`):
 * `invalid_request` as RFC 6749 JSON, or the provider's error page for a browser.
 */
export async function refuseMarkedInput(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  const problem = inputProblemOf(ctx.req);
  if (!problem) return next();
  const out = { error: 'invalid_request', error_description: `${problem.field}: ${problem.problem === 'malformed_body' ? 'the body could not be read' : 'contains characters that are not allowed'}` };
  ctx.status = 400;
  ctx.set('cache-control', 'no-store');
  if (ctx.accepts('json', 'html') === 'html') await oidcViews.renderError(ctx, out);
  else ctx.body = out;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The provider's outgoing requests (back-channel logout POSTs): oidc-provider refuses addresses
 * that are not globally routable (its SSRF guard). Outside production, services registered on
 * loopback (developers' machines, the demo services in tests; the back office accepts them only
 * there) are reached without it; everything else keeps the guard.
 */
export function providerFetch(production: boolean): NonNullable<Configuration['fetch']> {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (production || !LOOPBACK_HOSTS.has(url.hostname)) return fetch(input, init);
    const { dispatcher: _guard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
    return fetch(input, rest);
  };
}

/** A pairwise subject: stable per (sector, resident), unlinkable across sectors without the salt. */
export function pairwiseSubject(salt: string, sector: string, accountId: string): string {
  return createHmac('sha256', salt).update(`${sector}\u0000${accountId}`).digest('base64url');
}

/**
 * One of the hub's own client metadata values (EXTRA_CLIENT_METADATA). oidc-provider keeps them
 * on the client under their registered names; `client.metadata()` would snake-case every
 * property of the client to read one, on every token request.
 */
export function clientExtra(client: object | undefined, key: (typeof EXTRA_CLIENT_METADATA)[number]): unknown {
  return client ? (client as Record<string, unknown>)[key] : undefined;
}

/**
 * Builds the hub's OpenID Provider (panva's oidc-provider). Everything a replica needs comes from
 * PostgreSQL (keys, secrets, clients) and Redis (sessions, grants, tokens), so replicas are
 * interchangeable.
 */
export async function createOidcProvider(deps: OidcProviderDeps): Promise<Provider> {
  const { config, keys, residents, services } = deps;
  const logger = new AppLogger('OidcProvider');
  const [jwks, cookieKey, previousCookieKey, pairwiseSalt] = await Promise.all([
    keys.privateJwks(),
    keys.sharedSecret('oidc-cookie-key-1'),
    keys.sharedSecret('oidc-cookie-key-0'),
    keys.sharedSecret('pairwise-salt'),
  ]);
  const clients = new TtlCache((id) => services.clientMetadata(id), 5_000);
  // Token requests load the account to build claims; two seconds of staleness of a display name
  // is harmless, and a deleted resident's tokens are revoked with their grants anyway.
  const accounts = new TtlCache((id) => residents.findById(id), 2_000);
  const pairwiseSubjects = new Map<string, string>();
  const memory = deps.redis ? undefined : new MemoryOidcState();
  const storeFor = (model: string): OidcStore => (deps.redis ? new RedisOidcStore(deps.redis, model, config.REDIS_PREFIX) : new MemoryOidcStore(memory!, model));

  class HubAdapter {
    private readonly store?: OidcStore;
    constructor(private readonly model: string) {
      if (model !== 'Client') {
        this.store = storeFor(model);
      }
    }
    private get s(): OidcStore {
      if (!this.store) throw new Error('Clients are registered through the services module, not by oidc-provider');
      return this.store;
    }
    async upsert(id: string, payload: UnknownObject, expiresIn: number) { return this.s.upsert(id, payload, expiresIn); }
    async find(id: string) {
      if (this.model === 'Client') return clients.get(id);
      return this.s.find(id);
    }
    async findByUserCode(code: string) { return this.s.findByUserCode(code); }
    async findByUid(uid: string) { return this.s.findByUid(uid); }
    async consume(id: string) {
      const outcome = await this.s.consume(id);
      if (outcome !== 'consumed') throw consumeRefusal(this.model, outcome);
    }
    async destroy(id: string) { return this.s.destroy(id); }
    async revokeByGrantId(grantId: string) { return this.s.revokeByGrantId(grantId); }
  }

  const configuration: Configuration = {
    adapter: HubAdapter as unknown as Configuration['adapter'],
    jwks: { keys: jwks as NonNullable<Configuration['jwks']>['keys'] },
    cookies: {
      keys: [cookieKey, previousCookieKey],
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] },
    extraClientMetadata: { properties: [...EXTRA_CLIENT_METADATA] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'offline_access'],
    // acr/amr/auth_time ride on the openid scope so that every ID token states how the resident
    // signed in, whether or not the service asked (services check it for identity assurance).
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], profile: ['name'], sid: null, iss: null },
    acrValues: [Acr.Password, Acr.JpkiVerified],
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: async (_ctx, accountId, client) => {
      const sector = String((clientExtra(client, 'tsunagu_sector') as string | undefined) ?? client.sectorIdentifier ?? client.clientId);
      // Every token request asks again; the HMAC of a pair never changes for a given salt.
      const pair = `${sector}\u0000${accountId}`;
      let subject = pairwiseSubjects.get(pair);
      if (subject === undefined) {
        subject = pairwiseSubject(pairwiseSalt, sector, accountId);
        if (pairwiseSubjects.size >= 10_000) pairwiseSubjects.clear();
        pairwiseSubjects.set(pair, subject);
      }
      return subject;
    },
    findAccount: async (_ctx, id) => {
      const resident = await accounts.get(id);
      if (!resident) return undefined;
      return {
        accountId: resident.id,
        claims: async (_use, scope) => ({
          sub: resident.id,
          ...(scope.split(' ').includes('profile') ? { name: resident.displayName } : {}),
        }),
      };
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const client = ctx.oidc.client!;
      const grantId = (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ?? ctx.oidc.session!.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      // First-party screens of the hub itself (the resident portal) need no consent screen.
      if (clientExtra(client, 'tsunagu_first_party')) {
        const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope('openid profile');
        await grant.save();
        return grant;
      }
      return undefined;
    },
    // Step-up: a service asking for the card-verified level (acr_values or an essential acr claim)
    // above what the session's account has gets the `identity_verification` prompt (step-up.policy.ts).
    interactions: { policy: hubInteractionPolicy(), url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The feature set, stated rather than inherited from the library's defaults (docs/oidc.md
    // "Features"): what the services use, and nothing a service could switch on by itself.
    clientAuthMethods: [...SERVICE_AUTH_METHODS],
    features: {
      devInteractions: { enabled: false },
      // A service may introspect or revoke only the tokens issued to it (least data: no cross-service lookups).
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      // The `claims` parameter, for an essential `acr` claim (OIDC Core §5.5.1.1).
      claimsParameter: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: oidcViews.logoutSource, postLogoutSuccessSource: oidcViews.postLogoutSuccessSource },
      resourceIndicators: { enabled: false },
      // Sender-constrained tokens for clients that can hold a key (public apps): every resource of
      // the hub then asks for the proof (links-bearer.guard.ts, userinfo).
      dPoP: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      jwtResponseModes: { enabled: false },
      jwtIntrospection: { enabled: false },
      jwtUserinfo: { enabled: false },
      deviceFlow: { enabled: false },
      ciba: { enabled: false },
      clientCredentials: { enabled: false },
      registration: { enabled: false },
      encryption: { enabled: false },
      requestObjects: { enabled: false },
      // OpenID Connect Back-Channel Logout 1.0: a service with a backchannel_logout_uri gets a
      // logout token when the resident signs out at the hub (and when they remove the service in
      // the portal, identity/oidc/resident-access.service.ts).
      backchannelLogout: { enabled: true },
    },
    ttl: {
      AuthorizationCode: config.OIDC_CODE_TTL_SECONDS,
      AccessToken: config.OIDC_ACCESS_TOKEN_TTL_SECONDS,
      IdToken: 3600,
      RefreshToken: config.OIDC_REFRESH_TOKEN_TTL_SECONDS,
      Interaction: 3600,
      Session: config.OIDC_SESSION_TTL_SECONDS,
      Grant: 365 * 24 * 3600,
    },
    renderError: oidcViews.renderError,
    fetch: providerFetch(config.NODE_ENV === 'production'),
  };

  const provider = new Provider(`${config.PUBLIC_URL}${OIDC_PATH}`, configuration);
  // The forwarded headers it reads are set by publicOriginPin (oidc-front.ts) from PUBLIC_URL, never by the client.
  provider.proxy = true;
  provider.use(publicDocumentCaching);
  useAtomicReplayDetection(provider, storeFor('ReplayDetection'));
  storesOfProvider.set(provider, storeFor);
  provider.use(refuseMarkedInput);
  provider.on('server_error', (_ctx, error) => logger.error('oidc-provider server error', error));
  provider.on('grant.success', (ctx) => logger.log(LogKind.Authentication, 'Tokens issued', { clientId: ctx.oidc.client?.clientId, grantType: ctx.oidc.params?.grant_type }));
  provider.on('grant.error', (ctx, error) => logger.warn(LogKind.Authentication, 'Token request refused', { clientId: ctx.oidc.client?.clientId, error: (error as { error?: string }).error }));
  provider.on('authorization.error', (ctx, error) => logger.warn(LogKind.Authentication, 'Authorization request refused', { clientId: ctx.oidc.client?.clientId, error: (error as { error?: string }).error }));
  provider.on('backchannel.success', (_ctx, client) => logger.log(LogKind.Authentication, 'Back-channel logout delivered', { clientId: client.clientId }));
  provider.on('backchannel.error', (_ctx, error, client) => logger.warn(LogKind.Authentication, 'Back-channel logout failed', { clientId: client.clientId, error: (error as Error).message }));
  provider.on('end_session.success', (ctx) => logger.log(LogKind.Authentication, 'Signed out', { clientId: ctx.oidc.client?.clientId }));
  return provider;
}

/**
 * oidc-provider records single-use `jti`s (DPoP proofs, client assertions) by looking one up and
 * then saving it: two requests with the same proof at the same moment both pass. Here the record
 * is one atomic insert (SET NX on Redis), so exactly one of them does, on any replica.
 */
function useAtomicReplayDetection(provider: Provider, store: OidcStore): void {
  Object.defineProperty(provider.ReplayDetection, 'unique', {
    value: async (iss: string, jti: string, exp: number): Promise<boolean> => {
      const id = createHash('sha256').update(`${iss}${jti}`).digest('base64url');
      return store.insertOnce(id, { iss, jti: id }, exp - Math.floor(Date.now() / 1000));
    },
  });
}
