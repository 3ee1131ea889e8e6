import { Injectable } from '@nestjs/common';
import { GRANT_CLOCK_TOLERANCE_SECONDS, GRANT_MAX_LIFETIME_SECONDS } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AcknowledgementWait, type EnforcementSummary } from './enforcement-bounds';
import { type ConnectorRevocationEnforcementRow, EnforcementRepository } from './enforcement.repository';

/**
 * How a connector's revocation was enforced: the hub committed it, pushed it to every provider
 * that served the connector a grant still live (or expired within the grace) and waited, bounded,
 * for their signed acknowledgements. `connectors` are those providers (role `provider`).
 */
export interface ConnectorRevocationEnforcementView extends EnforcementSummary {
  /** The revoked connector. */
  connectorId: string;
  /** ISO 8601: the moment grants issued to it until then are refused. */
  revokedAt: string;
}

/** A connector revocation the caller has just seen committed. */
export interface CommittedRevocation {
  connectorId: string;
  /** When the caller knew the revocation was committed (after its transaction returned). */
  committedAt: Date;
}

/**
 * Enforce, then answer, for a revoked connector (docs/connector.md §7, "A revoked connector"):
 * the grants already issued to it stay valid for up to 30 s at the providers that serve them.
 * After the revocation commits, `enforce` wakes the dispatcher, which pushes a signed
 * connector-revoked event to each such provider, and waits at most REVOCATION_ACK_WAIT_MS until
 * each has acknowledged that it refuses the connector's grants; then it says what the admin may be
 * told: refused everywhere now, or by when at the latest.
 *
 * "By when" for a provider that has not acknowledged is the first of its grant's end and, if it
 * asked for revoked connectors in its feed, the commit plus the staleness bound (the same rule as
 * for a withdrawal, enforcement-bounds.ts); a provider that did not ask (an earlier connector)
 * learns of it only by the push, so for it the grant's end is the bound.
 */
@Injectable()
export class ConnectorRevocationEnforcementService {
  private readonly logger = new AppLogger(ConnectorRevocationEnforcementService.name);

  constructor(private readonly repo: EnforcementRepository, private readonly acks: AcknowledgementWait) {}

  /**
   * Waits (bounded) for the providers' acknowledgements and records what the admin is told.
   * Undefined when the connector has no revocation outbox row (not revoked, or revoked before the
   * hub pushed revocations of connectors). Never throws: the revocation is committed whatever
   * happens here; if its state cannot be read, the admin is told the bound that holds regardless
   * (every grant issued to the connector, before the commit, has expired: they live 60 s at most).
   */
  async enforce(revocation: CommittedRevocation): Promise<ConnectorRevocationEnforcementView | undefined> {
    // The commit wakes this process's dispatcher at once (other replicas hear the database's notification).
    this.acks.committed();
    try {
      return await this.waitForAcks(revocation);
    } catch (error) {
      this.logger.error('Could not follow the enforcement of a connector revocation; answering with the grants\' expiry', error, { connectorId: revocation.connectorId });
      const committedAt = revocation.committedAt.toISOString();
      const bound = new Date(revocation.committedAt.getTime() + (GRANT_MAX_LIFETIME_SECONDS + GRANT_CLOCK_TOLERANCE_SECONDS) * 1000).toISOString();
      return { connectorId: revocation.connectorId, revokedAt: committedAt, committedAt, complete: false, enforcedAt: null, enforcedBy: bound, connectors: [] };
    }
  }

  private async waitForAcks(revocation: CommittedRevocation): Promise<ConnectorRevocationEnforcementView | undefined> {
    const load = async () => {
      const row = await this.repo.findConnectorRevocation(revocation.connectorId);
      return row ? [row] : [];
    };
    const [row] = await this.acks.untilAcknowledged(load, revocation.committedAt);
    if (!row) return undefined;
    const view = this.view(row, revocation.committedAt);
    await this.repo.recordConnectorRevocationAnswer(row.seq, revocation.committedAt, new Date(view.enforcedBy));
    if (!view.complete) {
      this.logger.warn(LogKind.Communication, 'Connector revocation answered before every provider acknowledged', {
        connectorId: revocation.connectorId, enforcedBy: view.enforcedBy, pending: view.connectors.filter((c) => c.state !== 'enforced').map((c) => c.connectorId),
      });
    }
    return view;
  }

  /** The enforcement of a connector's revocation as it stands now (the connector's page after the answer). */
  async statusOf(connectorId: string): Promise<ConnectorRevocationEnforcementView | undefined> {
    const row = await this.repo.findConnectorRevocation(connectorId);
    // Revoked with its service (no admin waited): it was committed by the time it was dispatched.
    return row && this.view(row, row.committed_at ?? row.dispatched_at ?? this.acks.now());
  }

  private view(row: ConnectorRevocationEnforcementRow, committedAt: Date): ConnectorRevocationEnforcementView {
    // Before the dispatcher has claimed the row, the providers are not known: a grant issued to the
    // connector lapses at its expiry wherever it is served; if it held none, nothing can flow.
    const undispatched = row.latest_grant_expires_at ? new Date(row.latest_grant_expires_at.getTime() + GRANT_CLOCK_TOLERANCE_SECONDS * 1000) : committedAt;
    return {
      connectorId: row.connector_id, revokedAt: new Date(row.revoked_at).toISOString(),
      ...this.acks.summary(row, committedAt, undispatched),
    };
  }
}
