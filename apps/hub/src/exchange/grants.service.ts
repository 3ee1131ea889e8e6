import { Injectable, Optional } from '@nestjs/common';
import { type ConnectorErrorCode, type GrantRequest, type GrantResponse, issueGrant, jwkThumbprint } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { DataSource } from 'typeorm';
import { inTransaction } from '../platform/database/sql';
import { AuditService } from '../audit/audit.service';
import { AgreementsService } from '../catalog/agreements.service';
import { ConsentService } from '../consent/consent.service';
import { connectError } from './connect.exception';
import { type ConnectConnectorRow, ConnectRepository } from './connect.repository';
import { GrantRecordsRepository } from './grant-records.repository';
import { HubSigningKeyService } from './hub-signing-key.service';
import { HubMetrics } from '../platform/metrics/hub-metrics';

/**
 * Grant lifetime in seconds (≤ 60, docs/adr/2026-11-22-grant-format.md). Grants are reusable by
 * the same consumer within it (each use with a fresh DPoP proof): the revocation set, not the
 * grant's single use, is what stops data after a withdrawal.
 */
export const GRANT_LIFETIME_SECONDS = 30;

/** A refusal on the grant path, with what the audit row should say about it. */
class Refusal {
  constructor(readonly code: ConnectorErrorCode, readonly problem: string, readonly details?: { field: string; problem: string }[]) {}
}

/**
 * `POST /connect/v1/grants` (docs/connector.md §7.4, ARCHITECTURE.md §5 step 3): the hub decides
 * whether one consumer connector may fetch one resident's items from one provider, and if so
 * signs a short-lived grant encrypted to the provider. Every outcome is audit-logged.
 */
@Injectable()
export class GrantsService {
  private readonly logger = new AppLogger(GrantsService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repo: ConnectRepository,
    private readonly records: GrantRecordsRepository,
    private readonly consents: ConsentService,
    private readonly agreements: AgreementsService,
    private readonly signing: HubSigningKeyService,
    private readonly audit: AuditService,
    @Optional() private readonly metrics?: HubMetrics,
  ) {}

  async issue(consumer: ConnectConnectorRow, issuer: string, request: GrantRequest): Promise<GrantResponse> {
    try {
      const grant = await this.decide(consumer, issuer, request);
      this.metrics?.grants.inc({ outcome: 'issued', reason: '' });
      return grant;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.metrics?.grants.inc({ outcome: 'refused', reason: error.code });
      await this.audit.record({
        type: 'grant.refused', actor: { kind: 'connector', id: consumer.id }, tenantId: consumer.tenant_id, subject: request.dataUse, outcome: 'failure',
        reason: error.code, details: { dataUse: request.dataUse, items: request.items, ...(request.consentedOnly ? { consentedOnly: true } : {}), purpose: request.purpose, problem: error.problem },
      });
      this.logger.warn(LogKind.Event, 'Grant refused', { connectorId: consumer.id, dataUse: request.dataUse, code: error.code, problem: error.problem });
      throw connectError(error.code, error.details);
    }
  }

