import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';
import type { AudienceRole } from '../connect.repository';

/** The outbox row of one consent version, as enforcement sees it. */
export interface EnforcementRow {
  seq: string;
  consent_id: string;
  version: number;
  created_at: Date;
  committed_at: Date | null;
  dispatched_at: Date | null;
  enforce_by: Date | null;
  enforced_at: Date | null;
  deliveries: EnforcementDeliveryRow[];
}

/** One connector the change was pushed to, with the expiry of the grant it held or served. */
export interface EnforcementDeliveryRow {
  connector_id: string;
  role: AudienceRole;
  acked_at: Date | null;
  /** The latest expiry of a grant under the consent this connector held or served (null once pruned: long expired). */
  grant_expires_at: Date | null;
  service_name_ja: string;
  service_name_en: string;
}

/**
 * SQL of withdrawal enforcement: the state of one consent version's outbox row and its
 * deliveries, and the moments the hub promised and observed.
 */
@Injectable()
export class EnforcementRepository {
  constructor(private readonly db: DataSource) {}

  /** The outbox row written with this consent version, with its deliveries (none: no outbox row, e.g. a first opt-in). */
  async findByVersion(consentId: string, version: number): Promise<EnforcementRow | undefined> {
    if (!isUuid(consentId) || !Number.isInteger(version)) return undefined;
    const rows = await this.db.query(
      `SELECT x.seq::text AS seq, x.consent_id, x.version, x.created_at, x.committed_at, x.dispatched_at, x.enforce_by, x.enforced_at,
         COALESCE(json_agg(json_build_object(
           'connector_id', d.connector_id, 'role', d.role, 'acked_at', d.acked_at, 'grant_expires_at', a.expires_at,
           'service_name_ja', s.name_ja, 'service_name_en', s.name_en) ORDER BY d.role DESC, s.name_ja) FILTER (WHERE d.connector_id IS NOT NULL), '[]') AS deliveries
       FROM consent_change_outbox x
       LEFT JOIN revocation_deliveries d ON d.outbox_seq = x.seq
       LEFT JOIN grant_audiences a ON a.consent_id = x.consent_id AND a.connector_id = d.connector_id
       LEFT JOIN connectors c ON c.id = d.connector_id
       LEFT JOIN services s ON s.id = c.service_id
       WHERE x.consent_id = $1 AND x.version = $2
       GROUP BY x.seq`, [consentId, version]);
    const row = rows[0];
    if (!row) return undefined;
    return {
      ...row,
      deliveries: (row.deliveries as Record<string, string | null>[]).map((d) => ({
        connector_id: d.connector_id!, role: d.role as AudienceRole, acked_at: d.acked_at ? new Date(d.acked_at) : null,
        grant_expires_at: d.grant_expires_at ? new Date(d.grant_expires_at) : null, service_name_ja: d.service_name_ja ?? '', service_name_en: d.service_name_en ?? '',
      })),
    };
  }

  /** Records what the resident was told: the moment of commit and the moment enforced everywhere at the latest. */
  async recordAnswer(seq: string, committedAt: Date, enforceBy: Date): Promise<void> {
    await this.db.query(
      `UPDATE consent_change_outbox SET committed_at = COALESCE(committed_at, $2), enforce_by = COALESCE(enforce_by, $3) WHERE seq = $1::bigint`,
      [seq, committedAt, enforceBy]);
  }
}
