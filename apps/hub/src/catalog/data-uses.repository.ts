import { Injectable } from '@nestjs/common';
import type { ControllerType, DataUseKind, OfferStatisticsDeclaration, PurposeCategory } from '@tsunagu/contracts';
import type { StatisticsUseDefinition } from '@tsunagu/statistics';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';
import { pgConstraint } from '../platform/database/sql';

/** The terms of one revision of a data use, as data_use_revisions keeps them (and residents see a diff of). */
export interface DataUseTermsRecord {
  titleJa: string;
  titleEn: string;
  purposeCode: string;
  purposeCategory: PurposeCategory;
  purposeJa: string;
  purposeEn: string;
  items: string[];
  retentionDays: number;
  consentValidDays: number | null;
  controllerNameJa: string;
  controllerNameEn: string;
  controllerContact: string;
  controllerType: ControllerType;
  privacyNoticeUrl: string;
  /** Absent in revisions written before the flag existed: false. */
  requiresVerifiedIdentity?: boolean;
  /** Absent: `exchange` (every data use written before statistics existed). */
  kind?: DataUseKind;
  /** A statistics data use's definition (kind `statistics` only). */
  statistics?: StatisticsUseDefinition;
}

/** A data use as its tenant's screens list it. */
export interface TenantDataUseRow {
  id: string;
  code: string;
  service_id: string;
  service_client_id: string;
  service_name_ja: string;
  service_name_en: string;
  status: 'active' | 'retired';
  revision: number;
  consent_revision: number;
  title_ja: string;
  title_en: string;
  items: string[];
  approved: boolean;
  active_consents: number;
  created_at: Date;
  updated_at: Date;
}

/** A service of the tenant that may ask for data (a data use's consumer). */
export interface ConsumerServiceRow {
  id: string;
  client_id: string;
  name_ja: string;
  name_en: string;
}

/** A published offer as the data use form lists it, with who provides it. */
export interface CatalogOfferRow {
  code: string;
  name_ja: string;
  name_en: string;
  description_ja: string;
  description_en: string;
  special_care: boolean;
  tenant_id: string;
  tenant_name_ja: string;
  tenant_name_en: string;
  service_id: string;
  service_name_ja: string;
  service_name_en: string;
  /** What a statistics data use may do with the item; null: not offered for statistics. */
  statistics: OfferStatisticsDeclaration | null;
}

/** One revision with who made it. */
export interface DataUseRevisionRow {
  revision: number;
  terms: DataUseTermsRecord;
  needs_consent: boolean;
  changed_by_login: string | null;
  created_at: Date;
}

/** A data use's columns from its terms. */
function columns(t: DataUseTermsRecord): unknown[] {
  return [t.titleJa, t.titleEn, t.purposeCode, t.purposeCategory, t.purposeJa, t.purposeEn, t.items, t.retentionDays, t.consentValidDays,
    t.controllerNameJa, t.controllerNameEn, t.controllerContact, t.controllerType, t.privacyNoticeUrl, t.requiresVerifiedIdentity === true,
    t.statistics ? JSON.stringify(t.statistics) : null];
}

/**
 * SQL of data uses as their (consumer) tenant writes them: one row per data use with its current
 * terms, and every revision's terms in data_use_revisions. Every statement takes the tenant's ID.
 */
@Injectable()
export class DataUsesRepository {
  constructor(private readonly db: DataSource) {}

  listForTenant(tenantId: string, approvedExpr: string): Promise<TenantDataUseRow[]> {
    return this.db.query(
      `SELECT u.id, u.code, u.service_id, s.client_id AS service_client_id, s.name_ja AS service_name_ja, s.name_en AS service_name_en,
         u.status, u.revision, u.consent_revision, u.title_ja, u.title_en, u.items, ${approvedExpr} AS approved,
         (SELECT count(*)::int FROM consents c WHERE c.data_use_id = u.id AND c.superseded_at IS NULL AND c.state = 'active') AS active_consents,
         u.created_at, u.updated_at
       FROM data_uses u JOIN services s ON s.id = u.service_id WHERE u.tenant_id = $1 ORDER BY u.status, u.code`, [tenantId]);
  }

