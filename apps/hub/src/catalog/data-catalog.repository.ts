import { Injectable } from '@nestjs/common';
import type { ControllerType, DataUseKind, DataUseStatus, OfferStatus, PurposeCategory } from '@tsunagu/contracts';
import type { StatisticsUseDefinition } from '@tsunagu/statistics';
import { DataSource } from 'typeorm';

export interface DataOfferRow {
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
  /** Published now (generated from `status`). */
  active: boolean;
  status: OfferStatus;
  version: number;
  max_window_days: number | null;
  connector_id: string | null;
  provider_client_id: string;
  provider_name_ja: string;
  provider_name_en: string;
}

export interface DataUseRow {
  id: string;
  tenant_id: string;
  service_id: string;
  code: string;
  revision: number;
  title_ja: string;
  title_en: string;
  purpose_code: string;
  purpose_ja: string;
  purpose_en: string;
  items: string[];
  retention_days: number;
  consent_valid_days: number | null;
  controller_name_ja: string;
  controller_name_en: string;
  controller_contact: string;
  privacy_notice_url: string;
  /** Only residents with a verified identity (My Number card) may consent; their consents pause when it lapses. */
  requires_verified_identity: boolean;
  /** `statistics`: only aggregates computed at the provider (issue #20); `exchange`: row-level data peer to peer. */
  kind: DataUseKind;
  /** A statistics data use's definition; null for an exchange. */
  statistics: StatisticsUseDefinition | null;
  /** Not retired (generated from `status`). */
  active: boolean;
  status: DataUseStatus;
  purpose_category: PurposeCategory;
  controller_type: ControllerType;
  /** The newest revision whose change needs consent again: consents given to an older one are paused. */
  consent_revision: number;
  /** Every item of the current revision is covered by an approved agreement with its provider's tenant. */
  approved: boolean;
  consumer_client_id: string;
  consumer_name_ja: string;
  consumer_name_en: string;
  consumer_sector: string;
}

/**
 * Every item of the data use's current revision is an offer whose tenant approved this data use
 * for it (default deny: an item without an approved agreement makes the whole use unavailable).
 */
export const USE_APPROVED = `NOT EXISTS (SELECT 1 FROM unnest(u.items) AS item(code) LEFT JOIN data_offers o ON o.code = item.code
  WHERE o.id IS NULL OR NOT EXISTS (SELECT 1 FROM data_agreements a WHERE a.data_use_id = u.id AND a.provider_tenant_id = o.tenant_id
    AND a.state = 'approved' AND item.code = ANY(a.items)))`;
const USE_SELECT = `SELECT u.*, ${USE_APPROVED} AS approved, s.client_id AS consumer_client_id, s.name_ja AS consumer_name_ja, s.name_en AS consumer_name_en,
  s.sector_identifier AS consumer_sector FROM data_uses u JOIN services s ON s.id = u.service_id`;
const OFFER_SELECT = `SELECT o.*, s.client_id AS provider_client_id, s.name_ja AS provider_name_ja, s.name_en AS provider_name_en
  FROM data_offers o JOIN services s ON s.id = o.service_id`;

/**
 * SQL for the data catalog: data offers (what providing services can give) and data uses (what
 * consuming services ask for). Both are tenant-owned; residents read the catalog across tenants
 * (every resident may be asked by any service), which is why the resident-facing reads are unscoped.
 */
@Injectable()
export class DataCatalogRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Every data use residents may be asked about: not retired, of an active service, and approved
   * by the tenant of every item's provider (resident-facing: unscoped, see class comment).
   */
  listActiveUses(): Promise<DataUseRow[]> {
    return this.db.query(`${USE_SELECT} WHERE u.active AND s.active AND ${USE_APPROVED} ORDER BY u.created_at, u.code`);
  }

  /** As {@link listActiveUses}, one by code. */
  async findActiveUseByCode(code: string): Promise<DataUseRow | undefined> {
    return (await this.db.query(`${USE_SELECT} WHERE u.code = $1 AND u.active AND s.active AND ${USE_APPROVED}`, [code]))[0];
  }

  /** By ID whether active or not: history pages show consents to data uses that were retired since. */
  async findUseById(id: string): Promise<DataUseRow | undefined> {
    return (await this.db.query(`${USE_SELECT} WHERE u.id = $1`, [id]))[0];
  }

  async findUsesByIds(ids: string[]): Promise<DataUseRow[]> {
    if (!ids.length) return [];
    return this.db.query(`${USE_SELECT} WHERE u.id = ANY($1::uuid[])`, [ids]);
  }

  /** Offers by code, active or not (receipts and history name items that may have been retired). */
  findOffers(codes: string[]): Promise<DataOfferRow[]> {
    if (!codes.length) return Promise.resolve([]);
    return this.db.query(`${OFFER_SELECT} WHERE o.code = ANY($1::text[])`, [codes]);
  }
}
