import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';

/** Counts of what a departure erased in the hub, per kind of record (see HUB_RECORD_KINDS). */
export type HubErased = Record<string, number>;

export interface DepartureRow {
  id: string;
  resident_id: string;
  reason: 'departure' | 'deceased';
  committed_at: Date;
  hub_erased: HubErased;
  certify_after: Date;
  access_revoked_at: Date | null;
  sessions_ended_at: Date | null;
  certificate_id: string | null;
  certificate_jws: string | null;
  certified_at: Date | null;
  requester: string | null;
  request_document: string | null;
  request_received_on: string | null;
}

/** One connector's erasure request with the state of its delivery and the connector's names. */
export interface ErasureTargetRow {
  seq: string;
  connector_id: string;
  connector_name: string;
  roles: ('consumer' | 'provider')[];
  items: string[];
  had_subject: boolean;
  service_name_ja: string;
  service_name_en: string;
  tenant_name_ja: string;
  tenant_name_en: string;
  dispatched_at: Date | null;
  attempts: number | null;
  last_error: string | null;
  acked_at: Date | null;
  ack_jws: string | null;
  failed_at: Date | null;
}

/** How many of each retained kind of record still name the resident's pseudonym. */
export interface RetainedCounts {
  consent_versions: number;
  consent_receipts: number;
  provision_records: number;
  grant_records: number;
  audit_events: number;
}

/** What the leaving page shows before the resident confirms. */
export interface LeavePreviewRow {
  consents: { title_ja: string; title_en: string; service_ja: string; service_en: string; state: 'active' | 'paused' }[];
  links: { name_ja: string; name_en: string }[];
  recipients: { name_ja: string; name_en: string }[];
}

/** What a departure's transaction needs besides the consents: who, why, and the documented request of a deceased resident. */
export interface NewDeparture {
  residentId: string;
  reason: 'departure' | 'deceased';
  certifyAfter: Date;
  confirmedBy?: string;
  request?: { requester: string; document: string; receivedOn: string };
}

/**
 * The erasure requests a departure sends (or, after it, one more provision reported late): one
 * per connector of each service that received data about the resident under a consent (the
 * provision ledger's consumer side) or served it (its provider side), not revoked. The subject is
 * the resident's local ID at that service, kept on the departure until the certificate is issued.
 */
const INSERT_ERASURE_REQUESTS = `WITH shared AS (
    SELECT p.consumer_service_id AS service_id, 'consumer' AS role, i AS item, c.consent_id
    FROM provision_records p JOIN consents c ON c.id = p.consent_version_id CROSS JOIN LATERAL unnest(p.items) AS i
    WHERE p.resident_id = $1 AND p.outcome = 'provided'
    UNION ALL
    SELECT p.provider_service_id, 'provider', i, c.consent_id
    FROM provision_records p JOIN consents c ON c.id = p.consent_version_id CROSS JOIN LATERAL unnest(p.items) AS i
    WHERE p.resident_id = $1 AND p.outcome = 'provided'
  ), per AS (
    SELECT k.id AS connector_id, k.tenant_id, k.service_id, array_agg(DISTINCT s.role ORDER BY s.role) AS roles,
      -- What its service holds a copy of (received as consumer); a provider only is told what it served.
      COALESCE(array_agg(DISTINCT s.item ORDER BY s.item) FILTER (WHERE s.role = 'consumer'), array_agg(DISTINCT s.item ORDER BY s.item)) AS items,
      array_agg(DISTINCT s.consent_id) AS consent_ids
    FROM shared s JOIN connectors k ON k.service_id = s.service_id AND k.status <> 'revoked'
    GROUP BY k.id, k.tenant_id, k.service_id
  )
  INSERT INTO erasure_request_outbox (departure_id, connector_id, tenant_id, roles, subject, items, consent_ids)
  SELECT d.id, per.connector_id, per.tenant_id, per.roles, d.local_ids ->> per.service_id::text, per.items, per.consent_ids
  FROM per JOIN departures d ON d.id = $2
  ON CONFLICT ON CONSTRAINT erasure_request_outbox_connector_key DO NOTHING
  RETURNING seq::text AS seq`;

/**
 * SQL of departures (退会) and deceased residents' erasure (docs/erasure.md): the departure's own
 * writes on the caller's transaction, the open departures the processor follows, and the
 * certificates. Residents are platform-wide; certificates are looked up by a tenant through the
 * erasure requests sent to its connectors.
 */