  private async decide(consumer: ConnectConnectorRow, issuer: string, request: GrantRequest, again = false): Promise<GrantResponse> {
    const link = await this.repo.findLinkByLocalId(consumer.service_id, request.localId);
    if (!link) throw new Refusal('resident_not_linked', 'no link at the consuming service');

    const use = await this.repo.findDataUse(request.dataUse);
    if (!use || !use.active) throw new Refusal('data_use_not_found', use ? 'data use retired' : 'no such data use');
    if (use.service_id !== consumer.service_id) throw new Refusal('permission_denied', 'data use of another service');
    // A resident who consented to be counted did not consent to have their data sent: a statistics
    // data use only ever gets aggregate cells computed at the provider, never a grant to exchange.
    if (use.kind === 'statistics') throw new Refusal('permission_denied', 'a statistics data use receives aggregates only, never personal data');
    if (request.purpose !== use.purpose_code) throw new Refusal('purpose_mismatch', 'purpose differs from the data use\'s');
    const foreign = request.items.filter((i) => !use.items.includes(i));
    if (foreign.length) throw new Refusal('invalid_request', 'items outside the data use', [{ field: 'items', problem: `not items of the data use: ${foreign.join(', ')}` }]);
    const offers = await this.repo.findOffers(request.items);
    const providers = new Set(offers.map((o) => o.service_id));
    if (offers.length !== request.items.length || providers.size !== 1) {
      throw new Refusal('invalid_request', 'items not offered by exactly one provider service', [{ field: 'items', problem: 'must be active offers of one providing service' }]);
    }
    // Default deny: the providing tenant must have approved this data use for these items (an
    // agreement). Asked again, under a share lock, in the transaction that records the grant.
    const providerTenantId = offers[0].tenant_id;
    if (!(await this.agreements.covers(this.db, use.id, providerTenantId, request.items))) {
      throw new Refusal('permission_denied', 'no approved agreement of the providing tenant covers the items');
    }

    const current = await this.repo.findCurrentConsent(link.resident_id, use.id);
    if (!current || current.state === 'expired') throw new Refusal('consent_required', current ? 'consent expired' : 'no consent');
    if (current.state === 'withdrawn') throw new Refusal('consent_withdrawn', 'consent withdrawn');
    if (current.state === 'paused') throw new Refusal('consent_paused', 'consent paused');
    // A consent to a data use that needs a verified identity serves only while the resident is
    // verified: a lapse pauses it with a receipt; this also holds one given before the rule existed.
    if (use.requires_verified_identity && !current.resident_verified) throw new Refusal('consent_paused', 'identity not verified');
    // "What the consent allows" (consentedOnly): the requested items the consent covers; otherwise all or nothing.
    const items = request.consentedOnly ? request.items.filter((i) => current.items.includes(i)) : request.items;
    if (!items.length || !items.every((i) => current.items.includes(i))) {
      throw new Refusal('items_not_consented', request.consentedOnly ? 'the consent covers none of the items' : 'items beyond the consent');
    }
    const covering = await this.consents.findActiveConsentCovering(link.resident_id, use.id, items, request.purpose);
    if (!covering) {
      // Active and covering by its items, yet not valid now: given to older terms, or past its validity (not swept yet).
      throw current.data_use_revision < use.consent_revision ? new Refusal('consent_paused', 'consent given to older terms') : new Refusal('consent_required', 'consent not valid now');
    }

    const providerServiceId = offers[0].service_id;
    const providerLocalId = await this.repo.findLocalIdOfResident(providerServiceId, link.resident_id);
    if (!providerLocalId) throw new Refusal('resident_not_linked', 'no link at the providing service');
    const provider = await this.repo.findApprovedConnectorOfService(providerServiceId);
    if (!provider) throw new Refusal('provider_unavailable', 'no approved connector at the providing service');
    // The provider and the consumer become audiences of this consent (withdrawals are pushed to
    // both: the provider stops serving, the consumer drops its cached grant) before the consent is
    // read again: a withdrawal committing meanwhile either finds these audiences or is found here,
    // and then the request is decided again on the new version.
    await this.repo.recordGrantAudiences(covering.consentId, [{ connectorId: provider.id, role: 'provider' }, { connectorId: consumer.id, role: 'consumer' }],
      new Date(Date.now() + (GRANT_LIFETIME_SECONDS + 1) * 1000));
    if (!(await this.repo.isCurrentConsentVersion(covering.consentId, covering.version))) {
      if (!again) return this.decide(consumer, issuer, request, true);
      throw new Refusal('consent_required', 'consent changed twice while the grant was being decided');
    }

    const { key, kid } = await this.signing.signingKey();
    const issued = await issueGrant({
      claims: {
        iss: issuer, aud: provider.id, sub: providerLocalId, azp: consumer.id, consumer_service: consumer.service_client_id, data_use: use.code,
        purpose: use.purpose_code, items, consent_id: covering.consentId, consent_version: covering.version,
        cnf: { jkt: await jwkThumbprint(consumer.public_jwk) }, reusable: true,
      },
      signingKey: key, kid, providerEncryptionKey: provider.encryption_jwk!, lifetimeSeconds: GRANT_LIFETIME_SECONDS,
    });
    const issuedAt = new Date(issued.iat * 1000);
    const expiresAt = new Date(issued.exp * 1000);
    // The record and the audit row commit together (the audit row last: its lock serialises appends).
    // The agreement is read again under a share lock: a suspension committing first is seen here
    // (refused); one committing after waits for this commit and then pauses the consent, which
    // pushes the revocation to the provider recorded as this consent's audience above.
    await inTransaction(this.db, async (tx) => {
      // The consumer's status, held until the commit: a revocation committing first is seen here
      // (refused); one committing after waits for this record, so its push reaches this provider.
      if (!(await this.repo.holdApprovedConnector(tx, consumer.id))) {
        throw new Refusal('connector_not_approved', 'the connector was suspended or revoked while the grant was being decided');
      }
      if (!(await this.agreements.covers(tx, use.id, providerTenantId, items))) {
        throw new Refusal('permission_denied', 'the agreement was suspended or retired while the grant was being decided');
      }
      await this.records.insert(tx, {
        grantId: issued.jti, consentId: covering.consentId, consentVersion: covering.version, consumerConnectorId: consumer.id, providerConnectorId: provider.id,
        residentId: link.resident_id, items, dataUse: use.code, purpose: use.purpose_code, issuedAt, expiresAt,
      });
      await this.audit.record({
        type: 'grant.issued', actor: { kind: 'connector', id: consumer.id }, tenantId: consumer.tenant_id, subject: issued.jti, outcome: 'success',
        details: {
          dataUse: use.code, items, ...(request.consentedOnly ? { requestedItems: request.items } : {}), purpose: use.purpose_code, consentId: covering.consentId, consentVersion: covering.version,
          residentId: link.resident_id, providerConnectorId: provider.id, expiresAt: expiresAt.toISOString(),
        },
      }, tx);
    });
    this.logger.log(LogKind.Event, 'Grant issued', { grantId: issued.jti, connectorId: consumer.id, providerConnectorId: provider.id, dataUse: use.code });
    return {
      grant: issued.grant, tokenType: 'DPoP', grantId: issued.jti, items, expiresAt: expiresAt.toISOString(), reusable: true,
      consentId: covering.consentId, consentVersion: covering.version, provider: { connectorId: provider.id, url: provider.base_url },
    };
  }
}
