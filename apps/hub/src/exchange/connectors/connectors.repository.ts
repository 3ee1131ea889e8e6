import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';

export type ConnectorStatus = 'pending' | 'approved' | 'suspended' | 'revoked';

/** A connector with the status columns the screens show (see the admin migration for each column). */
export interface ConnectorRow {
  id: string;
  tenant_id: string;
  service_id: string;
  service_client_id: string;
  service_name_ja: string;
  service_name_en: string;
  service_active: boolean;
  name: string;
  public_jwk: Record<string, unknown>;
  status: ConnectorStatus;
  base_url: string;
  version: string | null;
  last_seen_at: Date | null;
  last_revocation_sync_at: Date | null;
  unacked_revocations: number;
  oldest_unacked_revocation_at: Date | null;
  status_changed_at: Date | null;
  status_changed_by_login: string | null;
  created_at: Date;
}

const SELECT = `SELECT c.*, s.client_id AS service_client_id, s.name_ja AS service_name_ja, s.name_en AS service_name_en, s.active AS service_active,
    a.login_id AS status_changed_by_login
  FROM connectors c JOIN services s ON s.id = c.service_id LEFT JOIN admin_accounts a ON a.id = c.status_changed_by`;

/**
 * Tenant-scoped SQL of connectors for the admin screens. Rows are registered by the connector
 * side (status `pending`); the runtime columns (last seen, sync, acks) are kept up to date there.
 * Here, only the status changes.
 */
@Injectable()
export class ConnectorsRepository {
  constructor(private readonly db: DataSource) {}

  list(tenantId: string): Promise<ConnectorRow[]> {
    return this.db.query(`${SELECT} WHERE c.tenant_id = $1 ORDER BY c.status = 'revoked', c.name`, [tenantId]);
  }

  async find(tenantId: string, id: string, q: Queryable = this.db): Promise<ConnectorRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`${SELECT} WHERE c.id = $1 AND c.tenant_id = $2`, [id, tenantId]))[0];
  }

  /** Locks the row (and reads it) for a status change in a transaction. */
  async lock(q: Queryable, tenantId: string, id: string): Promise<ConnectorRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`${SELECT} WHERE c.id = $1 AND c.tenant_id = $2 FOR UPDATE OF c`, [id, tenantId]))[0];
  }

  async setStatus(q: Queryable, tenantId: string, id: string, status: ConnectorStatus, adminId: string): Promise<void> {
    await q.query(
      `UPDATE connectors SET status = $3, status_changed_at = now(), status_changed_by = $4, updated_at = now() WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId, status, adminId]);
  }

  /**
   * Revokes connectors of the tenant and writes, in the same statement, one row each to the
   * connector revocation outbox (its push and feed entry; docs/connector.md §7, "A revoked
   * connector"). The caller holds the rows FOR UPDATE (the grant path holds them KEY SHARE while
   * it records a grant), so the moment — the statement's clock, taken after those locks — is later
   * than every grant issued to them. Call it late in the transaction (after waiting for other
   * locks, such as the audit chain's): the outbox row's position time (`created_at`, the same
   * moment) must be within the feed's settle time (5 s) of the commit.
   */
  async revoke(q: Queryable, tenantId: string, ids: string[], adminId: string): Promise<{ connector_id: string; revoked_at: Date }[]> {
    return q.query(
      `WITH revoked AS (
         UPDATE connectors SET status = 'revoked', status_changed_at = now(), status_changed_by = $3, updated_at = now()
         WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status <> 'revoked' RETURNING id, tenant_id)
       INSERT INTO connector_revocation_outbox (connector_id, tenant_id, revoked_at, created_at)
       SELECT r.id, r.tenant_id, t.at, t.at FROM revoked r CROSS JOIN (SELECT clock_timestamp() AS at) t
       RETURNING connector_id, revoked_at`, [tenantId, ids, adminId]);
  }

  /** Revokes every connector of a service (the service is being deleted), as {@link revoke} does; returns how many. */
  async revokeForService(q: Queryable, tenantId: string, serviceId: string, adminId: string): Promise<number> {
    const locked: { id: string }[] = await q.query(
      `SELECT id FROM connectors WHERE tenant_id = $1 AND service_id = $2 AND status <> 'revoked' ORDER BY id FOR UPDATE`, [tenantId, serviceId]);
    return locked.length ? (await this.revoke(q, tenantId, locked.map((c) => c.id), adminId)).length : 0;
  }
}
