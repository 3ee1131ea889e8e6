import { Injectable } from '@nestjs/common';
import type { OfferStatisticsDeclaration, OfferStatus } from '@tsunagu/contracts';
import { DataSource } from 'typeorm';
import type { Tx } from '../platform/database/sql';

/** States of one version of an offer. */
export type OfferVersionState = 'draft' | 'active' | 'superseded' | 'discarded';
/** Where a version came from. */
export type OfferVersionSource = 'connector' | 'admin' | 'seed' | 'migration';

/** A data_offers row with its service, tenant and connector names. */
export interface OfferRow {
  id: string;
  tenant_id: string;
  service_id: string;
  code: string;
  name_ja: string;
  name_en: string;
  description_ja: string;
  description_en: string;
  special_care: boolean;
  schema: Record<string, unknown>;
  status: OfferStatus;
  version: number;
  max_window_days: number | null;
  /** What a statistics data use may do with the item; null: not offered for statistics. */
  statistics: OfferStatisticsDeclaration | null;
  connector_id: string | null;
  created_at: Date;
  updated_at: Date;
  service_client_id: string;
  service_name_ja: string;
  service_name_en: string;
  service_active: boolean;
  tenant_code: string;
  tenant_name_ja: string;
  tenant_name_en: string;
  connector_name: string | null;
  /** The version number of the pending draft, if there is one. */
  draft_version: number | null;
}

/** The texts, schema and flags of one version (what a draft carries and activation copies). */
export interface OfferContent {
  name_ja: string;
  name_en: string;
  description_ja: string;
  description_en: string;
  special_care: boolean;
  schema: Record<string, unknown>;
  max_window_days: number | null;
  statistics: OfferStatisticsDeclaration | null;
}

/** A data_offer_versions row, with who created and activated it. */
export interface OfferVersionRow extends OfferContent {
  id: string;
  offer_id: string;
  version: number;
  state: OfferVersionState;
  source: OfferVersionSource;
  created_by: string | null;
  created_by_name: string | null;
  connector_id: string | null;
  connector_name: string | null;
  created_at: Date;
  activated_at: Date | null;
  activated_by: string | null;
  activated_by_name: string | null;
}


/** The statistics declaration as the jsonb parameter (null stays SQL NULL, not the JSON `null`). */
const statisticsJson = (c: OfferContent): string | null => (c.statistics ? JSON.stringify(c.statistics) : null);

/** Who wrote a version. */
export interface VersionAuthor {
  source: OfferVersionSource;
  adminId: string | null;
  connectorId: string | null;
}

const OFFER_SELECT = `SELECT o.id, o.tenant_id, o.service_id, o.code, o.name_ja, o.name_en, o.description_ja, o.description_en, o.special_care, o.schema,
    o.status, o.version, o.max_window_days, o.statistics, o.connector_id, o.created_at, o.updated_at,
    s.client_id AS service_client_id, s.name_ja AS service_name_ja, s.name_en AS service_name_en, (s.active AND s.deleted_at IS NULL) AS service_active,
    t.code AS tenant_code, t.name_ja AS tenant_name_ja, t.name_en AS tenant_name_en, c.name AS connector_name,
    (SELECT v.version FROM data_offer_versions v WHERE v.offer_id = o.id AND v.state = 'draft') AS draft_version
  FROM data_offers o JOIN services s ON s.id = o.service_id JOIN tenants t ON t.id = o.tenant_id LEFT JOIN connectors c ON c.id = o.connector_id`;

const VERSION_SELECT = `SELECT v.id, v.offer_id, v.version, v.state, v.name_ja, v.name_en, v.description_ja, v.description_en, v.special_care, v.schema,
    v.max_window_days, v.statistics, v.source, v.created_by, cb.display_name AS created_by_name, v.connector_id, c.name AS connector_name, v.created_at,
    v.activated_at, v.activated_by, ab.display_name AS activated_by_name
  FROM data_offer_versions v LEFT JOIN admin_accounts cb ON cb.id = v.created_by LEFT JOIN admin_accounts ab ON ab.id = v.activated_by
  LEFT JOIN connectors c ON c.id = v.connector_id`;

/** The data_offers row (locked) of a code, with the id of the service it belongs to. */
export interface LockedOffer {
  id: string;
  tenant_id: string;
  service_id: string;
  code: string;
  status: OfferStatus;
  version: number;
  connector_id: string | null;
}

