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
  /** When the provider's report (of this outcome) first arrived; null until it does. */
  provider_reported_at: Date | null;
  /** When the consumer's report (of this outcome) first arrived: for `provided`, its confirmation of receipt. */
  consumer_reported_at: Date | null;
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
  /** Which connector reported it. */
  side: 'provider' | 'consumer';
}

/** What a report did to the ledger: a new row, or one already there (perhaps now with this side). */
export interface AppendResult {
  row?: ProvisionRow;
  status: 'recorded' | 'duplicate';
}

/**
 * SQL for the provision ledger (提供記録): one row per exchange under a consent, metadata only.
 * Tenant, resident, data use and consumer are taken from the consent version itself, so a report
 * cannot attribute an exchange to anyone the consent does not name.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Appends one record, or adds the reporting side to the grant's row (one row per grant and
   * providing service). A side's time is kept from its first report of the row's outcome; a
   * `provided` report turns a `refused` row into `provided` (a reusable grant can carry both, and
   * the resident must see that data moved), the sides starting again from it. Anything else —
   * a retry, a side already recorded, a refusal after a provision — changes nothing.
   */
  async append(p: NewProvision): Promise<AppendResult> {
    const rows = await this.db.query(
      `INSERT INTO provision_records AS p (tenant_id, provider_tenant_id, resident_id, consent_version_id, data_use_id, provider_service_id,
         consumer_service_id, items, purpose_code, outcome, grant_id, occurred_at, provider_reported_at, consumer_reported_at)
       SELECT c.tenant_id, ps.tenant_id, c.resident_id, c.id, c.data_use_id, ps.id, u.service_id, $3, c.purpose_code, $4, $5, $6,
         CASE WHEN $7 = 'provider' THEN now() END, CASE WHEN $7 = 'consumer' THEN now() END
       FROM consents c JOIN data_uses u ON u.id = c.data_use_id JOIN services ps ON ps.id = $2
       WHERE c.id = $1
       ON CONFLICT ON CONSTRAINT provision_records_grant_key DO UPDATE SET
         outcome = EXCLUDED.outcome,
         occurred_at = CASE WHEN p.outcome = EXCLUDED.outcome THEN p.occurred_at ELSE EXCLUDED.occurred_at END,
         provider_reported_at = CASE WHEN p.outcome = EXCLUDED.outcome THEN COALESCE(p.provider_reported_at, EXCLUDED.provider_reported_at) ELSE EXCLUDED.provider_reported_at END,
         consumer_reported_at = CASE WHEN p.outcome = EXCLUDED.outcome THEN COALESCE(p.consumer_reported_at, EXCLUDED.consumer_reported_at) ELSE EXCLUDED.consumer_reported_at END
       WHERE (p.outcome = 'refused' AND EXCLUDED.outcome = 'provided')
         OR (p.outcome = EXCLUDED.outcome AND CASE WHEN $7 = 'provider' THEN p.provider_reported_at IS NULL ELSE p.consumer_reported_at IS NULL END)
       RETURNING p.*, (xmax = 0) AS inserted`,
      [p.consentVersionId, p.providerServiceId, p.items, p.outcome, p.grantId, p.occurredAt, p.side]);
    const [row] = rows as (ProvisionRow & { inserted?: boolean })[];
    if (!row) return { status: 'duplicate' };
    const { inserted, ...record } = row;
    return { row: record, status: inserted ? 'recorded' : 'duplicate' };
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
