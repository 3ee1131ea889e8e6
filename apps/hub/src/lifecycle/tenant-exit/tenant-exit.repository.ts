import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';
import type { HandoverItem } from '@tsunagu/contracts';
import type { ErasureTargetRow, HubErased } from '../departure/departure.repository';

/** The tenant as the export and the deletion read it. */
export interface ExitTenantRow {
  id: string;
  code: string;
  name_ja: string;
  name_en: string;
  kind: string;
  active: boolean;
  created_at: Date;
  deleted_at: Date | null;
}

/** Everything the archive holds, as read from the database (the builder shapes it). */
export interface TenantArchiveRows {
  services: {
    id: string; client_id: string; name_ja: string; name_en: string; redirect_uris: string[]; post_logout_redirect_uris: string[];
    token_endpoint_auth_method: string; has_secret: boolean; jwks: unknown; active: boolean; deleted_at: Date | null;
  }[];
  connectors: { id: string; service_id: string; name: string; public_jwk: unknown; status: string; base_url: string; created_at: Date }[];
  offers: { id: string; code: string; name_ja: string; name_en: string; status: string; schema: unknown }[];
  dataUses: { id: string; code: string; title_ja: string; title_en: string; purpose_ja: string; purpose_en: string; items: string[]; retention_days: number; status: string; revision: number }[];
  agreements: { id: string; data_use: string; consumer_tenant: string; provider_tenant: string; state: string; items: string[]; decided_at: Date | null }[];
  /** Current versions of consents to the tenant's data uses, with the sector their subject is pairwise in. */
  consents: { consent_id: string; resident_id: string; sector: string; data_use: string; version: number; state: string; items: string[]; valid_from: Date; valid_until: Date | null }[];
}

export interface TenantExportRow {
  id: string;
  tenant_id: string;
  exported_at: Date;
  exported_by_login: string;
  recipient: string;
  contract_name: string;
  items: HandoverItem[];
  digest: string;
}

export interface TenantExitRow {
  id: string;
  tenant_id: string;
  confirmed_by: string;
  export_id: string | null;
  no_export_reason: string | null;
  committed_at: Date;
  hub_erased: HubErased;
  oidc_clients: string[];
  access_residents: string[] | null;
  certify_after: Date;
  access_revoked_at: Date | null;
  certificate_id: string | null;
  certificate_jws: string | null;
  certified_at: Date | null;
}

/** What the deletion's transaction writes besides the consents. */
export interface NewTenantExit {
  tenantId: string;
  adminId: string;
  exportId: string | null;
  noExportReason: string | null;
  certifyAfter: Date;
  consentsWithdrawn: number;
}

/** What the deletion's transaction wrote: the exit, the hub's counts, and the data uses whose agreements it retired. */
export interface CommittedTenantExit {
  exitId: string;
  hubErased: HubErased;
  erasureRequests: number;
  /** Data uses (its own and other tenants') under an agreement the deletion retired: their consents end, and the answer waits for that. */
  agreementDataUseIds: string[];
}

/**
 * The erasure requests a tenant's deletion sends: one per connector (not revoked yet) of each
 * service that received data under the tenant's data uses or from its offers (the provision
 * ledger's consumer side), or served it (the provider side). A consumer is told the items it
 * holds a copy of; the data uses and agreements name the copies for every resident at once. No
 * consent IDs: there may be millions, and the withdrawals committed with the deletion already
 * reach every connector's grant cache through the consent change outbox.
 */
