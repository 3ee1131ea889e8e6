import { Injectable } from '@nestjs/common';
import type { AgreementState } from '@tsunagu/contracts';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';

/** One agreement with the names both tenants' screens show. */
export interface AgreementRow {
  id: string;
  data_use_id: string;
  data_use_code: string;
  data_use_title_ja: string;
  data_use_title_en: string;
  data_use_revision: number;
  data_use_status: string;
  purpose_ja: string;
  purpose_en: string;
  retention_days: number;
  consumer_tenant_id: string;
  consumer_tenant_name_ja: string;
  consumer_tenant_name_en: string;
  consumer_service_name_ja: string;
  consumer_service_name_en: string;
  provider_tenant_id: string;
  provider_tenant_name_ja: string;
  provider_tenant_name_en: string;
  state: AgreementState;
  items: string[];
  requested_items: string[];
  requested_revision: number;
  reason: string | null;
  decided_by_login: string | null;
  decided_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** One entry of an agreement's history. */
export interface AgreementEventRow {
  id: string;
  action: string;
  items: string[];
  revision: number;
  reason: string | null;
  actor_login: string | null;
  actor_tenant_name_ja: string | null;
  actor_tenant_name_en: string | null;
  created_at: Date;
}

const SELECT = `SELECT a.*, u.code AS data_use_code, u.title_ja AS data_use_title_ja, u.title_en AS data_use_title_en, u.revision AS data_use_revision,
    u.status AS data_use_status, u.purpose_ja, u.purpose_en, u.retention_days,
    ct.name_ja AS consumer_tenant_name_ja, ct.name_en AS consumer_tenant_name_en, s.name_ja AS consumer_service_name_ja, s.name_en AS consumer_service_name_en,
    pt.name_ja AS provider_tenant_name_ja, pt.name_en AS provider_tenant_name_en, d.login_id AS decided_by_login
  FROM data_agreements a
  JOIN data_uses u ON u.id = a.data_use_id
  JOIN services s ON s.id = u.service_id
  JOIN tenants ct ON ct.id = a.consumer_tenant_id
  JOIN tenants pt ON pt.id = a.provider_tenant_id
  LEFT JOIN admin_accounts d ON d.id = a.decided_by`;

/**
 * SQL of agreements: a providing tenant's approval of one data use for the items it provides.
 * An agreement is visible to both of its tenants (the consumer's, which asked, and the
 * provider's, which decides) and to nobody else: every read takes a tenant ID and matches it
 * against either side.
 */
@Injectable()
export class AgreementsRepository {
  constructor(private readonly db: DataSource) {}

  /** Agreements the tenant decides on (incoming requests), open ones first. */
  listIncoming(tenantId: string): Promise<AgreementRow[]> {
    return this.db.query(`${SELECT} WHERE a.provider_tenant_id = $1
      ORDER BY (a.state = 'pending') DESC, a.updated_at DESC`, [tenantId]);
  }

  /** Agreements the tenant asked for (its data uses). */
  listOutgoing(tenantId: string): Promise<AgreementRow[]> {
    return this.db.query(`${SELECT} WHERE a.consumer_tenant_id = $1 ORDER BY u.code, pt.name_ja`, [tenantId]);
  }

  /** The agreements of one data use (for its page). */
  listForUse(dataUseId: string, q: Queryable = this.db): Promise<AgreementRow[]> {
    return q.query(`${SELECT} WHERE a.data_use_id = $1 ORDER BY pt.name_ja`, [dataUseId]);
  }

  /** One agreement, if the tenant is one of its two sides. */
  async findVisible(tenantId: string, id: string, q: Queryable = this.db, lock = false): Promise<AgreementRow | undefined> {
    if (!isUuid(id)) return undefined;
    const rows = await q.query(`${SELECT} WHERE a.id = $1 AND (a.provider_tenant_id = $2 OR a.consumer_tenant_id = $2)${lock ? ' FOR UPDATE OF a' : ''}`, [id, tenantId]);
    return rows[0];
  }

  async history(agreementId: string): Promise<AgreementEventRow[]> {
    return this.db.query(
      `SELECT e.id, e.action, e.items, e.revision, e.reason, ad.login_id AS actor_login, t.name_ja AS actor_tenant_name_ja, t.name_en AS actor_tenant_name_en, e.created_at
       FROM data_agreement_events e LEFT JOIN admin_accounts ad ON ad.id = e.actor_admin_id LEFT JOIN tenants t ON t.id = e.actor_tenant_id
       WHERE e.agreement_id = $1 ORDER BY e.created_at DESC, e.id`, [agreementId]);
  }