/**
 * SQL of data offers and their versions (ARCHITECTURE.md §4). Offers are owned by the provider's
 * tenant: every admin read and write names the tenant. Writes take the transaction's handle
 * (one connection per transaction); the offer row is locked first, so that concurrent publishes,
 * activations and withdrawals of one offer run one after the other.
 */
@Injectable()
export class OffersRepository {
  constructor(private readonly db: DataSource) {}

  /** Locks an offer by code, whatever its tenant (a code is platform-wide: publishing must see another service's). */
  async lockByCode(tx: Tx, code: string): Promise<LockedOffer | undefined> {
    return (await tx.query(`SELECT id, tenant_id, service_id, code, status, version, connector_id FROM data_offers WHERE code = $1 FOR UPDATE`, [code]))[0];
  }

  /** Locks an offer of the tenant by code. */
  async lockInTenant(tx: Tx, tenantId: string, code: string): Promise<LockedOffer | undefined> {
    return (await tx.query(
      `SELECT id, tenant_id, service_id, code, status, version, connector_id FROM data_offers WHERE tenant_id = $1 AND code = $2 FOR UPDATE`, [tenantId, code]))[0];
  }

  /**
   * Inserts a new offer (status draft, version 1) unless the code exists. A concurrent insert of the
   * same code waits for the other transaction and then inserts nothing: the caller locks the row
   * that won instead.
   */
  async insertDraftOffer(tx: Tx, service: { id: string; tenantId: string }, code: string, c: OfferContent, connectorId: string | null): Promise<string | undefined> {
    const rows = await tx.query(
      `INSERT INTO data_offers (tenant_id, service_id, code, name_ja, name_en, description_ja, description_en, special_care, schema, status, version, max_window_days, connector_id, statistics)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', 1, $10, $11, $12) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [service.tenantId, service.id, code, c.name_ja, c.name_en, c.description_ja, c.description_en, c.special_care, JSON.stringify(c.schema), c.max_window_days, connectorId, statisticsJson(c)]);
    return rows[0]?.id;
  }

  /** The versions that matter to a publication: the draft and the active one. */
  async currentVersions(tx: Tx, offerId: string): Promise<{ draft?: OfferVersionRow; active?: OfferVersionRow; maxVersion: number }> {
    const rows: OfferVersionRow[] = await tx.query(`${VERSION_SELECT} WHERE v.offer_id = $1 AND v.state IN ('draft', 'active')`, [offerId]);
    const [{ max }] = await tx.query(`SELECT COALESCE(max(version), 0)::int AS max FROM data_offer_versions WHERE offer_id = $1`, [offerId]);
    return { draft: rows.find((r) => r.state === 'draft'), active: rows.find((r) => r.state === 'active'), maxVersion: max };
  }

  /** A new draft version (at most one per offer: `data_offer_versions_one_draft`). */
  async insertDraftVersion(tx: Tx, offerId: string, version: number, c: OfferContent, by: VersionAuthor): Promise<void> {
    await tx.query(
      `INSERT INTO data_offer_versions (offer_id, version, state, name_ja, name_en, description_ja, description_en, special_care, schema, max_window_days, source, created_by, connector_id, statistics)
       VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [offerId, version, c.name_ja, c.name_en, c.description_ja, c.description_en, c.special_care, JSON.stringify(c.schema), c.max_window_days, by.source, by.adminId, by.connectorId, statisticsJson(c)]);
  }

  /** Rewrites the pending draft in place (its author becomes whoever wrote it last). */
  async updateDraftVersion(tx: Tx, versionId: string, c: OfferContent, by: VersionAuthor): Promise<void> {
    await tx.query(
      `UPDATE data_offer_versions SET name_ja = $2, name_en = $3, description_ja = $4, description_en = $5, special_care = $6, schema = $7, max_window_days = $8,
         source = $9, created_by = $10, connector_id = $11, statistics = $12, created_at = now()
       WHERE id = $1 AND state = 'draft'`,
      [versionId, c.name_ja, c.name_en, c.description_ja, c.description_en, c.special_care, JSON.stringify(c.schema), c.max_window_days, by.source, by.adminId, by.connectorId, statisticsJson(c)]);
  }

