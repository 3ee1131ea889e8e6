import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';

/** A grant as the hub issued it, what `grant_records` holds. */
export interface NewGrantRecord {
  grantId: string;
  consentId: string;
  consentVersion: number;
  consumerConnectorId: string;
  providerConnectorId: string;
  residentId: string;
  items: string[];
  /** The data use's code, as the grant carries it (`data_use`). */
  dataUse: string;
  /** The purpose code, as the grant carries it (`purpose`). */
  purpose: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** A grant record with what a provision report needs besides: the providing service and the consent version's row. */
export interface GrantRecord extends NewGrantRecord {
  providerServiceId: string;
  consentVersionId: string;
}

interface GrantRecordRow {
  grant_id: string;
  consent_id: string;
  consent_version: number;
  consumer_connector_id: string;
  provider_connector_id: string;
  resident_id: string;
  items: string[];
  data_use: string;
  purpose: string;
  issued_at: Date;
  expires_at: Date;
  provider_service_id: string;
  consent_version_id: string;
}

/**
 * SQL of `grant_records`, the hub's record of the grants it issued. Not tenant-scoped: a grant
 * joins a consumer and a provider that may be of different tenants, so reads are scoped by the
 * calling connector instead — a connector reads only grants issued to it or for it.
 *
 * A record is read for AUDIT_RETENTION_DAYS after issuance, the lifetime of its `grant.issued`
 * audit row (why: ProvisionsService). Nothing deletes older records yet: both daily maintenance
 * jobs (`purge-retired-keys` in platform, `prune-audit` in audit) sit below `exchange` in the
 * layers and may not call into it, so deletion wants a job of its own. Until then an expired
 * record costs a row, never a late acceptance: the read applies the window itself.
 */
@Injectable()
export class GrantRecordsRepository {
  constructor(private readonly db: DataSource) {}

  /** Records an issued grant, inside the caller's transaction (the one of its `grant.issued` audit row). */
  async insert(tx: Queryable, g: NewGrantRecord): Promise<void> {
    await tx.query(
      `INSERT INTO grant_records (grant_id, consent_id, consent_version, consumer_connector_id, provider_connector_id, resident_id, items, data_use, purpose,
         issued_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [g.grantId, g.consentId, g.consentVersion, g.consumerConnectorId, g.providerConnectorId, g.residentId, g.items, g.dataUse, g.purpose,
        g.issuedAt, g.expiresAt]);
  }

  /**
   * The grant `grantId` if it was issued to `connectorId` (side `consumer`) or for it (side
   * `provider`), and no earlier than `retentionDays` ago; otherwise undefined, whichever the reason
   * (a connector does not learn that another connector's grant exists).
   */
  async findForConnector(grantId: string, connectorId: string, side: 'consumer' | 'provider', retentionDays: number): Promise<GrantRecord | undefined> {
    if (!isUuid(grantId) || !isUuid(connectorId)) return undefined;
    const rows: GrantRecordRow[] = await this.db.query(
      `SELECT g.*, pc.service_id AS provider_service_id, cv.id AS consent_version_id
       FROM grant_records g
       JOIN connectors pc ON pc.id = g.provider_connector_id
       JOIN consents cv ON cv.consent_id = g.consent_id AND cv.version = g.consent_version
       WHERE g.grant_id = $1 AND ${side === 'consumer' ? 'g.consumer_connector_id' : 'g.provider_connector_id'} = $2
         AND g.issued_at > now() - make_interval(days => $3)`,
      [grantId, connectorId, retentionDays]);
    const r = rows[0];
    return r && {
      grantId: r.grant_id, consentId: r.consent_id, consentVersion: r.consent_version, consumerConnectorId: r.consumer_connector_id,
      providerConnectorId: r.provider_connector_id, residentId: r.resident_id, items: r.items, dataUse: r.data_use, purpose: r.purpose,
      issuedAt: r.issued_at, expiresAt: r.expires_at, providerServiceId: r.provider_service_id, consentVersionId: r.consent_version_id,
    };
  }
}
