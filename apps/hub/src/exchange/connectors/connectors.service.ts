import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@tsunagu/common';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { PlatformSettingsService } from '../../operations/settings/platform-settings.service';
import { inTransaction } from '../../platform/database/sql';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminPrincipal, TenantRef } from '../../platform/access/admin-principal';
import { ConnectorRevocationEnforcementService, type ConnectorRevocationEnforcementView } from '../enforcement/connector-revocation-enforcement.service';
import { type ConnectorHealth, connectorHealth, acksOverdue, syncLagSeconds } from './connector-health';
import { type ConnectorRow, type ConnectorStatus, ConnectorsRepository } from './connectors.repository';

/** A connector with its judged health, for the screens. */
export interface ConnectorView extends ConnectorRow {
  health: ConnectorHealth;
  syncLagSeconds: number | null;
  acksOverdue: boolean;
}

/** A connector's page: its view, its key's thumbprint, and (once revoked) how the revocation was enforced at the providers. */
export interface ConnectorDetail extends ConnectorView {
  thumbprint?: string;
  revocation?: ConnectorRevocationEnforcementView;
}

export type ConnectorAction = 'approve' | 'suspend' | 'resume' | 'revoke';

/** Which status each action leads to, and from which statuses it may be taken. Revoked is final. */
export const TRANSITIONS: Record<ConnectorAction, { from: ConnectorStatus[]; to: ConnectorStatus }> = {
  approve: { from: ['pending'], to: 'approved' },
  suspend: { from: ['approved'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'approved' },
  revoke: { from: ['pending', 'approved', 'suspended'], to: 'revoked' },
};

const notFound = () => new AdminException('connector_not_found');

/**
 * Connectors of a tenant: status and health, and the admin's decisions on them (approve, suspend,
 * resume, revoke). A decision holds from the next request the connector makes: the hub reads the
 * status on every grant and feed request (connector issue). A revocation also stops the grants the
 * connector already holds: it commits with its outbox row, and the answer waits (bounded) until
 * the providers serving those grants have acknowledged that they refuse them
 * (ConnectorRevocationEnforcementService).
 */
@Injectable()
export class ConnectorsService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: ConnectorsRepository,
    private readonly settings: PlatformSettingsService,
    private readonly audit: AuditService,
    private readonly revocations: ConnectorRevocationEnforcementService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(tenant: TenantRef): Promise<ConnectorView[]> {
    const [rows, settings] = await Promise.all([this.repo.list(tenant.id), this.settings.current()]);
    const now = new Date();
    return rows.map((c) => ({ ...c, health: connectorHealth(c, now, settings), syncLagSeconds: syncLagSeconds(c, now), acksOverdue: acksOverdue(c, now, settings) }));
  }

  async detail(tenant: TenantRef, id: string): Promise<ConnectorDetail> {
    const [row, settings] = await Promise.all([this.repo.find(tenant.id, id), this.settings.current()]);
    if (!row) throw notFound();
    const now = new Date();
    const thumbprint = await calculateJwkThumbprint(row.public_jwk as JWK).catch(() => undefined);
    const revocation = row.status === 'revoked' ? await this.revocations.statusOf(row.id) : undefined;
    return { ...row, health: connectorHealth(row, now, settings), syncLagSeconds: syncLagSeconds(row, now), acksOverdue: acksOverdue(row, now, settings), thumbprint, revocation };
  }

  /**
   * Revokes a connector (final), then waits — at most REVOCATION_ACK_WAIT_MS — until every
   * provider serving a grant issued to it has acknowledged that it refuses them; the connector's
   * page then says so, or by when they are refused everywhere at the latest.
   */
  async revoke(principal: AdminPrincipal, tenant: TenantRef, id: string, reason?: string): Promise<ConnectorRevocationEnforcementView | undefined> {
    await this.act(principal, tenant, id, 'revoke', reason);
    return this.revocations.enforce({ connectorId: id, committedAt: this.clock.now() });
  }

  async act(principal: AdminPrincipal, tenant: TenantRef, id: string, action: ConnectorAction, reason?: string): Promise<ConnectorStatus> {
    const transition = TRANSITIONS[action];
    return inTransaction(this.db, async (tx) => {
      const connector = await this.repo.lock(tx, tenant.id, id);
      if (!connector) throw notFound();
      if (!transition.from.includes(connector.status)) {
        throw new AdminException('connector_transition_invalid');
      }
      if (transition.to === 'approved' && !connector.service_active) {
        throw new AdminException('connector_service_inactive');
      }
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: tenant.id, subject: id, outcome: 'success',
        details: { action: `connector.${action}`, name: connector.name, from: connector.status, to: transition.to, ...(reason?.trim() ? { reason: reason.trim() } : {}) },
      }, tx);
      // A revocation writes its outbox row in the same statement, last (its moment is then as close to the commit as can be).
      if (transition.to === 'revoked') await this.repo.revoke(tx, tenant.id, [id], principal.adminId);
      else await this.repo.setStatus(tx, tenant.id, id, transition.to, principal.adminId);
      return transition.to;
    });
  }
}
