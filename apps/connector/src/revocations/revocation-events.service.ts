import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import {
  CONNECTOR_REVOKED_EVENT, CONSENT_CHANGED_EVENT, ERASURE_REQUESTED_EVENT, type RevocationAckApplied, type ErasureRequest, type RevocationEventAck, revocationEventType, signRevocationAck,
  TokenVerificationError, verifyConnectorRevokedEvent, verifyErasureRequestedEvent, verifyRevocationEvent,
} from '@tsunagu/contracts';
import { connectorError } from '../connector.exception';
import {
  CONNECTOR_CONFIG, CONNECTOR_IDENTITY, CONNECTOR_KEYS, type ConnectorConfig, type ConnectorIdentity,
} from '../connector.tokens';
import { HubKeys } from '../hub-client/hub-keys';
import type { ConnectorKeys } from '../keys/connector-keys';
import { ErasureRequestsService } from '../erasure/erasure-requests.service';
import { RevocationSet } from './revocation-set';

/**
 * Pushed revocation events (RFC 8417 SETs delivered per RFC 8935): a consent change or a revoked
 * connector, verified against the hub JWKS, applied to the revocation set (which drops the cached
 * grants it revokes), acknowledged with a JWS signed by this connector's key naming what was applied.
 */
@Injectable()
export class RevocationEventsService {
  private readonly logger = new AppLogger(RevocationEventsService.name);

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    @Inject(CONNECTOR_KEYS) private readonly keys: ConnectorKeys,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hubKeys: HubKeys,
    private readonly set: RevocationSet,
    private readonly erasures: ErasureRequestsService,
  ) {}

  async receive(token: unknown): Promise<RevocationEventAck> {
    if (typeof token !== 'string' || !token.trim()) throw connectorError('event_invalid', [{ field: '(body)', problem: 'expected a compact JWS as application/secevent+jwt' }]);
    const set = token.trim();
    const options = { hubKeys: this.hubKeys.resolve, issuer: this.config.hub.issuer, audience: this.identity.id };
    let jti: string;
    let applied: RevocationAckApplied;
    let erasure: ErasureRequest | undefined;
    try {
      const type = revocationEventType(set);
      if (type === ERASURE_REQUESTED_EVENT) {
        const claims = await verifyErasureRequestedEvent(set, options);
        ({ jti } = claims);
        erasure = claims.events[ERASURE_REQUESTED_EVENT];
        applied = { erasure_id: erasure.erasure_id, erased: [], method: { ja: '', en: '' } };
      } else if (type === CONNECTOR_REVOKED_EVENT) {
        const claims = await verifyConnectorRevokedEvent(set, options);
        const revocation = claims.events[CONNECTOR_REVOKED_EVENT];
        const changed = this.set.applyConnectorRevocation(revocation);
        this.logger.log(LogKind.Event, 'Connector revocation applied', { eventId: claims.jti, revokedConnectorId: revocation.connector_id, revokedAt: revocation.revoked_at, changed });
        ({ jti } = claims);
        applied = { connector_id: revocation.connector_id, revoked_at: revocation.revoked_at };
      } else {
        const claims = await verifyRevocationEvent(set, options);
        const change = claims.events[CONSENT_CHANGED_EVENT];
        const changed = this.set.apply(change);
        this.logger.log(LogKind.Event, 'Revocation event applied', { eventId: claims.jti, consentId: change.consent_id, version: change.version, state: change.state, changed });
        ({ jti } = claims);
        applied = { consent_id: change.consent_id, version: change.version };
      }
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error;
      this.logger.warn(LogKind.Authentication, 'Revocation event refused', { problem: error.problem });
      // hub_unavailable (JWKS unreachable) answers 503 so that the hub retries; anything else is final.
      throw connectorError(error.code === 'hub_unavailable' ? 'hub_unavailable' : 'event_invalid');
    }
    // Verified: now erase (outside the verification's catch: a service that did not confirm is retried, never "invalid").
    if (erasure) applied = await this.erasures.apply(erasure);
    const ack = await signRevocationAck({
      privateKey: this.keys.signing.privateKey, kid: this.keys.signing.kid, connectorId: this.identity.id, hubIssuer: this.config.hub.issuer,
      eventJti: jti, applied, now: this.clock.now(),
    });
    return { ack };
  }
}
