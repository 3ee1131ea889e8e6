import { Inject, Injectable, Optional } from '@nestjs/common';
import { exceptionFor } from '@tsunagu/common';
import {
  PROVISION_ERROR_MESSAGES, type ProvisionErrorCode, ProvisionErrorCodes, type ProvisionReport, type ProvisionReportAck,
} from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { HubMetrics } from '../platform/metrics/hub-metrics';
import { LedgerService } from './ledger/ledger.service';
import type { ConnectConnectorRow } from './connect.repository';
import { type GrantRecord, GrantRecordsRepository } from './grant-records.repository';

/** Refusals of a provision report (final: the connector drops the report). */
export const ProvisionException = exceptionFor('ProvisionException', ProvisionErrorCodes);
export type ProvisionException = InstanceType<typeof ProvisionException>;

function provisionError(code: ProvisionErrorCode, details?: { field: string; problem: string }[]): ProvisionException {
  return new ProvisionException(code, PROVISION_ERROR_MESSAGES[code], details);
}

/**
 * `POST /connect/v1/provisions` (docs/connector.md §8): a connector's report of one exchange,
 * appended to the provision ledger. Everything the ledger row says about the resident, the consent
 * and the services comes from the grant the hub issued (its grant record), so a connector can only
 * report exchanges under grants issued to it (consumer) or for it (provider).
 * Idempotent: the ledger keeps one row per (grant, providing service); repeats, and the other
 * side's report, answer `duplicate` — the row then notes that side too (who reported is what
 * tells the resident whether receipt was confirmed).
 *
 * How late a report may come: as long as the grant's `grant.issued` row is in the audit chain,
 * AUDIT_RETENTION_DAYS (≥ 400) after issuance — the window the hub always had, when it found
 * grants by that row. Grants live seconds, but a connector's outbox keeps an unacknowledged report
 * through any outage and sends it when the hub is reachable again, so a connector offline for
 * months still fills the resident's ledger; and every ledger row stays traceable to the chain's
 * evidence that the grant was issued. Older reports are refused as unknown grants.
 */
@Injectable()
export class ProvisionsService {
  private readonly logger = new AppLogger(ProvisionsService.name);

  constructor(
    private readonly grants: GrantRecordsRepository,
    private readonly ledger: LedgerService,
    @Inject(HUB_CONFIG) private readonly auditConfig: Pick<HubConfig, 'AUDIT_RETENTION_DAYS'>,
    @Optional() private readonly metrics?: HubMetrics,
  ) {}

  async report(connector: ConnectConnectorRow, report: ProvisionReport): Promise<ProvisionReportAck> {
    const grant = await this.grants.findForConnector(report.grantId, connector.id, report.side, this.auditConfig.AUDIT_RETENTION_DAYS);
    if (!grant) {
      this.logger.warn(LogKind.Event, 'Provision report for a grant not issued to or for the connector', { connectorId: connector.id, grantId: report.grantId, side: report.side });
      throw provisionError('provision_grant_unknown');
    }
    const problems = this.mismatches(grant, report);
    if (problems.length) throw provisionError('provision_mismatch', problems);

    const { status } = await this.ledger.record({
      consentVersionId: grant.consentVersionId, providerServiceId: grant.providerServiceId, items: grant.items, outcome: report.outcome,
      grantId: grant.grantId, occurredAt: new Date(report.occurredAt), side: report.side,
    });
    this.metrics?.provisionReports.inc({ side: report.side, outcome: report.outcome });
    this.logger.log(LogKind.Event, 'Provision reported', {
      connectorId: connector.id, grantId: grant.grantId, side: report.side, outcome: report.outcome, status,
    });
    return { reportId: report.reportId, grantId: grant.grantId, status };
  }

  private mismatches(grant: GrantRecord, report: ProvisionReport): { field: string; problem: string }[] {
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
}
