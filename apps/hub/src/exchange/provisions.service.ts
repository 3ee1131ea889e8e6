import { Injectable } from '@nestjs/common';
import { exceptionFor, isUuid } from '@tsunagu/common';
import {
  PROVISION_ERROR_MESSAGES, type ProvisionErrorCode, ProvisionErrorCodes, type ProvisionReport, type ProvisionReportAck,
} from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { DataSource } from 'typeorm';
import { LedgerService } from './ledger/ledger.service';
import type { ConnectConnectorRow } from './connect.repository';

/** Refusals of a provision report (final: the connector drops the report). */
export const ProvisionException = exceptionFor('ProvisionException', ProvisionErrorCodes);
export type ProvisionException = InstanceType<typeof ProvisionException>;

function provisionError(code: ProvisionErrorCode, details?: { field: string; problem: string }[]): ProvisionException {
  return new ProvisionException(code, PROVISION_ERROR_MESSAGES[code], details);
}

/** What the hub recorded when it issued a grant (the `grant.issued` audit event). */
export interface IssuedGrant {
  grantId: string;
  consumerConnectorId: string;
  providerConnectorId: string;
  providerServiceId: string;
  dataUse: string;
  items: string[];
  purpose: string;
  consentId: string;
  consentVersion: number;
  consentVersionId: string;
}

/**
 * `POST /connect/v1/provisions` (docs/connector.md §8): a connector's report of one exchange,
 * appended to the provision ledger. Everything the ledger row says about the resident, the consent
 * and the services comes from the grant the hub issued (its `grant.issued` audit event), so a
 * connector can only report exchanges under grants issued to it (consumer) or for it (provider).
 * Idempotent: the ledger keeps one row per (grant, providing service); repeats answer `duplicate`.
 */
@Injectable()
export class ProvisionsService {
  private readonly logger = new AppLogger(ProvisionsService.name);

  constructor(private readonly db: DataSource, private readonly ledger: LedgerService) {}

  async report(connector: ConnectConnectorRow, report: ProvisionReport): Promise<ProvisionReportAck> {
    const grant = await this.findGrant(report.grantId);
    const mine = report.side === 'consumer' ? grant?.consumerConnectorId === connector.id : grant?.providerConnectorId === connector.id;
    if (!grant || !mine) {
      this.logger.warn(LogKind.Event, 'Provision report for a grant not issued to or for the connector', { connectorId: connector.id, grantId: report.grantId, side: report.side });
      throw provisionError('provision_grant_unknown');
    }
    const problems = this.mismatches(grant, report);
    if (problems.length) throw provisionError('provision_mismatch', problems);

    const row = await this.ledger.record({
      consentVersionId: grant.consentVersionId, providerServiceId: grant.providerServiceId, items: grant.items, outcome: report.outcome,
      grantId: grant.grantId, occurredAt: new Date(report.occurredAt),
    });
    this.logger.log(LogKind.Event, 'Provision reported', {
      connectorId: connector.id, grantId: grant.grantId, side: report.side, outcome: report.outcome, status: row ? 'recorded' : 'duplicate',
    });
    return { reportId: report.reportId, grantId: grant.grantId, status: row ? 'recorded' : 'duplicate' };
  }

  private mismatches(grant: IssuedGrant, report: ProvisionReport): { field: string; problem: string }[] {
    const problems: { field: string; problem: string }[] = [];
    const peer = report.side === 'consumer' ? grant.providerConnectorId : grant.consumerConnectorId;
    if (report.peerConnectorId !== peer) problems.push({ field: 'peerConnectorId', problem: 'not the other party of the grant' });
    if (report.dataUse !== grant.dataUse) problems.push({ field: 'dataUse', problem: 'not the grant\'s' });
    if (report.purpose !== grant.purpose) problems.push({ field: 'purpose', problem: 'not the grant\'s' });
    if (report.items.length !== grant.items.length || !report.items.every((i) => grant.items.includes(i))) problems.push({ field: 'items', problem: 'not the grant\'s' });
    if (report.consentId !== undefined && report.consentId !== grant.consentId) problems.push({ field: 'consentId', problem: 'not the grant\'s' });
    if (report.consentVersion !== undefined && report.consentVersion !== grant.consentVersion) problems.push({ field: 'consentVersion', problem: 'not the grant\'s' });
    return problems;
  }

  /** The grant as issued, from its audit event (the hub keeps no other record of grants). */
  private async findGrant(grantId: string): Promise<IssuedGrant | undefined> {
    const rows: {
      actor_id: string; details: { dataUse: string; items: string[]; purpose: string; consentId: string; consentVersion: number; providerConnectorId: string };
      provider_service_id: string | null; consent_version_id: string | null;
    }[] = await this.db.query(
      `SELECT e.actor_id, e.details, pc.service_id AS provider_service_id, cv.id AS consent_version_id
       FROM audit_events e
       LEFT JOIN connectors pc ON pc.id::text = e.details->>'providerConnectorId'
       LEFT JOIN consents cv ON cv.consent_id::text = e.details->>'consentId' AND cv.version = (e.details->>'consentVersion')::int
       WHERE e.type = 'grant.issued' AND e.subject = $1 AND e.outcome = 'success'
       ORDER BY e.seq LIMIT 1`,
      [grantId]);
    const row = rows[0];
    if (!row?.provider_service_id || !row.consent_version_id || !isUuid(row.actor_id)) return undefined;
    return {
      grantId, consumerConnectorId: row.actor_id, providerConnectorId: row.details.providerConnectorId, providerServiceId: row.provider_service_id,
      dataUse: row.details.dataUse, items: row.details.items, purpose: row.details.purpose, consentId: row.details.consentId,
      consentVersion: row.details.consentVersion, consentVersionId: row.consent_version_id,
    };
  }
}
