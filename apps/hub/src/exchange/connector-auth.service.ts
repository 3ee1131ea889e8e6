import { Inject, Injectable } from '@nestjs/common';
import { type ClientAssertionClaims, publicEcJwk, TokenVerificationError, verifyClientAssertion } from '@tsunagu/contracts';
import { AppLogger, LogKind, setLogActor } from '@tsunagu/logger';
import type { JWK } from 'jose';
import { isUuid, type ReplayCache } from '@tsunagu/common';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { ASSERTION_REPLAY_CACHE } from './connect.tokens';
import { connectError } from './connect.exception';
import { type ConnectConnectorRow, ConnectRepository } from './connect.repository';

/** Reads `Authorization: Bearer <assertion>`; undefined when absent or of another scheme. */
export function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9_.-]+)$/i.exec(authorization?.trim() ?? '');
  return match?.[1];
}

/**
 * Authenticates connectors: `private_key_jwt` client assertions (RFC 7523) verified with the key
 * registered for `iss`, single use (`jti` remembered until `exp`), then the connector's status.
 */
@Injectable()
export class ConnectorAuthService {
  private readonly logger = new AppLogger(ConnectorAuthService.name);

  constructor(
    private readonly repo: ConnectRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(ASSERTION_REPLAY_CACHE) private readonly replay: ReplayCache,
  ) {}

  /** The hub's issuer identifier: the `aud` of assertions, the `iss` of grants, SETs and feed pages. */
  get issuer(): string {
    return this.config.PUBLIC_URL;
  }

  /**
   * The calling connector. `approved` (default true) refuses any status but approved with
   * `connector_not_approved`; every call updates `last_seen_at`.
   */
  async authenticate(authorization: string | undefined, options: { approved?: boolean } = {}): Promise<ConnectConnectorRow> {
    let connector: ConnectConnectorRow | undefined;
    await this.verify(authorization, async (iss) => {
      connector = isUuid(iss) ? await this.repo.findConnector(iss) : undefined;
      // Any status authenticates (a revoked connector may still read its own view, to learn it was revoked).
      return connector?.public_jwk;
    });
    await this.repo.touchLastSeen(connector!.id);
    setLogActor({ kind: 'connector', id: connector!.id, tenantId: connector!.tenant_id });
    if ((options.approved ?? true) && connector!.status !== 'approved') {
      this.logger.warn(LogKind.Authentication, 'Connector call refused: not approved', { connectorId: connector!.id, status: connector!.status });
      throw connectError('connector_not_approved');
    }
    return connector!;
  }

  /** Verifies an assertion with the key `keyFor` returns for its `iss` and consumes its `jti`. */
  async verify(authorization: string | undefined, keyFor: (iss: string) => Promise<JWK | undefined>): Promise<ClientAssertionClaims> {
    const assertion = bearer(authorization);
    if (!assertion) throw this.refused('no bearer assertion');
    let claims: ClientAssertionClaims;
    try {
      claims = await verifyClientAssertion(assertion, {
        audience: this.issuer,
        keyFor: async (iss) => {
          const key = await keyFor(iss);
          return key && publicEcJwk(key);
        },
      });
    } catch (error) {
      if (error instanceof TokenVerificationError) throw this.refused(error.problem);
      throw error;
    }
    if (!(await this.replay.checkAndRemember(claims.jti, new Date((claims.exp + 5) * 1000)))) throw this.refused('jti replayed');
    return claims;
  }

  private refused(problem: string) {
    this.logger.warn(LogKind.Authentication, 'Connector client assertion refused', { problem });
    return connectError('client_assertion_invalid');
  }
}
