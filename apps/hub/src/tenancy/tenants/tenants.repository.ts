import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';

export interface TenantRow {
  id: string;
  code: string;
  name_ja: string;
  name_en: string;
  kind: 'prefecture' | 'municipality';
  active: boolean;
  /** Networks (CIDRs) the tenant's admins may work from; empty: nowhere. */
  admin_allowed_cidrs: string[];
  created_at: Date;
  updated_at: Date;
  /** Set once when the tenant left the platform (docs/erasure.md "Tenants leaving"): the row stays, read-only. */
  deleted_at: Date | null;
}

/** A tenant with the counts the system admin's list shows. */
export interface TenantSummaryRow extends TenantRow {
  services: number;
  admins: number;
  connectors: number;
}

export type TenantValues = Pick<TenantRow, 'name_ja' | 'name_en' | 'kind' | 'admin_allowed_cidrs'>;

/**
 * SQL for tenants (the prefecture and the municipalities). Tenants are the platform's top level:
 * these reads are not tenant-scoped, and only the system admin's screens and the platform's own
 * plumbing (seeding, the admin network gate) call the listing ones.
 */
@Injectable()
export class TenantsRepository {
  constructor(private readonly db: DataSource) {}

  async findByCode(code: string): Promise<TenantRow | undefined> {
    return (await this.db.query(`SELECT * FROM tenants WHERE code = $1`, [code]))[0];
  }

  async findById(id: string, q: Queryable = this.db): Promise<TenantRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`SELECT * FROM tenants WHERE id = $1`, [id]))[0];
  }

  list(): Promise<TenantRow[]> {
    return this.db.query(`SELECT * FROM tenants ORDER BY kind DESC, code`);
  }

  /** Every tenant with its live counts (deleted services and revoked connectors are not counted). */
  listWithCounts(): Promise<TenantSummaryRow[]> {
    return this.db.query(
      `SELECT t.*,
         (SELECT count(*)::int FROM services s WHERE s.tenant_id = t.id AND s.deleted_at IS NULL AND NOT s.first_party) AS services,
         (SELECT count(*)::int FROM admin_accounts a WHERE a.tenant_id = t.id AND a.active) AS admins,
         (SELECT count(*)::int FROM connectors c WHERE c.tenant_id = t.id AND c.status <> 'revoked') AS connectors
       FROM tenants t ORDER BY t.active DESC, t.kind DESC, t.code`);
  }

  /** Every network any active tenant's admins may use (the gate before anyone has signed in). */
  async allAdminNetworks(): Promise<string[]> {
    const rows: { cidr: string }[] = await this.db.query(`SELECT DISTINCT unnest(admin_allowed_cidrs) AS cidr FROM tenants WHERE active`);
    return rows.map((r) => r.cidr);
  }

  /** @returns the new row, or which unique rule stopped it. */
  async insert(q: Queryable, code: string, v: TenantValues): Promise<TenantRow | 'duplicate_code' | 'duplicate_name'> {
    const rows = await q.query(
      `INSERT INTO tenants (code, name_ja, name_en, kind, admin_allowed_cidrs) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING *`, [code, v.name_ja, v.name_en, v.kind, v.admin_allowed_cidrs]);
    if (rows[0]) return rows[0];
    const [clash] = await q.query(`SELECT code = $1 AS same_code FROM tenants WHERE code = $1 OR name_ja = $2 OR name_en = $3 LIMIT 1`, [code, v.name_ja, v.name_en]);
    return clash?.same_code ? 'duplicate_code' : 'duplicate_name';
  }

  /** Locks and returns the row (for a change in a transaction). */
  async lock(q: Queryable, id: string): Promise<TenantRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`SELECT * FROM tenants WHERE id = $1 FOR UPDATE`, [id]))[0];
  }

  /** @returns false when another tenant has one of the names. */
  async update(q: Queryable, id: string, v: TenantValues): Promise<boolean> {
    const [clash] = await q.query(`SELECT 1 FROM tenants WHERE id <> $1 AND (name_ja = $2 OR name_en = $3)`, [id, v.name_ja, v.name_en]);
    if (clash) return false;
    await q.query(
      `UPDATE tenants SET name_ja = $2, name_en = $3, kind = $4, admin_allowed_cidrs = $5, updated_at = now() WHERE id = $1`,
      [id, v.name_ja, v.name_en, v.kind, v.admin_allowed_cidrs]);
    return true;
  }

  async setActive(q: Queryable, id: string, active: boolean): Promise<void> {
    await q.query(`UPDATE tenants SET active = $2, updated_at = now() WHERE id = $1`, [id, active]);
  }

  /** Active (not deleted) services of a tenant, except the platform's own first-party clients. */
  async countActiveServices(q: Queryable, id: string): Promise<number> {
    const [row] = await q.query(`SELECT count(*)::int AS n FROM services WHERE tenant_id = $1 AND active AND NOT first_party`, [id]);
    return row.n;
  }

  /** Development seeding: gives a tenant without admin networks the ones given. */
  async setNetworksIfEmpty(code: string, cidrs: string[]): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE tenants SET admin_allowed_cidrs = $2, updated_at = now() WHERE code = $1 AND cardinality(admin_allowed_cidrs) = 0 RETURNING id`, [code, cidrs]);
    return rows.length === 1;
  }
}
