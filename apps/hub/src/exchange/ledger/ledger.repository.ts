import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ProvisionRow {
  id: string;
  tenant_id: string;
  provider_tenant_id: string;
  resident_id: string;
  consent_version_id: string;
  data_use_id: string;
  provider_service_id: string;
  consumer_service_id: string;
  items: string[];
  purpose_code: string;
  outcome: 'provided' | 'refused';
  grant_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
}

/** A ledger row joined with what a resident's page shows. */
export interface ResidentProvisionRow extends ProvisionRow {
  consent_id: string;
  consent_version: number;
  data_use_code: string;
  provider_client_id: string;
  provider_name_ja: string;
  provider_name_en: string;
  consumer_client_id: string;
  consumer_name_ja: string;
  consumer_name_en: string;
  /** The offers' names of `items`, in their order (null when none is known). */
  item_names: { code: string; ja: string; en: string }[] | null;
}

export interface NewProvision {
  consentVersionId: string;
  providerServiceId: string;
  items: string[];
  outcome: 'provided' | 'refused';
  grantId: string | null;
  occurredAt: Date;
}

/**
 * SQL for the provision ledger (提供記録): one row per exchange under a consent, metadata only.
 * Tenant, resident, data use and consumer are taken from the consent version itself, so a report
 * cannot attribute an exchange to anyone the consent does not name.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly db: DataSource) {}

  /** Appends one record; a repeated report of the same grant at the same provider is ignored. */
  async append(p: NewProvision): Promise<ProvisionRow | undefined> {
    const rows = await this.db.query(
      `INSERT INTO provision_records (tenant_id, provider_tenant_id, resident_id, consent_version_id, data_use_id, provider_service_id,
         consumer_service_id, items, purpose_code, outcome, grant_id, occurred_at)
       SELECT c.tenant_id, ps.tenant_id, c.resident_id, c.id, c.data_use_id, ps.id, u.service_id, $3, c.purpose_code, $4, $5, $6
       FROM consents c JOIN data_uses u ON u.id = c.data_use_id JOIN services ps ON ps.id = $2
       WHERE c.id = $1
       ON CONFLICT ON CONSTRAINT provision_records_grant_key DO NOTHING RETURNING *`,
      [p.consentVersionId, p.providerServiceId, p.items, p.outcome, p.grantId, p.occurredAt]);
    return rows[0];
  }

  /** The resident's own ledger, newest first (scoped by resident: the caller is the resident). */
  listForResident(residentId: string, limit: number, before?: Date): Promise<ResidentProvisionRow[]> {
    return this.db.query(
      `SELECT p.*, c.consent_id, c.version AS consent_version, u.code AS data_use_code,
         ps.client_id AS provider_client_id, ps.name_ja AS provider_name_ja, ps.name_en AS provider_name_en,
         cs.client_id AS consumer_client_id, cs.name_ja AS consumer_name_ja, cs.name_en AS consumer_name_en,
         (SELECT jsonb_agg(jsonb_build_object('code', o.code, 'ja', o.name_ja, 'en', o.name_en) ORDER BY array_position(p.items, o.code))
            FROM data_offers o WHERE o.code = ANY(p.items)) AS item_names
       FROM provision_records p
       JOIN consents c ON c.id = p.consent_version_id
       JOIN data_uses u ON u.id = p.data_use_id
       JOIN services ps ON ps.id = p.provider_service_id
       JOIN services cs ON cs.id = p.consumer_service_id
       WHERE p.resident_id = $1 AND ($3::timestamptz IS NULL OR p.occurred_at < $3)
       ORDER BY p.occurred_at DESC, p.id LIMIT $2`,
      [residentId, limit, before ?? null]);
  }
}