@Injectable()
export class DepartureRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Holds the resident's row until the departure commits (a second departure waits, then finds
   * it departed). Undefined when there is no such resident.
   */
  async lockResident(tx: Queryable, residentId: string): Promise<{ departed: boolean } | undefined> {
    if (!isUuid(residentId)) return undefined;
    const [row] = await tx.query(`SELECT departed_at FROM residents WHERE id = $1 FOR UPDATE`, [residentId]);
    return row && { departed: row.departed_at !== null };
  }

  async findResidentByCommonId(commonId: string): Promise<{ id: string; departed: boolean } | undefined> {
    const [row] = await this.db.query(`SELECT id, departed_at FROM residents WHERE common_id = $1`, [commonId]);
    return row && { id: row.id, departed: row.departed_at !== null };
  }

  /**
   * The hub's part of the departure, on the caller's transaction after the consents were
   * withdrawn: the departure row (with the local IDs the erasure requests name), one erasure
   * request per connector concerned, then the resident's own records erased — links (個別ID),
   * identity proofing (the card's keyed hash), challenges and hand-overs deleted; credentials,
   * login ID, name and common ID cleared. Returns the departure and what was erased.
   */
  async commit(tx: Queryable, v: NewDeparture): Promise<{ departureId: string; hubErased: HubErased; erasureRequests: number }> {
    const [counts] = await tx.query(
      `SELECT (SELECT count(*)::int FROM service_links WHERE resident_id = $1) AS links,
         (SELECT count(*)::int FROM identity_verifications WHERE resident_id = $1) AS identity_verifications,
         (SELECT count(*)::int FROM jpki_challenges WHERE resident_id = $1) + (SELECT count(*)::int FROM jpki_transfers WHERE resident_id = $1) AS jpki_challenges,
         (SELECT count(*)::int FROM resident_emails WHERE resident_id = $1) AS email_addresses,
         (SELECT count(*)::int FROM password_resets WHERE resident_id = $1) + (SELECT count(*)::int FROM card_reset_challenges WHERE login_id = (SELECT login_id FROM residents WHERE id = $1)) AS password_resets,
         (SELECT count(*)::int FROM resident_session_devices WHERE resident_id = $1) AS session_devices`,
      [v.residentId]);
    const hubErased: HubErased = {
      credentials: 1, login_id: 1, display_name: 1, common_id: 1, links: counts.links, identity_verifications: counts.identity_verifications, jpki_challenges: counts.jpki_challenges,
      // Counted only when there were any: an item of 0 says nothing to the resident.
      ...(counts.email_addresses ? { email_addresses: counts.email_addresses } : {}),
      ...(counts.password_resets ? { password_resets: counts.password_resets } : {}),
      ...(counts.session_devices ? { session_devices: counts.session_devices } : {}),
    };
    const [departure] = await tx.query(
      `INSERT INTO departures (resident_id, reason, hub_erased, local_ids, certify_after, confirmed_by, requester, request_document, request_received_on)
       SELECT $1, $2, $3::jsonb, COALESCE((SELECT jsonb_object_agg(service_id::text, local_id) FROM service_links WHERE resident_id = $1), '{}'::jsonb), $4, $5, $6, $7, $8::date
       RETURNING id`,
      [v.residentId, v.reason, JSON.stringify(hubErased), v.certifyAfter, v.confirmedBy ?? null, v.request?.requester ?? null, v.request?.document ?? null, v.request?.receivedOn ?? null]);
    const requests = await tx.query(INSERT_ERASURE_REQUESTS, [v.residentId, departure.id]);
    await tx.query(`DELETE FROM service_links WHERE resident_id = $1`, [v.residentId]);
    await tx.query(`DELETE FROM identity_verifications WHERE resident_id = $1`, [v.residentId]);
    await tx.query(`DELETE FROM jpki_transfers WHERE resident_id = $1`, [v.residentId]);
    await tx.query(`DELETE FROM jpki_challenges WHERE resident_id = $1`, [v.residentId]);
    // The recovery and device records (the row stays as a pseudonym, so ON DELETE CASCADE does not apply).
    for (const table of ['email_verifications', 'resident_emails', 'password_resets', 'resident_session_devices']) {
      await tx.query(`DELETE FROM ${table} WHERE resident_id = $1`, [v.residentId]);
    }
    // Card reset challenges are issued by login ID (whether or not it exists): those of this one go too.
    await tx.query(`DELETE FROM card_reset_challenges WHERE login_id = (SELECT login_id FROM residents WHERE id = $1)`, [v.residentId]);
    await tx.query(
      `UPDATE residents SET common_id = NULL, login_id = NULL, password_hash = NULL, display_name = NULL, identity_verified_at = NULL,
         departed_at = now(), updated_at = now() WHERE id = $1`, [v.residentId]);
    return { departureId: departure.id, hubErased, erasureRequests: requests.length };
  }

  /**
   * What leaving will do, for the confirmation page: the consents it withdraws (data use and the
   * service using it), the services linked, the services that received data (each will be asked
   * to erase its copy), and how many records are kept.
   */
  async preview(residentId: string): Promise<LeavePreviewRow> {
    if (!isUuid(residentId)) return { consents: [], links: [], recipients: [] };
    const [consents, links, recipients] = await Promise.all([
      this.db.query(
        `SELECT u.title_ja, u.title_en, s.name_ja AS service_ja, s.name_en AS service_en, c.state FROM consents c JOIN data_uses u ON u.id = c.data_use_id JOIN services s ON s.id = u.service_id
         WHERE c.resident_id = $1 AND c.superseded_at IS NULL AND c.state IN ('active', 'paused') ORDER BY u.title_ja`, [residentId]),
      this.db.query(`SELECT s.name_ja, s.name_en FROM service_links l JOIN services s ON s.id = l.service_id WHERE l.resident_id = $1 ORDER BY s.name_ja`, [residentId]),
      this.db.query(
        `SELECT DISTINCT s.name_ja, s.name_en FROM provision_records p JOIN services s ON s.id IN (p.consumer_service_id, p.provider_service_id)
         WHERE p.resident_id = $1 AND p.outcome = 'provided' ORDER BY s.name_ja`, [residentId]),
    ]);
    return { consents, links, recipients };
  }

  /** Erasure requests for provisions reported after the departure committed (an exchange in flight). Returns how many were added. */
  async addLateErasureRequests(departureId: string, residentId: string): Promise<number> {
    return (await this.db.query(INSERT_ERASURE_REQUESTS, [residentId, departureId])).length;
  }

  async findByResident(residentId: string): Promise<DepartureRow | undefined> {
    if (!isUuid(residentId)) return undefined;
    return (await this.db.query(`SELECT ${DEPARTURE_COLUMNS} FROM departures WHERE resident_id = $1`, [residentId]))[0];
  }

  async findById(id: string): Promise<DepartureRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`SELECT ${DEPARTURE_COLUMNS} FROM departures WHERE id = $1`, [id]))[0];
  }

  /**
   * A certificate by its ID, for a tenant admin: only when one of the erasure requests went to a
   * connector of the tenant (a tenant never learns of departures that did not concern it).
   */
  async findCertificateForTenant(certificateId: string, tenantId: string): Promise<DepartureRow | undefined> {
    if (!isUuid(certificateId) || !isUuid(tenantId)) return undefined;
    return (await this.db.query(
      `SELECT ${DEPARTURE_COLUMNS} FROM departures d WHERE d.certificate_id = $1
         AND EXISTS (SELECT 1 FROM erasure_request_outbox e WHERE e.departure_id = d.id AND e.tenant_id = $2)`, [certificateId, tenantId]))[0];
  }

  /** A certificate by its ID for a system admin (platform-wide: the system admin recorded deceased residents). */
  async findCertificate(certificateId: string): Promise<DepartureRow | undefined> {
    if (!isUuid(certificateId)) return undefined;
    return (await this.db.query(`SELECT ${DEPARTURE_COLUMNS} FROM departures WHERE certificate_id = $1`, [certificateId]))[0];
  }

  /** Departures the processor still has work on: services' access to end, sessions to end, or the certificate to issue. */
  async listOpen(limit: number): Promise<DepartureRow[]> {
    // Unscoped by tenant: departures are the platform's, not a tenant's.
    return this.db.query(
      `SELECT ${DEPARTURE_COLUMNS} FROM departures WHERE access_revoked_at IS NULL OR sessions_ended_at IS NULL OR certified_at IS NULL
       ORDER BY committed_at LIMIT $1`, [limit]);
  }

  async markAccessRevoked(id: string, grants: number): Promise<void> {
    await this.db.query(
      `UPDATE departures SET access_revoked_at = now(), hub_erased = hub_erased || jsonb_build_object('oidc_grants', $2::int)
       WHERE id = $1 AND access_revoked_at IS NULL`, [id, grants]);
  }

  async markSessionsEnded(id: string, sessions: number): Promise<void> {
    await this.db.query(
      `UPDATE departures SET sessions_ended_at = now(), hub_erased = hub_erased || jsonb_build_object('sessions', COALESCE((hub_erased ->> 'sessions')::int, 0) + $2::int)
       WHERE id = $1 AND sessions_ended_at IS NULL`, [id, sessions]);
  }

  /** The departure's erasure requests with their deliveries and the names the certificate prints. */
  async targets(departureId: string): Promise<ErasureTargetRow[]> {
    return this.db.query(
      `SELECT e.seq::text AS seq, e.connector_id, k.name AS connector_name, e.roles, e.items, (e.subject IS NOT NULL OR e.enforced_at IS NOT NULL) AS had_subject,
         s.name_ja AS service_name_ja, s.name_en AS service_name_en, t.name_ja AS tenant_name_ja, t.name_en AS tenant_name_en,
         e.dispatched_at, d.attempts, d.last_error, d.acked_at, d.ack_jws, d.failed_at
       FROM erasure_request_outbox e
       JOIN connectors k ON k.id = e.connector_id JOIN services s ON s.id = k.service_id JOIN tenants t ON t.id = e.tenant_id
       LEFT JOIN revocation_deliveries d ON d.outbox_seq = e.seq AND d.connector_id = e.connector_id AND d.kind = 'erasure'
       WHERE e.departure_id = $1 ORDER BY s.name_ja, k.name`, [departureId]);
  }

  /** The catalog's names of these items (the certificate names items in words). */
  async itemNames(codes: string[]): Promise<Map<string, { ja: string; en: string }>> {
    if (!codes.length) return new Map();
    const rows: { code: string; name_ja: string; name_en: string }[] = await this.db.query(
      `SELECT DISTINCT ON (code) code, name_ja, name_en FROM data_offers WHERE code = ANY($1::text[]) ORDER BY code`, [codes]);
    return new Map(rows.map((r) => [r.code, { ja: r.name_ja, en: r.name_en }]));
  }

  /** What is kept under the resident's pseudonym (the certificate's 保存する情報). */
  async retainedCounts(residentId: string): Promise<RetainedCounts> {
    const [row] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM consents WHERE resident_id = $1) AS consent_versions,
         (SELECT count(*)::int FROM consent_receipts WHERE resident_id = $1) AS consent_receipts,
         (SELECT count(*)::int FROM provision_records WHERE resident_id = $1) AS provision_records,
         (SELECT count(*)::int FROM grant_records WHERE resident_id = $1) AS grant_records,
         (SELECT count(*)::int FROM audit_events WHERE subject = $1::text OR (actor_kind = 'resident' AND actor_id = $1::text)) AS audit_events`,
      [residentId]);
    return row;
  }

  /**
   * Issues the certificate once: stores it and forgets the local IDs (every erasure request is
   * sent or given up by now) and the subjects of the acknowledged requests. False when another
   * replica issued it first.
   */
  async storeCertificate(id: string, certificateId: string, jws: string, issuedAt: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [, updated] = await tx.query(
        `UPDATE departures SET certificate_id = $2, certificate_jws = $3, certified_at = $4, local_ids = NULL WHERE id = $1 AND certified_at IS NULL`,
        [id, certificateId, jws, issuedAt]);
      if (!updated) return false;
      await tx.query(`UPDATE erasure_request_outbox SET subject = NULL WHERE departure_id = $1 AND enforced_at IS NOT NULL`, [id]);
      return true;
    });
  }

  /** Open erasure requests across departures (the system admin's pending list): not acknowledged yet. */
  async listPending(limit: number): Promise<(ErasureTargetRow & { departure_id: string; committed_at: Date })[]> {
    return this.db.query(
      `SELECT e.departure_id, dep.committed_at, e.seq::text AS seq, e.connector_id, k.name AS connector_name, e.roles, e.items, (e.subject IS NOT NULL) AS had_subject,
         s.name_ja AS service_name_ja, s.name_en AS service_name_en, t.name_ja AS tenant_name_ja, t.name_en AS tenant_name_en,
         e.dispatched_at, d.attempts, d.last_error, d.acked_at, d.ack_jws, d.failed_at
       FROM erasure_request_outbox e JOIN departures dep ON dep.id = e.departure_id
       JOIN connectors k ON k.id = e.connector_id JOIN services s ON s.id = k.service_id JOIN tenants t ON t.id = e.tenant_id
       LEFT JOIN revocation_deliveries d ON d.outbox_seq = e.seq AND d.connector_id = e.connector_id AND d.kind = 'erasure'
       WHERE e.enforced_at IS NULL ORDER BY dep.committed_at LIMIT $1`, [limit]);
  }
}

const DEPARTURE_COLUMNS = `id, resident_id, reason, committed_at, hub_erased, certify_after, access_revoked_at, sessions_ended_at, certificate_id, certificate_jws,
  certified_at, requester, request_document, to_char(request_received_on, 'YYYY-MM-DD') AS request_received_on`;