  /**
   * Asks the providing tenant for these items of the data use's current revision: a new agreement
   * (pending), or an existing one re-opened when it asks for items not approved yet (all SET
   * expressions read the row as it was). A rejected
   * agreement is asked again; a retired one stays retired (the provider ended it for good).
   * @returns the agreement's ID and whether it now waits for the provider.
   */
  async request(q: Queryable, input: { dataUseId: string; consumerTenantId: string; providerTenantId: string; items: string[]; revision: number }): Promise<{ id: string; pending: boolean; state: AgreementState }> {
    const rows = await q.query(
      `INSERT INTO data_agreements (data_use_id, consumer_tenant_id, provider_tenant_id, state, requested_items, requested_revision)
       VALUES ($1, $2, $3, 'pending', $4, $5)
       ON CONFLICT (data_use_id, provider_tenant_id) DO UPDATE SET
         requested_items = EXCLUDED.requested_items,
         -- Approval never outlives the request: items dropped from the data use are dropped from
         -- the approval, so adding them back asks the provider again.
         items = ARRAY(SELECT item FROM unnest(EXCLUDED.requested_items) AS item WHERE item = ANY(data_agreements.items)),
         requested_revision = EXCLUDED.requested_revision,
         state = CASE
           WHEN data_agreements.state = 'retired' THEN 'retired'
           WHEN data_agreements.state = 'rejected' THEN 'pending'
           WHEN NOT (data_agreements.items @> EXCLUDED.requested_items) AND data_agreements.state IN ('approved', 'suspended') THEN 'pending'
           ELSE data_agreements.state END,
         updated_at = now()
       RETURNING id, state`,
      [input.dataUseId, input.consumerTenantId, input.providerTenantId, input.items, input.revision]);
    return { id: rows[0].id, state: rows[0].state, pending: rows[0].state === 'pending' };
  }

  /**
   * Moves an agreement from one of `from` to `to`, as its provider decides. Approving takes the
   * requested items as the approved ones. Undefined when the agreement is not in one of `from`.
   */
  async transition(q: Queryable, id: string, from: AgreementState[], to: AgreementState, decidedBy: string | null, reason: string | null): Promise<AgreementState | undefined> {
    // UPDATE … RETURNING answers [rows, count] (TypeORM's PostgreSQL driver).
    const [rows] = await q.query(
      `UPDATE data_agreements SET state = $3, reason = $5, decided_by = $4, decided_at = now(), updated_at = now(),
         items = CASE WHEN $3 = 'approved' AND state = 'pending' THEN requested_items ELSE items END
       WHERE id = $1 AND state = ANY($2::text[]) RETURNING state`, [id, from, to, decidedBy, reason]);
    return rows[0]?.state;
  }

  /**
   * Forgets the approvals of providers the data use no longer asks anything of (their items were
   * all dropped): asking them again later needs their approval again.
   */
  async dropUnrequested(q: Queryable, dataUseId: string, providerTenantIds: string[]): Promise<void> {
    await q.query(
      `UPDATE data_agreements SET items = '{}', updated_at = now()
       WHERE data_use_id = $1 AND NOT (provider_tenant_id = ANY($2::uuid[])) AND cardinality(items) > 0`, [dataUseId, providerTenantIds]);
  }

  /** Retires every agreement of a data use (the data use was retired). */
  async retireAllForUse(q: Queryable, dataUseId: string, reason: string): Promise<string[]> {
    const [rows] = await q.query(
      `UPDATE data_agreements SET state = 'retired', reason = $2, decided_at = now(), updated_at = now()
       WHERE data_use_id = $1 AND state <> 'retired' RETURNING id`, [dataUseId, reason]);
    return rows.map((r: { id: string }) => r.id);
  }

  async addEvent(q: Queryable, e: { agreementId: string; action: string; items: string[]; revision: number; reason: string | null; actorAdminId: string | null; actorTenantId: string | null }): Promise<void> {
    await q.query(
      `INSERT INTO data_agreement_events (agreement_id, action, items, revision, reason, actor_admin_id, actor_tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.agreementId, e.action, e.items, e.revision, e.reason, e.actorAdminId, e.actorTenantId]);
  }

  /**
   * The grant path's question, inside its transaction: does an approved agreement with the
   * providing tenant cover every one of these items of the data use? `FOR SHARE` holds the rows
   * until the grant commits, so a suspension either waits for the grant (and then revokes it by
   * its push) or is seen by it.
   */
  async covers(q: Queryable, dataUseId: string, providerTenantId: string, items: string[]): Promise<boolean> {
    const rows = await q.query(
      `SELECT 1 FROM data_agreements WHERE data_use_id = $1 AND provider_tenant_id = $2 AND state = 'approved' AND items @> $3::text[] FOR SHARE`,
      [dataUseId, providerTenantId, items]);
    return rows.length > 0;
  }
}