const INSERT_TENANT_ERASURE_REQUESTS = `WITH shared AS (
    SELECT p.consumer_service_id AS service_id, 'consumer' AS role, i AS item, u.code AS data_use, p.data_use_id, p.provider_tenant_id
    FROM provision_records p JOIN data_uses u ON u.id = p.data_use_id CROSS JOIN LATERAL unnest(p.items) AS i
    WHERE (p.tenant_id = $1 OR p.provider_tenant_id = $1) AND p.outcome = 'provided'
    UNION ALL
    SELECT p.provider_service_id, 'provider', i, u.code, p.data_use_id, p.provider_tenant_id
    FROM provision_records p JOIN data_uses u ON u.id = p.data_use_id CROSS JOIN LATERAL unnest(p.items) AS i
    WHERE (p.tenant_id = $1 OR p.provider_tenant_id = $1) AND p.outcome = 'provided'
  ), per AS (
    SELECT k.id AS connector_id, k.tenant_id, array_agg(DISTINCT s.role ORDER BY s.role) AS roles,
      COALESCE(array_agg(DISTINCT s.item ORDER BY s.item) FILTER (WHERE s.role = 'consumer'), array_agg(DISTINCT s.item ORDER BY s.item)) AS items,
      array_agg(DISTINCT s.data_use ORDER BY s.data_use) AS data_uses,
      ARRAY(SELECT DISTINCT a.id FROM data_agreements a WHERE a.data_use_id = ANY(array_agg(s.data_use_id)) AND a.provider_tenant_id = ANY(array_agg(s.provider_tenant_id))) AS agreement_ids
    FROM shared s JOIN connectors k ON k.service_id = s.service_id AND k.status <> 'revoked'
    GROUP BY k.id, k.tenant_id
  )
  INSERT INTO erasure_request_outbox (tenant_exit_id, connector_id, tenant_id, roles, subject, items, consent_ids, data_use_codes, agreement_ids)
  SELECT $2, per.connector_id, per.tenant_id, per.roles, NULL, per.items, '{}', per.data_uses, per.agreement_ids FROM per
  ON CONFLICT ON CONSTRAINT erasure_request_outbox_tenant_exit_connector_key DO NOTHING
  RETURNING seq::text AS seq`;

const EXIT_COLUMNS = `id, tenant_id, confirmed_by, export_id, no_export_reason, committed_at, hub_erased, oidc_clients, access_residents, certify_after,
  access_revoked_at, certificate_id, certificate_jws, certified_at`;

/**
 * SQL of a tenant leaving the platform (docs/erasure.md "Tenants leaving"): what its archive holds,
 * the export records, the deletion's writes on the caller's transaction, the open exits the
 * processor follows, and the certificates. Every query is scoped by the tenant's ID, except the
 * certificate look-up by its ID (the system admin's, platform-wide) and the list of open exits.
 */
@Injectable()
export class TenantExitRepository {
  constructor(private readonly db: DataSource) {}

