import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';
import { FEED_CONNECTOR_REVOCATIONS } from '@tsunagu/contracts';
import { type AudienceRole, type DeliveryKind, OUTBOX_TABLE } from '../connect.repository';
import type { EnforcementDeliveryRow, EnforcementProgress } from './enforcement-bounds';

export type { EnforcementDeliveryRow } from './enforcement-bounds';

/** The outbox row of one consent version, as enforcement sees it. */
export interface EnforcementRow extends EnforcementProgress {
  consent_id: string;
  version: number;
  created_at: Date;
  committed_at: Date | null;
}

/** The outbox row of one revoked connector, as enforcement sees it: its deliveries are to the providers that served it grants. */
export interface ConnectorRevocationEnforcementRow extends EnforcementProgress {
  connector_id: string;
  revoked_at: Date;
  committed_at: Date | null;
  /** The latest expiry of a grant issued to the revoked connector (null: it held none). */
  latest_grant_expires_at: Date | null;
}

/** The deliveries of outbox row `x`, as a JSON array, with the expiry of the grant each connector held or served (`grantExpiry`: SQL of it). */
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
 * SQL of enforcement: the state of one consent version's outbox row, or one revoked connector's,
 * and their deliveries, and the moments the hub promised and observed.
 */
@Injectable()
export class EnforcementRepository {
  constructor(private readonly db: DataSource) {}

  /** The outbox row written with this consent version, with its deliveries (none: no outbox row, e.g. a first opt-in). */
  async findByVersion(consentId: string, version: number): Promise<EnforcementRow | undefined> {
    if (!isUuid(consentId) || !Number.isInteger(version)) return undefined;
    const rows = await this.db.query(
      `SELECT x.seq::text AS seq, x.consent_id, x.version, x.created_at, x.committed_at, x.dispatched_at, x.enforce_by, x.enforced_at,
         ${deliveriesOf(`(SELECT a.expires_at FROM grant_audiences a WHERE a.consent_id = x.consent_id AND a.connector_id = d.connector_id)`, 'true')} AS deliveries
       FROM consent_change_outbox x
       WHERE x.consent_id = $1 AND x.version = $2`, [consentId, version]);
    const row = rows[0];
    return row && { ...row, deliveries: parseDeliveries(row.deliveries) };
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

  /** Records what the waiting caller was told: the moment of commit and the moment enforced everywhere at the latest. */
  async recordAnswer(seq: string, committedAt: Date, enforceBy: Date, kind: DeliveryKind = 'consent'): Promise<void> {
    await this.db.query(
      `UPDATE ${OUTBOX_TABLE[kind]} SET committed_at = COALESCE(committed_at, $2), enforce_by = COALESCE(enforce_by, $3) WHERE seq = $1::bigint`,
      [seq, committedAt, enforceBy]);
  }
}
