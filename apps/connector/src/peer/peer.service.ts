import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock, type ReplayCache } from '@tsunagu/common';
import {
  type ConnectorOfferConfig, type ExchangeRequest, type ExchangeResponse, GRANT_AUTH_SCHEME, GRANT_CLOCK_TOLERANCE_SECONDS, type GrantClaims,
  openGrant, PEER_EXCHANGE_PATH, PROOF_MAX_AGE_SECONDS, TokenVerificationError, verifyProof,
} from '@tsunagu/contracts';
import { HttpAdapter } from '../adapters/http.adapter';
import { OfferCatalog, schemaProblems } from '../adapters/offer-catalog';
import { connectorError } from '../connector.exception';
import {
  CONNECTOR_CONFIG, CONNECTOR_IDENTITY, CONNECTOR_KEYS, type ConnectorConfig, type ConnectorIdentity,
} from '../connector.tokens';
import { HubKeys } from '../hub-client/hub-keys';
import type { ConnectorKeys } from '../keys/connector-keys';
import { ProvisionReporter } from '../provisions/provision-reporter';
import { RevocationSet } from '../revocations/revocation-set';
import { REPLAY_CACHE } from './replay-cache';
import { VerifiedGrantCache } from './verified-grants';

/** What the controller hands over: the two headers and the validated body. */
export interface ExchangeCall {
  authorization: string | undefined;
  dpop: string | undefined;
  body: ExchangeRequest;
}

/**
 * The provider side of the peer exchange (ARCHITECTURE.md §5 step 5). In order: grant
 * (decrypt, hub signature, audience, expiry), proof (key binding, method, URL, age, grant hash),
 * replay of the proof and of a single-use grant, revocation set freshness (fail closed) and
 * membership, the offers, the service call, the schemas, the revocation set once more, the
 * provision report stored durably, and the revocation set a last time just before the data
 * leaves. Any failure is a typed error and no item.
 */