  async findTenant(id: string, q: Queryable = this.db): Promise<ExitTenantRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`SELECT id, code, name_ja, name_en, kind, active, created_at, deleted_at FROM tenants WHERE id = $1`, [id]))[0];
  }

  async lockTenant(tx: Queryable, id: string): Promise<ExitTenantRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await tx.query(`SELECT id, code, name_ja, name_en, kind, active, created_at, deleted_at FROM tenants WHERE id = $1 FOR UPDATE`, [id]))[0];
  }

  /** What the archive holds; client secrets are never read (only whether one is set). */
  async archiveRows(tenantId: string): Promise<TenantArchiveRows> {
    const [services, connectors, offers, dataUses, agreements, consents] = await Promise.all([
      this.db.query(
        `SELECT id, client_id, name_ja, name_en, redirect_uris, post_logout_redirect_uris, token_endpoint_auth_method, (client_secret_enc IS NOT NULL) AS has_secret,
           jwks, active, deleted_at FROM services WHERE tenant_id = $1 ORDER BY client_id`, [tenantId]),
      this.db.query(`SELECT id, service_id, name, public_jwk, status, base_url, created_at FROM connectors WHERE tenant_id = $1 ORDER BY name`, [tenantId]),
      this.db.query(`SELECT id, code, name_ja, name_en, status, schema FROM data_offers WHERE tenant_id = $1 ORDER BY code`, [tenantId]),
      this.db.query(
        `SELECT id, code, title_ja, title_en, purpose_ja, purpose_en, items, retention_days, status, revision FROM data_uses WHERE tenant_id = $1 ORDER BY code`, [tenantId]),
      this.db.query(
        `SELECT a.id, u.code AS data_use, ct.code AS consumer_tenant, pt.code AS provider_tenant, a.state, a.items, a.decided_at
         FROM data_agreements a JOIN data_uses u ON u.id = a.data_use_id JOIN tenants ct ON ct.id = a.consumer_tenant_id JOIN tenants pt ON pt.id = a.provider_tenant_id
         WHERE a.consumer_tenant_id = $1 OR a.provider_tenant_id = $1 ORDER BY u.code, pt.code`, [tenantId]),
      this.db.query(
        `SELECT c.consent_id, c.resident_id, s.sector_identifier AS sector, u.code AS data_use, c.version, c.state, c.items, c.valid_from, c.valid_until
         FROM consents c JOIN data_uses u ON u.id = c.data_use_id JOIN services s ON s.id = u.service_id
         WHERE u.tenant_id = $1 AND c.superseded_at IS NULL ORDER BY u.code, c.consent_id`, [tenantId]),
    ]);
    return { services, connectors, offers, dataUses, agreements, consents };
  }

  async insertExport(v: { tenantId: string; adminId: string; exportId: string; exportedAt: Date; recipient: string; contractName: string; items: HandoverItem[]; digest: string }, q: Queryable): Promise<void> {
    await q.query(
      `INSERT INTO tenant_exports (id, tenant_id, exported_by, exported_at, recipient, contract_name, items, digest) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      [v.exportId, v.tenantId, v.adminId, v.exportedAt, v.recipient, v.contractName, JSON.stringify(v.items), v.digest]);
  }

  async listExports(tenantId: string): Promise<TenantExportRow[]> {
    if (!isUuid(tenantId)) return [];
    return this.db.query(
      `SELECT e.id, e.tenant_id, e.exported_at, a.login_id AS exported_by_login, e.recipient, e.contract_name, e.items, e.digest
       FROM tenant_exports e JOIN admin_accounts a ON a.id = e.exported_by WHERE e.tenant_id = $1 ORDER BY e.exported_at DESC`, [tenantId]);
  }

  async latestExport(tx: Queryable, tenantId: string): Promise<{ id: string; digest: string } | undefined> {
    return (await tx.query(`SELECT id, digest FROM tenant_exports WHERE tenant_id = $1 ORDER BY exported_at DESC LIMIT 1`, [tenantId]))[0];
  }

  /** Residents with an open consent to one of the tenant's data uses (their withdrawals are planned one resident at a time). */
  async residentsWithOpenConsents(tenantId: string): Promise<{ residentIds: string[]; dataUseIds: string[] }> {
    const uses: { id: string }[] = await this.db.query(`SELECT id FROM data_uses WHERE tenant_id = $1`, [tenantId]);
    const residents: { resident_id: string }[] = await this.db.query(
      `SELECT DISTINCT c.resident_id FROM consents c JOIN data_uses u ON u.id = c.data_use_id
       WHERE u.tenant_id = $1 AND c.superseded_at IS NULL AND c.state IN ('active', 'paused') ORDER BY c.resident_id`, [tenantId]);
    return { residentIds: residents.map((r) => r.resident_id), dataUseIds: uses.map((u) => u.id) };
  }

  /**
   * The hub's part of the deletion, on the caller's transaction after the consents were
   * withdrawn: agreements retired (as consumer and as provider), offers withdrawn, data uses
   * retired, one erasure request per connector concerned (before the tenant's own connectors are
   * revoked: they hold copies too), links to its services removed, services disabled (OIDC clients
   * gone, secrets cleared), admin accounts disabled and their sessions ended, connectors revoked
   * (their tokens refused; the revocation is pushed to their peers), and the tenant marked deleted.
   */
  async commit(tx: Queryable, v: NewTenantExit, revokeConnectors: (ids: string[]) => Promise<number>): Promise<CommittedTenantExit> {
    const t = v.tenantId;
    const agreements: { id: string; data_use_id: string; items: string[]; requested_revision: number }[] = await tx.query(
      `WITH r AS (UPDATE data_agreements SET state = 'retired', reason = 'tenant left the platform', decided_by = $2, decided_at = now(), updated_at = now()
         WHERE (consumer_tenant_id = $1 OR provider_tenant_id = $1) AND state NOT IN ('retired', 'rejected') RETURNING id, data_use_id, items, requested_revision)
       SELECT id, data_use_id, items, requested_revision FROM r`, [t, v.adminId]);
    for (const a of agreements) {
      await tx.query(
        `INSERT INTO data_agreement_events (agreement_id, action, items, revision, reason, actor_admin_id, actor_tenant_id) VALUES ($1, 'retired', $2, $3, 'tenant left the platform', $4, NULL)`,
        [a.id, a.items, a.requested_revision, v.adminId]);
    }
    const [offers] = await tx.query(
      `WITH w AS (UPDATE data_offers SET status = 'withdrawn', updated_at = now() WHERE tenant_id = $1 AND status <> 'withdrawn' RETURNING 1) SELECT count(*)::int AS n FROM w`, [t]);
    const [uses] = await tx.query(
      `WITH r AS (UPDATE data_uses SET status = 'retired', retired_at = now(), updated_at = now() WHERE tenant_id = $1 AND status <> 'retired' RETURNING 1) SELECT count(*)::int AS n FROM r`, [t]);
    const [access] = await tx.query(
      `SELECT COALESCE((SELECT array_agg(client_id ORDER BY client_id) FROM services WHERE tenant_id = $1), '{}') AS clients,
         COALESCE((SELECT array_agg(DISTINCT l.resident_id) FROM service_links l JOIN services s ON s.id = l.service_id WHERE s.tenant_id = $1), '{}') AS residents`, [t]);
    const [exit] = await tx.query(
      `INSERT INTO tenant_exits (tenant_id, confirmed_by, export_id, no_export_reason, hub_erased, oidc_clients, access_residents, certify_after)
       VALUES ($1, $2, $3, $4, '{}'::jsonb, $5, $6, $7) RETURNING id`,
      [t, v.adminId, v.exportId, v.noExportReason, access.clients, access.residents, v.certifyAfter]);
    const requests = await tx.query(INSERT_TENANT_ERASURE_REQUESTS, [t, exit.id]);
    const [links] = await tx.query(
      `WITH d AS (DELETE FROM service_links l USING services s WHERE s.id = l.service_id AND s.tenant_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [t]);
    const [secrets] = await tx.query(
      `SELECT (count(*) FILTER (WHERE client_secret_enc IS NOT NULL OR jwks IS NOT NULL))::int AS secrets, (count(*) FILTER (WHERE deleted_at IS NULL))::int AS services
       FROM services WHERE tenant_id = $1`, [t]);
    await tx.query(
      `UPDATE services SET active = false, deleted_at = COALESCE(deleted_at, now()), client_secret_enc = NULL, jwks = NULL, updated_at = now() WHERE tenant_id = $1`, [t]);
    // A system admin looking at the tenant's screens stops there (the tenant is gone for them too).
    await tx.query(`UPDATE admin_sessions SET acting_tenant_id = NULL WHERE acting_tenant_id = $1`, [t]);
    const [sessions] = await tx.query(
      `WITH d AS (DELETE FROM admin_sessions x USING admin_accounts a WHERE a.id = x.admin_id AND a.tenant_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [t]);
    // The rows stay (the audit chain names them by ID); what identifies or authenticates the person goes.
    const [admins] = await tx.query(
      `WITH d AS (UPDATE admin_accounts SET active = false, display_name = '（削除済み）', password_hash = '!', totp_secret_enc = '!', updated_at = now()
         WHERE tenant_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM d`, [t]);
    const connectorIds: { id: string }[] = await tx.query(`SELECT id FROM connectors WHERE tenant_id = $1 AND status <> 'revoked' ORDER BY id FOR UPDATE`, [t]);
    const revoked = connectorIds.length ? await revokeConnectors(connectorIds.map((c) => c.id)) : 0;
    await tx.query(`UPDATE tenants SET active = false, deleted_at = now(), admin_allowed_cidrs = '{}', updated_at = now() WHERE id = $1`, [t]);
    const hubErased: HubErased = {
      links: links.n, services: secrets.services, client_secrets: secrets.secrets, admin_accounts: admins.n, admin_sessions: sessions.n,
      connectors_revoked: revoked, agreements_retired: agreements.length, offers_withdrawn: offers.n, data_uses_retired: uses.n, consents_withdrawn: v.consentsWithdrawn,
    };
    await tx.query(`UPDATE tenant_exits SET hub_erased = $2::jsonb WHERE id = $1`, [exit.id, JSON.stringify(hubErased)]);
    return { exitId: exit.id, hubErased, erasureRequests: requests.length, agreementDataUseIds: [...new Set(agreements.map((a) => a.data_use_id))] };
  }

  async findExit(id: string): Promise<TenantExitRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`SELECT ${EXIT_COLUMNS} FROM tenant_exits WHERE id = $1`, [id]))[0];
  }

  async findExitByTenant(tenantId: string): Promise<TenantExitRow | undefined> {
    if (!isUuid(tenantId)) return undefined;
    return (await this.db.query(`SELECT ${EXIT_COLUMNS} FROM tenant_exits WHERE tenant_id = $1`, [tenantId]))[0];
  }

  /** A certificate by its ID (the system admin's look-up, platform-wide). */
  async findByCertificate(certificateId: string): Promise<TenantExitRow | undefined> {
    if (!isUuid(certificateId)) return undefined;
    return (await this.db.query(`SELECT ${EXIT_COLUMNS} FROM tenant_exits WHERE certificate_id = $1`, [certificateId]))[0];
  }

  /** Exits the processor still has work on (unscoped: deletions are the platform's). */
  listOpen(limit: number): Promise<TenantExitRow[]> {
    return this.db.query(`SELECT ${EXIT_COLUMNS} FROM tenant_exits WHERE access_revoked_at IS NULL OR certified_at IS NULL ORDER BY committed_at LIMIT $1`, [limit]);
  }

  async markAccessRevoked(id: string, grants: number): Promise<void> {
    await this.db.query(
      `UPDATE tenant_exits SET access_revoked_at = now(), access_residents = NULL, hub_erased = hub_erased || jsonb_build_object('oidc_grants', $2::int)
       WHERE id = $1 AND access_revoked_at IS NULL`, [id, grants]);
  }

  /** The exit's erasure requests with their deliveries and the names the certificate prints. */
  async targets(exitId: string): Promise<ErasureTargetRow[]> {
    return this.db.query(
      `SELECT e.seq::text AS seq, e.connector_id, k.name AS connector_name, e.roles, e.items, true AS had_subject,
         s.name_ja AS service_name_ja, s.name_en AS service_name_en, t.name_ja AS tenant_name_ja, t.name_en AS tenant_name_en,
         e.dispatched_at, d.attempts, d.last_error, d.acked_at, d.ack_jws, d.failed_at
       FROM erasure_request_outbox e
       JOIN connectors k ON k.id = e.connector_id JOIN services s ON s.id = k.service_id JOIN tenants t ON t.id = e.tenant_id
       LEFT JOIN revocation_deliveries d ON d.outbox_seq = e.seq AND d.connector_id = e.connector_id AND d.kind = 'erasure'
       WHERE e.tenant_exit_id = $1 ORDER BY s.name_ja, k.name`, [exitId]);
  }

  /** What is kept about the tenant, pseudonymised by its ID (the certificate's 保存する情報). */
  async retainedCounts(tenantId: string): Promise<{ consent_versions: number; consent_receipts: number; provision_records: number; grant_records: number; audit_events: number }> {
    const [row] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM consents c JOIN data_uses u ON u.id = c.data_use_id WHERE u.tenant_id = $1) AS consent_versions,
         (SELECT count(*)::int FROM consent_receipts r JOIN consents c ON c.id = r.consent_version_id JOIN data_uses u ON u.id = c.data_use_id WHERE u.tenant_id = $1) AS consent_receipts,
         (SELECT count(*)::int FROM provision_records WHERE tenant_id = $1 OR provider_tenant_id = $1) AS provision_records,
         (SELECT count(*)::int FROM grant_records g JOIN data_uses u ON u.code = g.data_use WHERE u.tenant_id = $1) AS grant_records,
         (SELECT count(*)::int FROM audit_events WHERE tenant_id = $1::text) AS audit_events`,
      [tenantId]);
    return row;
  }

  /** Issues the certificate once; false when another replica issued it first. */
  async storeCertificate(id: string, certificateId: string, jws: string, issuedAt: Date): Promise<boolean> {
    const [, updated] = await this.db.query(
      `UPDATE tenant_exits SET certificate_id = $2, certificate_jws = $3, certified_at = $4 WHERE id = $1 AND certified_at IS NULL`, [id, certificateId, jws, issuedAt]);
    return updated > 0;
  }
}
