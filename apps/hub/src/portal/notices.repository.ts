import { Injectable } from '@nestjs/common';
import type { ConsentChangeReason, PortalNoticeKind } from '@tsunagu/contracts';
import { DataSource } from 'typeorm';
import { USE_APPROVED } from '../catalog/data-catalog.repository';

/** How long before its expiry a consent is announced. */
export const EXPIRY_NOTICE_DAYS = 30;
/** How long an ended consent stays among the notices (its history stays for good). */
export const ENDED_NOTICE_DAYS = 90;
/** At most this many notices are listed. */
export const NOTICE_LIMIT = 100;

export interface NoticeRow {
  kind: PortalNoticeKind;
  consent_id: string;
  data_use_code: string;
  title_ja: string;
  title_en: string;
  consumer_client_id: string;
  consumer_name_ja: string;
  consumer_name_en: string;
  reason: ConsentChangeReason | null;
  /** When the consent was paused or ended, or when it expires. */
  at: Date;
  /** When the notice appeared; the list is ordered by it, newest first. */
  noticed_at: Date;
  /** The data use can be consented to now (active, its service active, approved by every provider): the resident can decide. */
  use_open: boolean;
}

/**
 * The resident's notices (お知らせ), derived from the current version of each of their consents in
 * one statement (no table of its own: a notice disappears when the resident acts on it):
 * - paused: paused by the platform, or still active but given to terms changed since
 *   (`data_use_revision < consent_revision`) and not yet swept — it is refused either way;
 * - ended: ended by the platform within the last ENDED_NOTICE_DAYS;
 * - expiring: active, and its validity ends within EXPIRY_NOTICE_DAYS (noticed that many days before).
 * Every read is the resident's own (resident_id), across tenants like the rest of the portal.
 */
@Injectable()
export class NoticesRepository {
  constructor(private readonly db: DataSource) {}

  listForResident(residentId: string, at: Date): Promise<NoticeRow[]> {
    return this.db.query(
      `SELECT n.kind, n.consent_id, n.data_use_code, n.title_ja, n.title_en, n.consumer_client_id, n.consumer_name_ja, n.consumer_name_en, n.use_open,
         CASE WHEN n.outdated THEN 'terms_changed' ELSE n.reason END AS reason,
         CASE n.kind WHEN 'expiring' THEN n.valid_until ELSE n.created_at END AS at,
         CASE n.kind WHEN 'expiring' THEN n.valid_until - make_interval(days => $3)
           -- Not swept yet: noticed when the terms changed (the data use's last update).
           WHEN 'paused' THEN CASE WHEN n.outdated THEN GREATEST(n.created_at, n.use_updated_at) ELSE n.created_at END
           ELSE n.created_at END AS noticed_at
       FROM (
         SELECT c.consent_id, c.state, c.reason, c.created_at, c.valid_until, u.code AS data_use_code, u.title_ja, u.title_en, u.updated_at AS use_updated_at,
           s.client_id AS consumer_client_id, s.name_ja AS consumer_name_ja, s.name_en AS consumer_name_en,
           c.state = 'active' AND c.data_use_revision < u.consent_revision AS outdated, (u.active AND s.active AND ${USE_APPROVED}) AS use_open,
           CASE WHEN c.state = 'active' AND c.data_use_revision < u.consent_revision THEN 'paused' WHEN c.state = 'active' THEN 'expiring' ELSE c.state END AS kind
         FROM consents c JOIN data_uses u ON u.id = c.data_use_id JOIN services s ON s.id = u.service_id
         WHERE c.resident_id = $1 AND c.superseded_at IS NULL AND (
           c.state = 'paused'
           OR (c.state = 'ended' AND c.created_at > $2::timestamptz - make_interval(days => $4))
           OR (c.state = 'active' AND u.active AND c.data_use_revision < u.consent_revision)
           OR (c.state = 'active' AND c.valid_until > $2 AND c.valid_until <= $2::timestamptz + make_interval(days => $3)))
       ) n
       ORDER BY noticed_at DESC, n.consent_id LIMIT $5`,
      [residentId, at, EXPIRY_NOTICE_DAYS, ENDED_NOTICE_DAYS, NOTICE_LIMIT]);
  }
}