  /** The data use's ID, status and revision within the tenant, locked for a change when `lock`. */
  async findInTenant(q: Queryable, tenantId: string, code: string, lock = false): Promise<{ id: string; status: string; revision: number; consent_revision: number; service_id: string; kind: DataUseKind } | undefined> {
    return (await q.query(
      `SELECT id, status, revision, consent_revision, service_id, kind FROM data_uses WHERE tenant_id = $1 AND code = $2${lock ? ' FOR UPDATE' : ''}`, [tenantId, code]))[0];
  }

  /** The code of the tenant's data use with this ID (the screens name data uses by ID). */
  async codeInTenant(tenantId: string, id: string): Promise<string | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`SELECT code FROM data_uses WHERE id = $1 AND tenant_id = $2`, [id, tenantId]))[0]?.code;
  }

  /** The tenant's services that may be a data use's consumer (the form's choices). */
  consumerServices(tenantId: string): Promise<ConsumerServiceRow[]> {
    return this.db.query(
      `SELECT id, client_id, name_ja, name_en FROM services WHERE tenant_id = $1 AND active AND NOT first_party AND deleted_at IS NULL ORDER BY name_ja, client_id`, [tenantId]);
  }

  /**
   * The catalog a data use's items are chosen from: every tenant's published offers with their
   * providing tenant and service. Unscoped on purpose: a consumer may ask any tenant's offers
   * (the provider's tenant then approves or not).
   */
  offerCatalog(): Promise<CatalogOfferRow[]> {
    return this.db.query(
      `SELECT o.code, o.name_ja, o.name_en, o.description_ja, o.description_en, o.special_care, o.statistics, o.tenant_id,
         t.name_ja AS tenant_name_ja, t.name_en AS tenant_name_en, s.id AS service_id, s.name_ja AS service_name_ja, s.name_en AS service_name_en
       FROM data_offers o JOIN services s ON s.id = o.service_id JOIN tenants t ON t.id = o.tenant_id
       WHERE o.active AND s.active ORDER BY t.name_ja, s.name_ja, o.code`);
  }

  /**
   * The names of offers by code, published or not (a data use's revisions and agreements name
   * items that may have been withdrawn since). Offer names are catalog entries every tenant may
   * read: unscoped.
   */
  offerNames(codes: string[]): Promise<{ code: string; name_ja: string; name_en: string; special_care: boolean }[]> {
    if (!codes.length) return Promise.resolve([]);
    return this.db.query(`SELECT code, name_ja, name_en, special_care FROM data_offers WHERE code = ANY($1::text[])`, [codes]);
  }

  /** The tenant's service that may be a data use's consumer: active, not the platform's own. */
  async findConsumerService(q: Queryable, tenantId: string, serviceId: string): Promise<{ id: string; client_id: string } | undefined> {
    if (!isUuid(serviceId)) return undefined;
    return (await q.query(
      `SELECT id, client_id FROM services WHERE id = $1 AND tenant_id = $2 AND active AND NOT first_party FOR SHARE`, [serviceId, tenantId]))[0];
  }

  /** Inserts a data use at revision 1; 'code_taken' when the code exists (platform-wide). */
  async insert(q: Queryable, tenantId: string, serviceId: string, code: string, terms: DataUseTermsRecord): Promise<string | 'code_taken'> {
    try {
      const rows = await q.query(
        `INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_category, purpose_ja, purpose_en, items,
           retention_days, consent_valid_days, controller_name_ja, controller_name_en, controller_contact, controller_type, privacy_notice_url,
           requires_verified_identity, statistics, kind, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 'active') RETURNING id`,
        [tenantId, serviceId, code, ...columns(terms), terms.kind ?? 'exchange']);
      return rows[0].id;
    } catch (error) {
      if (pgConstraint(error) === 'data_uses_code_key') return 'code_taken';
      throw error;
    }
  }

  /** Writes new terms as revision `revision`; `consentRevision` moves to it when residents must decide again. */
  async update(q: Queryable, id: string, revision: number, consentRevision: number, terms: DataUseTermsRecord): Promise<void> {
    await q.query(
      `UPDATE data_uses SET title_ja = $4, title_en = $5, purpose_code = $6, purpose_category = $7, purpose_ja = $8, purpose_en = $9, items = $10,
         retention_days = $11, consent_valid_days = $12, controller_name_ja = $13, controller_name_en = $14, controller_contact = $15,
         controller_type = $16, privacy_notice_url = $17, requires_verified_identity = $18, statistics = $19, revision = $2, consent_revision = $3, updated_at = now()
       WHERE id = $1`, [id, revision, consentRevision, ...columns(terms)]);
  }

  async insertRevision(q: Queryable, id: string, revision: number, terms: DataUseTermsRecord, needsConsent: boolean, changedBy: string | null): Promise<void> {
    await q.query(
      `INSERT INTO data_use_revisions (data_use_id, revision, terms, needs_consent, changed_by) VALUES ($1, $2, $3, $4, $5)`,
      [id, revision, JSON.stringify(terms), needsConsent, changedBy]);
  }

  async revisions(dataUseId: string): Promise<DataUseRevisionRow[]> {
    return this.db.query(
      `SELECT r.revision, r.terms, r.needs_consent, a.login_id AS changed_by_login, r.created_at
       FROM data_use_revisions r LEFT JOIN admin_accounts a ON a.id = r.changed_by WHERE r.data_use_id = $1 ORDER BY r.revision DESC`, [dataUseId]);
  }

  /** The current terms of a revision (the newest row of data_use_revisions). */
  async currentTerms(q: Queryable, dataUseId: string): Promise<DataUseTermsRecord | undefined> {
    return (await q.query(`SELECT terms FROM data_use_revisions WHERE data_use_id = $1 ORDER BY revision DESC LIMIT 1`, [dataUseId]))[0]?.terms;
  }

  /** Retires the data uses of a service (being deleted); returns their IDs. */
  async retireAllOfService(q: Queryable, tenantId: string, serviceId: string): Promise<string[]> {
    const [rows] = await q.query(
      `UPDATE data_uses SET status = 'retired', retired_at = now(), updated_at = now() WHERE tenant_id = $1 AND service_id = $2 AND status = 'active' RETURNING id`,
      [tenantId, serviceId]);
    return rows.map((r: { id: string }) => r.id);
  }

  async retire(q: Queryable, id: string): Promise<void> {
    await q.query(`UPDATE data_uses SET status = 'retired', retired_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  /**
   * Which tenant provides each of these item codes, for active offers only. Items missing from
   * the answer are unknown or not published.
   */
  async activeOfferTenants(q: Queryable, codes: string[]): Promise<Map<string, string>> {
    const rows: { code: string; tenant_id: string }[] = await q.query(
      `SELECT o.code, o.tenant_id FROM data_offers o JOIN services s ON s.id = o.service_id WHERE o.code = ANY($1::text[]) AND o.active AND s.active`, [codes]);
    return new Map(rows.map((r) => [r.code, r.tenant_id]));
  }

  /** What each of these active offers lets a statistics data use do (offers not offered for statistics are absent). */
  async offerStatistics(q: Queryable, codes: string[]): Promise<Map<string, OfferStatisticsDeclaration>> {
    const rows: { code: string; statistics: OfferStatisticsDeclaration }[] = await q.query(
      `SELECT o.code, o.statistics FROM data_offers o JOIN services s ON s.id = o.service_id
       WHERE o.code = ANY($1::text[]) AND o.active AND s.active AND o.statistics IS NOT NULL`, [codes]);
    return new Map(rows.map((r) => [r.code, r.statistics]));
  }

  /** The data uses (not retired) that contain an item: what withdrawing that offer affects. */
  async usesContaining(q: Queryable, code: string): Promise<string[]> {
    const rows = await q.query(`SELECT id FROM data_uses WHERE status = 'active' AND $1 = ANY(items)`, [code]);
    return rows.map((r: { id: string }) => r.id);
  }
}
