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
    return (await this.select(`x.consent_id = $1 AND x.version = $2`, [consentId, version]))[0];
  }

  /** The outbox position now: what a change about to be made will write comes after it. */
  async currentSeq(): Promise<string> {
    return (await this.db.query(`SELECT COALESCE(max(seq), 0)::text AS seq FROM consent_change_outbox`))[0].seq;
  }

  /** The outbox rows of a data use written after `afterSeq` (a platform sweep's pauses or ends), with their deliveries. */
  async findForUseAfter(dataUseId: string, afterSeq: string): Promise<EnforcementRow[]> {
    return this.select(`x.data_use_id = $1 AND x.seq > $2::bigint`, [dataUseId, afterSeq]);
  }

  private async select(where: string, params: unknown[]): Promise<EnforcementRow[]> {
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
       WHERE ${where}
       GROUP BY x.seq ORDER BY x.seq`, params);
    return rows.map((row: EnforcementRow & { deliveries: Record<string, string | null>[] }) => ({
      ...row,
      deliveries: row.deliveries.map((d) => ({
        connector_id: d.connector_id!, role: d.role as AudienceRole, acked_at: d.acked_at ? new Date(d.acked_at) : null,
        grant_expires_at: d.grant_expires_at ? new Date(d.grant_expires_at) : null, service_name_ja: d.service_name_ja ?? '', service_name_en: d.service_name_en ?? '',
      })),
    }));
  }

  /** Records what the resident (or admin) was told: the moment of commit and the moment enforced everywhere at the latest. */
  async recordAnswer(seq: string, committedAt: Date, enforceBy: Date): Promise<void> {
    await this.recordAnswers([{ seq, enforceBy }], committedAt);
  }

  async recordAnswers(answers: { seq: string; enforceBy: Date }[], committedAt: Date): Promise<void> {
    if (!answers.length) return;
    await this.db.query(
      `UPDATE consent_change_outbox x SET committed_at = COALESCE(x.committed_at, $3), enforce_by = COALESCE(x.enforce_by, a.enforce_by)
       FROM unnest($1::bigint[], $2::timestamptz[]) AS a(seq, enforce_by) WHERE x.seq = a.seq`,
      [answers.map((a) => a.seq), answers.map((a) => a.enforceBy), committedAt]);
  }
}