@Injectable()
export class PeerService {
  private readonly logger = new AppLogger(PeerService.name);
  private readonly htu: string;
  /** Decrypted and verified grants (see VerifiedGrantCache for what a hit still checks). */
  private readonly verifiedGrants: VerifiedGrantCache;

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    @Inject(CONNECTOR_KEYS) private readonly keys: ConnectorKeys,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REPLAY_CACHE) private readonly replay: ReplayCache,
    private readonly hubKeys: HubKeys,
    private readonly revocations: RevocationSet,
    private readonly catalog: OfferCatalog,
    private readonly adapter: HttpAdapter,
    @Optional() private readonly provisions?: ProvisionReporter,
  ) {
    this.htu = `${config.publicUrl}${PEER_EXCHANGE_PATH}`;
    this.verifiedGrants = new VerifiedGrantCache((kid, key) => hubKeys.isCurrent(kid, key));
    // Hygiene and memory: every request still checks the set itself (assertNotRevoked).
    revocations.watch(this.verifiedGrants);
  }

  async exchange(call: ExchangeCall): Promise<ExchangeResponse> {
    const grant = this.grantFrom(call.authorization);
    const claims = await this.verify(grant, call.dpop);
    try {
      const items = await this.serve(claims, call.body);
      // No provision without a record (docs/connector.md §8): the report is on disk before
      // anything leaves, so a crash after this answer cannot lose it. Its failure refuses the exchange.
      await this.reportExchange(claims, 'provided');
      // The fsync took a moment in which a withdrawal may have been applied (and acknowledged to the
      // hub): the promise is about the data, so check once more. The ledger may then show this
      // grant as provided although this one exchange was refused — more, never less, than happened.
      this.assertNotRevoked(claims);
      this.logger.log(LogKind.Communication, 'Exchange served', {
        grantId: claims.jti, consentId: claims.consent_id, consumer: claims.azp, dataUse: claims.data_use, items: claims.items, outcome: 'provided',
      });
      return { grantId: claims.jti, items, providedAt: this.clock.now().toISOString() };
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Exchange refused', {
        grantId: claims.jti, consentId: claims.consent_id, consumer: claims.azp, dataUse: claims.data_use, outcome: 'refused', code: (error as { code?: string }).code,
      });
      // The ledger shows the resident the refusals that are about them (consent); not outages. No
      // data moves with a refusal, so its report is stored without holding the answer back (a
      // failure to store it is logged by the reporter).
      if ((error as { code?: string }).code === 'consent_revoked') this.reportExchange(claims, 'refused', 'consent_revoked').catch(() => undefined);
      throw error;
    }
  }

  /** Stores the exchange's metadata (never the items' values) for the hub's provision ledger; resolves once durable. */
  private async reportExchange(claims: GrantClaims, outcome: 'provided' | 'refused', code?: string): Promise<void> {
    await this.provisions?.report('provider', {
      grantId: claims.jti, peerConnectorId: claims.azp, dataUse: claims.data_use, items: claims.items, purpose: claims.purpose,
      consentId: claims.consent_id, consentVersion: claims.consent_version, outcome, ...(code ? { code } : {}),
    });
  }

  private grantFrom(authorization: string | undefined): string {
    const match = /^(\S+)\s+(\S+)$/.exec(authorization?.trim() ?? '');
    if (!match || match[1].toLowerCase() !== GRANT_AUTH_SCHEME.toLowerCase()) {
      throw connectorError('grant_invalid', [{ field: 'Authorization', problem: `expected "${GRANT_AUTH_SCHEME} <grant>"` }]);
    }
    return match[2];
  }

  private async verify(grant: string, proof: string | undefined): Promise<GrantClaims> {
    const now = this.clock.now();
    try {
      const nowMs = now.getTime();
      const claims = this.verifiedGrants.get(grant, nowMs) ?? await this.openAndRemember(grant, now);
      const verified = await verifyProof(proof, { htm: 'POST', htu: this.htu, grant, expectedJkt: claims.cnf.jkt, now });
      const tolerance = GRANT_CLOCK_TOLERANCE_SECONDS * 1000;
      if (!(await this.replay.checkAndRemember(`proof:${verified.jkt}:${verified.jti}`, new Date((verified.iat + PROOF_MAX_AGE_SECONDS) * 1000 + tolerance)))) {
        throw new TokenVerificationError('grant_replayed', 'proof jti seen before');
      }
      if (!claims.reusable && !(await this.replay.checkAndRemember(`grant:${claims.jti}`, new Date(claims.exp * 1000 + tolerance)))) {
        throw new TokenVerificationError('grant_replayed', 'single-use grant presented again');
      }
      return claims;
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error;
      this.logger.warn(LogKind.Authentication, 'Grant refused', { code: error.code, problem: error.problem });
      throw connectorError(error.code);
    }
  }

  /** The full verification of a grant not seen before (or no longer trusted from the cache). */
  private async openAndRemember(grant: string, now: Date): Promise<GrantClaims> {
    let signedBy: { kid: string; key: unknown } | undefined;
    const claims = await openGrant(grant, {
      hubKeys: async (header) => {
        const key = await this.hubKeys.resolve(header);
        signedBy = header.kid && key ? { kid: header.kid, key } : undefined;
        return key;
      },
      decryptionKey: this.keys.encryption.privateKey, issuer: this.config.hub.issuer, audience: this.identity.id, now,
    });
    if (signedBy) this.verifiedGrants.put(grant, claims, signedBy.kid, signedBy.key, now.getTime());
    return claims;
  }

  private assertNotRevoked(claims: GrantClaims): void {
    if (!this.revocations.isFresh()) {
      throw connectorError('revocations_stale');
    }
    if (this.revocations.isRevoked(claims.consent_id, claims.consent_version)) {
      throw connectorError('consent_revoked');
    }
    // The consumer's tenant revoked its connector after this grant was issued to it.
    if (this.revocations.isConnectorRevoked(claims.azp, claims.iat)) {
      throw connectorError('connector_revoked');
    }
  }

  private async serve(claims: GrantClaims, body: ExchangeRequest): Promise<Record<string, unknown>> {
    this.assertNotRevoked(claims);
    const offers: ConnectorOfferConfig[] = [];
    const compiled = claims.items.map((code) => {
      const offer = this.catalog.offer(code);
      if (!offer) throw connectorError('offer_not_provided', [{ field: 'items', problem: code }]);
      offers.push(offer.config);
      return offer;
    });
    const fetched = await this.adapter.fetchItems(offers, claims.sub, body.period, this.clock.now());
    // Only the granted items, in the grant's order, each valid against its offer's schema.
    const items: Record<string, unknown> = {};
    for (const offer of compiled) {
      const value = fetched[offer.config.code];
      if (!offer.validate(value)) {
        this.logger.warn(LogKind.Communication, 'Service data violates the offer schema', { item: offer.config.code });
        throw connectorError('schema_violation', schemaProblems(offer.config.code, offer.validate.errors));
      }
      items[offer.config.code] = value;
    }
    // The resident may have withdrawn while the service was answering: check again before anything leaves.
    this.assertNotRevoked(claims);
    return items;
  }
}
