import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';
import { FEED_CONNECTOR_REVOCATIONS } from '@tsunagu/contracts';
import type { AudienceRole } from '../connect.repository';
import type { EnforcementDeliveryRow, EnforcementProgress } from './enforcement-bounds';

export type { EnforcementDeliveryRow } from './enforcement-bounds';

/** The outbox row of one consent version, as enforcement sees it. */
export interface EnforcementRow extends EnforcementProgress {
  consent_id: string;
  version: number;
  created_at: Date;
  committed_at: Date | null;
  enforcement_jws: string | null;
  /** The receipt of the consent version (what the signed statement names). */
  receipt_id: string;
  receipt_hash: string;
}

/** The outbox row of one revoked connector, as enforcement sees it: its deliveries are to the providers that served it grants. */
export interface ConnectorRevocationEnforcementRow extends EnforcementProgress {
  connector_id: string;
  revoked_at: Date;
  committed_at: Date | null;
  /** The latest expiry of a grant issued to the revoked connector (null: it held none). */
  latest_grant_expires_at: Date | null;
}

/**
 * The deliveries of outbox row `x`, as a JSON array: each with the expiry of the grant the
 * connector held or served (`grantExpiry`, SQL over `x` and `d`) and whether it follows the change
 * in its feed too (`followsFeed`, SQL over `d` and `c`).
 */
function deliveriesOf(grantExpiry: string, followsFeed: string): string {
  return `COALESCE((SELECT json_agg(json_build_object(
      'connector_id', d.connector_id, 'role', d.role, 'acked_at', d.acked_at, 'grant_expires_at', ${grantExpiry}, 'follows_feed', ${followsFeed},
      'service_name_ja', s.name_ja, 'service_name_en', s.name_en) ORDER BY d.role DESC, s.name_ja)
    FROM revocation_deliveries d
    LEFT JOIN connectors c ON c.id = d.connector_id
    LEFT JOIN services s ON s.id = c.service_id
    WHERE d.outbox_seq = x.seq), '[]')`;
}

function parseDeliveries(raw: Record<string, string | boolean | null>[]): EnforcementDeliveryRow[] {
  return raw.map((d) => ({
    connector_id: d.connector_id as string, role: d.role as AudienceRole, acked_at: d.acked_at ? new Date(d.acked_at as string) : null,
    grant_expires_at: d.grant_expires_at ? new Date(d.grant_expires_at as string) : null, follows_feed: d.follows_feed === true,
    service_name_ja: (d.service_name_ja as string | null) ?? '', service_name_en: (d.service_name_en as string | null) ?? '',
  }));
}

/**
 * SQL of enforcement: the state of one consent version's outbox row (or a data use's rows), or of
 * one revoked connector's, with their deliveries, and the moments the hub promised and observed.
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
      `SELECT x.seq::text AS seq, x.consent_id, x.version, x.created_at, x.committed_at, x.dispatched_at, x.enforce_by, x.enforced_at, x.enforcement_jws,
         r.id AS receipt_id, r.hash AS receipt_hash,
         ${deliveriesOf(`(SELECT a.expires_at FROM grant_audiences a WHERE a.consent_id = x.consent_id AND a.connector_id = d.connector_id)`, 'true')} AS deliveries
       FROM consent_change_outbox x
       JOIN consent_receipts r ON r.consent_version_id = x.consent_version_id
       WHERE ${where}
       ORDER BY x.seq`, params);
    return rows.map((row: EnforcementRow & { deliveries: Record<string, string | null>[] }) => ({ ...row, deliveries: parseDeliveries(row.deliveries) }));
  }

  /**
   * Records what the resident (or admin) was told: the moment of commit, the moment enforced
   * everywhere at the latest, and the signed statement of both. The first answer stays: a later
   * look (the consent page) never rewrites it.
   */
  async recordAnswers(answers: { seq: string; enforceBy: Date; statement: string }[], committedAt: Date): Promise<void> {
    if (!answers.length) return;
    await this.db.query(
      `UPDATE consent_change_outbox x SET committed_at = COALESCE(x.committed_at, $4), enforce_by = COALESCE(x.enforce_by, a.enforce_by),
         enforcement_jws = COALESCE(x.enforcement_jws, a.statement)
       FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS a(seq, enforce_by, statement) WHERE x.seq = a.seq`,
      [answers.map((a) => a.seq), answers.map((a) => a.enforceBy), answers.map((a) => a.statement), committedAt]);
  }

  /**
   * The revocation of this connector, with its deliveries: per provider, the latest expiry of a
   * grant it served to the connector, and whether it follows revoked connectors in its feed (it
   * asked for them, and did not refuse the pushed event as one it does not know).
   */
  async findConnectorRevocation(connectorId: string): Promise<ConnectorRevocationEnforcementRow | undefined> {
    if (!isUuid(connectorId)) return undefined;
    const rows = await this.db.query(
      `SELECT x.seq::text AS seq, x.connector_id, x.revoked_at, x.committed_at, x.dispatched_at, x.enforce_by, x.enforced_at,
         (SELECT max(g.expires_at) FROM grant_records g WHERE g.consumer_connector_id = x.connector_id) AS latest_grant_expires_at,
         ${deliveriesOf(`(SELECT max(g.expires_at) FROM grant_records g WHERE g.consumer_connector_id = x.connector_id AND g.provider_connector_id = d.connector_id)`,
    `(d.failed_at IS NULL AND $2 = ANY(c.feed_extensions))`)} AS deliveries
       FROM connector_revocation_outbox x
       WHERE x.connector_id = $1`, [connectorId, FEED_CONNECTOR_REVOCATIONS]);
    const row = rows[0];
    return row && { ...row, deliveries: parseDeliveries(row.deliveries) };
  }

  /** Records what the admin was told of a connector's revocation: the moment of commit and the moment refused everywhere at the latest (the first answer stays). */
  async recordConnectorRevocationAnswer(seq: string, committedAt: Date, enforceBy: Date): Promise<void> {
    await this.db.query(
      `UPDATE connector_revocation_outbox SET committed_at = COALESCE(committed_at, $2), enforce_by = COALESCE(enforce_by, $3) WHERE seq = $1::bigint`,
      [seq, committedAt, enforceBy]);
  }
}