  /** An offer never activated shows its draft's texts (it is in no catalog yet). */
  async mirrorDraft(tx: Tx, offerId: string, c: OfferContent): Promise<void> {
    await tx.query(
      `UPDATE data_offers SET name_ja = $2, name_en = $3, description_ja = $4, description_en = $5, special_care = $6, schema = $7, max_window_days = $8, statistics = $9, updated_at = now()
       WHERE id = $1 AND status = 'draft'`,
      [offerId, c.name_ja, c.name_en, c.description_ja, c.description_en, c.special_care, JSON.stringify(c.schema), c.max_window_days, statisticsJson(c)]);
  }

  /** Which connector serves the offer. */
  async setConnector(tx: Tx, offerId: string, connectorId: string): Promise<void> {
    await tx.query(`UPDATE data_offers SET connector_id = $2, updated_at = now() WHERE id = $1`, [offerId, connectorId]);
  }

  /** One version of an offer. */
  async findVersion(tx: Tx, offerId: string, version: number): Promise<OfferVersionRow | undefined> {
    return (await tx.query(`${VERSION_SELECT} WHERE v.offer_id = $1 AND v.version = $2`, [offerId, version]))[0];
  }

  /**
   * Activates a draft version: the active one becomes superseded, the version's content is copied
   * into the offer, which is published (status active).
   */
  async activate(tx: Tx, offerId: string, v: OfferVersionRow, adminId: string | null): Promise<void> {
    await tx.query(`UPDATE data_offer_versions SET state = 'superseded' WHERE offer_id = $1 AND state = 'active'`, [offerId]);
    await tx.query(`UPDATE data_offer_versions SET state = 'active', activated_at = now(), activated_by = $2 WHERE id = $1`, [v.id, adminId]);
    await tx.query(
      `UPDATE data_offers SET name_ja = $2, name_en = $3, description_ja = $4, description_en = $5, special_care = $6, schema = $7, max_window_days = $8,
         version = $9, statistics = $10, status = 'active', updated_at = now() WHERE id = $1`,
      [offerId, v.name_ja, v.name_en, v.description_ja, v.description_en, v.special_care, JSON.stringify(v.schema), v.max_window_days, v.version, statisticsJson(v)]);
  }

  /** Withdraws an offer: out of the catalog, its pending draft discarded. Returns the version discarded, if any. */
  async withdraw(tx: Tx, offerId: string): Promise<number | null> {
    const discarded = await tx.query(`UPDATE data_offer_versions SET state = 'discarded' WHERE offer_id = $1 AND state = 'draft' RETURNING version`, [offerId]);
    await tx.query(`UPDATE data_offers SET status = 'withdrawn', updated_at = now() WHERE id = $1`, [offerId]);
    return discarded[0]?.version ?? null;
  }

  /**
   * Data uses, of any tenant, not retired, whose current items contain the code. Unscoped on
   * purpose: a provider's withdrawal concerns every consumer that asks for the item.
   */
  async usesContaining(tx: Tx, code: string): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(`SELECT id FROM data_uses WHERE $1 = ANY(items) AND status <> 'retired' ORDER BY created_at, id`, [code]);
    return rows.map((r) => r.id);
  }

  /** The tenant's offers, newest change first. */
  listForTenant(tenantId: string): Promise<OfferRow[]> {
    return this.db.query(`${OFFER_SELECT} WHERE o.tenant_id = $1 ORDER BY o.code`, [tenantId]);
  }

  /** One offer of the tenant. */
  async findInTenant(tenantId: string, code: string): Promise<OfferRow | undefined> {
    return (await this.db.query(`${OFFER_SELECT} WHERE o.tenant_id = $1 AND o.code = $2`, [tenantId, code]))[0];
  }

  /** Every version of an offer, newest first. */
  versions(offerId: string): Promise<OfferVersionRow[]> {
    return this.db.query(`${VERSION_SELECT} WHERE v.offer_id = $1 ORDER BY v.version DESC`, [offerId]);
  }

  /**
   * Every active offer of an active service, across tenants: what a data use may choose from.
   * Unscoped on purpose (any tenant's consumer may ask for any tenant's published offer).
   */
  catalog(): Promise<OfferRow[]> {
    return this.db.query(`${OFFER_SELECT} WHERE o.status = 'active' AND s.active AND s.deleted_at IS NULL ORDER BY t.code, o.code`);
  }
}
