import { Injectable } from '@nestjs/common';
import type { ConnectorStatus } from '@tsunagu/contracts';
import type { JWK } from 'jose';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';

/** A connector as the connector API sees it. */
export interface ConnectConnectorRow {
  id: string;
  tenant_id: string;
  tenant_code: string;
  service_id: string;
  service_client_id: string;
  name: string;
  public_jwk: JWK;
  encryption_jwk: JWK | null;
  status: ConnectorStatus;
  base_url: string;
  version: string | null;
  created_at: Date;
  status_changed_at: Date | null;
  /** The feed entries beyond consent changes it asked for on its last pull (REVOCATION_FEED_EXTENSIONS_HEADER). */
  feed_extensions: string[];
}

export interface ServiceRef {
  id: string;
  tenant_id: string;
  client_id: string;
  active: boolean;
}

export interface DataUseRef {
  id: string;
  tenant_id: string;
  service_id: string;
  code: string;
  purpose_code: string;
  items: string[];
  revision: number;
  consent_revision: number;
  active: boolean;
  /** Only residents whose identity is verified now may be served under it. */
  requires_verified_identity: boolean;
  /** `statistics`: aggregates only, computed at the provider; never a row-level exchange grant. */
  kind: 'exchange' | 'statistics';
}

export interface OfferRef {
  id: string;
  code: string;
  service_id: string;
  tenant_id: string;
}

/** The current version of a resident's consent to a data use. */
export interface CurrentConsentRow {
  id: string;
  consent_id: string;
  version: number;
  state: 'active' | 'withdrawn' | 'expired' | 'paused';
  items: string[];
  purpose_code: string;
  data_use_revision: number;
  /** Whether the resident's identity is verified now (a verification that lapsed is not). */
  resident_verified: boolean;
}

/** One row of the revocation outbox. */
export interface OutboxRow {
  seq: string;
  consent_id: string;
  version: number;
  state: 'active' | 'withdrawn' | 'expired' | 'paused';
  data_use_id: string;
  items: string[];
  changed_at: Date;
  created_at: Date;
}

/** One row of the connector revocation outbox: a revoked connector and the moment. */
export interface ConnectorRevocationRow {
  seq: string;
  connector_id: string;
  revoked_at: Date;
  created_at: Date;
}

/** One row of the erasure request outbox: what one connector is asked to erase for one departure (docs/erasure.md). */
export interface ErasureRequestRow {
  seq: string;
  /** The erasure's ID: the departure's, or the tenant exit's (a tenant left the platform). */
  departure_id: string;
  /** A tenant's request: its code and the data uses and agreements whose copies go (docs/erasure.md "Tenants leaving"). */
  tenant?: { code: string; data_uses: string[]; agreements: string[] } | null;
  connector_id: string;
  roles: ('consumer' | 'provider')[];
  /** The resident's local ID at the connector's service (null: no link any more). */
  subject: string | null;
  items: string[];
  consent_ids: string[];
  reason: 'departure' | 'deceased' | 'tenant_left';
  created_at: Date;
}

/** Which outbox a delivery pushes: a consent change, a revoked connector, or an erasure request. */
export type DeliveryKind = 'consent' | 'connector' | 'erasure';

/** A position of the revocation feed: a consent change, or (to a connector that asked) a revoked connector. Both outboxes share one sequence. */
export type FeedRow = ({ kind: 'consent' } & OutboxRow) | ({ kind: 'connector' } & ConnectorRevocationRow);

/** The outbox table of each kind (constants, never input). */
export const OUTBOX_TABLE: Record<DeliveryKind, string> = { consent: 'consent_change_outbox', connector: 'connector_revocation_outbox', erasure: 'erasure_request_outbox' };

/** What a connector is to a grant: the provider serves it, the consumer holds it. */
export type AudienceRole = 'provider' | 'consumer';

export interface DeliveryRow {
  outbox_seq: string;
  connector_id: string;
  event_jti: string;
  attempts: number;
  acked_at: Date | null;
  failed_at: Date | null;
}

/** A delivery with what it pushes. */
export type DeliveryWithEvent = DeliveryRow & (
  { kind: 'consent'; outbox: OutboxRow } | { kind: 'connector'; revocation: ConnectorRevocationRow } | { kind: 'erasure'; erasure: ErasureRequestRow });

const CONNECTOR_SELECT = `SELECT c.id, c.tenant_id, t.code AS tenant_code, c.service_id, s.client_id AS service_client_id, c.name, c.public_jwk,
    c.encryption_jwk, c.status, c.base_url, c.version, c.created_at, c.status_changed_at, c.feed_extensions
  FROM connectors c JOIN services s ON s.id = c.service_id JOIN tenants t ON t.id = c.tenant_id`;

/**
 * How long after a grant's expiry its audience is still told of changes to the consent (or of
 * the revocation of the connector it was issued to): covers a provider whose clock runs behind
 * the hub's (it would accept the grant a little longer).
 */
const AUDIENCE_GRACE = '5 minutes';

/**
 * The approved providers that served a grant to the revoked connector `$2` that was unexpired, or
 * expired less than AUDIENCE_GRACE ago, at its revocation `$3` (`$4` = the grace): the push
 * audience of a connector revocation. (Grant records of a revoked connector are all committed
 * before its revocation: the grant path holds the connector's row, which revoking locks.)
 */
const SERVED_REVOKED_CONNECTOR = `EXISTS (SELECT 1 FROM grant_records g
  WHERE g.consumer_connector_id = $2 AND g.provider_connector_id = c.id AND g.expires_at > $3::timestamptz - $4::interval)`;

/** How fresh connectors.last_seen_at and last_revocation_sync_at are kept (see touchLastSeen). */
const TIMESTAMP_RESOLUTION = '5 seconds';
const TIMESTAMP_RESOLUTION_MS = 5_000;

/**
 * SQL of the hub's connector API: connectors (registration, runtime columns), the lookups of the
 * grant path, the revocation outbox and its deliveries. Lookups on the grant path take the
 * calling connector's service: a connector never reads another service's links.
 */
@Injectable()
export class ConnectRepository {
  /** When this process last wrote a connector's `last_seen_at` / `last_revocation_sync_at` (ms). */
  private readonly timestampsWritten = new Map<string, number>();

  private timestampDue(key: string): boolean {
    const now = Date.now();
    const last = this.timestampsWritten.get(key);
    if (last !== undefined && now - last < TIMESTAMP_RESOLUTION_MS) return false;
    this.timestampsWritten.set(key, now);
    return true;
  }

  constructor(private readonly db: DataSource) {}

  // ---- connectors ----

  async findConnector(id: string): Promise<ConnectConnectorRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`${CONNECTOR_SELECT} WHERE c.id = $1`, [id]))[0];
  }

  /** The service of a tenant by client_id (the tenant by code). */
  async findServiceInTenant(tenantCode: string, clientId: string): Promise<ServiceRef | undefined> {
    return (await this.db.query(
      `SELECT s.id, s.tenant_id, s.client_id, s.active FROM services s JOIN tenants t ON t.id = s.tenant_id
       WHERE t.code = $1 AND s.client_id = $2 AND s.deleted_at IS NULL`, [tenantCode, clientId]))[0];
  }

  /** Inserts a pending connector; 'name_taken' when the tenant already has one of that name. */
  async insertConnector(v: { tenantId: string; serviceId: string; name: string; publicJwk: JWK; encryptionJwk: JWK; baseUrl: string; version: string }): Promise<string | 'name_taken'> {
    const rows = await this.db.query(
      `INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, base_url, version, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') ON CONFLICT ON CONSTRAINT connectors_tenant_name_key DO NOTHING RETURNING id`,
      [v.tenantId, v.serviceId, v.name, JSON.stringify(v.publicJwk), JSON.stringify(v.encryptionJwk), v.baseUrl, v.version]);
    return rows[0]?.id ?? 'name_taken';
  }

  /** Key rotation: replaces both keys (and the address/version) of a connector that is not revoked. */
  async replaceKeys(id: string, v: { publicJwk: JWK; encryptionJwk: JWK; baseUrl: string; version: string }): Promise<boolean> {
    const [, count] = await this.db.query(
      `UPDATE connectors SET public_jwk = $2, encryption_jwk = $3, base_url = $4, version = $5, updated_at = now()
       WHERE id = $1 AND status <> 'revoked'`,
      [id, JSON.stringify(v.publicJwk), JSON.stringify(v.encryptionJwk), v.baseUrl, v.version]);
    return count === 1;
  }

  /**
   * Both timestamps are written at most once per TIMESTAMP_RESOLUTION per connector: connectors
   * call every second or so, and a row version (and its WAL) per call would cost the database more
   * than the screens gain from sub-second "last seen" figures. This process skips even the round
   * trip while its own last write is that recent; the SQL condition covers the other replicas.
   */
  async touchLastSeen(id: string): Promise<void> {
    if (!this.timestampDue(`seen:${id}`)) return;
    await this.db.query(
      `UPDATE connectors SET last_seen_at = now() WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - $2::interval)`,
      [id, TIMESTAMP_RESOLUTION]);
  }

  async markRevocationSync(id: string, at: Date): Promise<void> {
    if (!this.timestampDue(`sync:${id}`)) return;
    await this.db.query(
      `UPDATE connectors SET last_revocation_sync_at = $2 WHERE id = $1 AND (last_revocation_sync_at IS NULL OR last_revocation_sync_at < $2::timestamptz - $3::interval)`,
      [id, at, TIMESTAMP_RESOLUTION]);
  }

  /** The approved connector installed beside a service (the newest approval if several). */
  async findApprovedConnectorOfService(serviceId: string): Promise<ConnectConnectorRow | undefined> {
    return (await this.db.query(
      `${CONNECTOR_SELECT} WHERE c.service_id = $1 AND c.status = 'approved' AND c.encryption_jwk IS NOT NULL
       ORDER BY c.status_changed_at DESC NULLS LAST, c.created_at DESC LIMIT 1`, [serviceId]))[0];
  }

  // ---- grant path ----

  async findLinkByLocalId(serviceId: string, localId: string): Promise<{ resident_id: string } | undefined> {
    return (await this.db.query(`SELECT resident_id FROM service_links WHERE service_id = $1 AND local_id = $2`, [serviceId, localId]))[0];
  }

  async findLocalIdOfResident(serviceId: string, residentId: string): Promise<string | undefined> {
    return (await this.db.query(`SELECT local_id FROM service_links WHERE service_id = $1 AND resident_id = $2`, [serviceId, residentId]))[0]?.local_id;
  }

  async findDataUse(code: string): Promise<DataUseRef | undefined> {
    return (await this.db.query(
      `SELECT id, tenant_id, service_id, code, purpose_code, items, revision, consent_revision, active, requires_verified_identity, kind FROM data_uses WHERE code = $1`, [code]))[0];
  }

  async findOffers(codes: string[]): Promise<OfferRef[]> {
    return this.db.query(`SELECT id, code, service_id, tenant_id FROM data_offers WHERE code = ANY($1::text[]) AND active`, [codes]);
  }

  async findCurrentConsent(residentId: string, dataUseId: string): Promise<CurrentConsentRow | undefined> {
    return (await this.db.query(
      `SELECT c.id, c.consent_id, c.version, c.state, c.items, c.purpose_code, c.data_use_revision, r.identity_verified_at IS NOT NULL AS resident_verified
       FROM consents c JOIN residents r ON r.id = c.resident_id
       WHERE c.resident_id = $1 AND c.data_use_id = $2 AND c.superseded_at IS NULL`, [residentId, dataUseId]))[0];
  }

  // ---- revocation feed ----

  /**
   * Feed positions after `afterSeq` (or, without a cursor, created since `since`), in `seq` order,
   * at most `limit` (+1 to tell whether more follow): the consent changes concerning items the
   * connector's service provides, and — when `revokedConnectorsFor` names the calling connector,
   * which asked for them — the revoked connectors it served a grant to that was live (or expired
   * within AUDIENCE_GRACE) at their revocation.
   */
  async feedFor(serviceId: string, from: { afterSeq: string } | { since: Date }, limit: number, revokedConnectorsFor?: string): Promise<FeedRow[]> {
    const condition = (t: string) => ('afterSeq' in from ? `${t}.seq > $2::bigint` : `${t}.created_at >= $2`);
    const rows: (OutboxRow & { kind: DeliveryKind; connector_id: string | null; revoked_at: Date | null })[] = await this.db.query(
      `SELECT * FROM (
         SELECT 'consent' AS kind, x.seq, x.consent_id, x.version, x.state, x.data_use_id, x.items, x.changed_at, x.created_at,
           NULL::uuid AS connector_id, NULL::timestamptz AS revoked_at
         FROM consent_change_outbox x
         WHERE ${condition('x')} AND EXISTS (SELECT 1 FROM data_offers o WHERE o.service_id = $1 AND o.code = ANY(x.items))
         UNION ALL
         SELECT 'connector', r.seq, NULL::uuid, NULL::integer, NULL::text, NULL::uuid, NULL::text[], NULL::timestamptz, r.created_at, r.connector_id, r.revoked_at
         FROM connector_revocation_outbox r
         WHERE $4::uuid IS NOT NULL AND ${condition('r')} AND EXISTS (SELECT 1 FROM grant_records g
           WHERE g.consumer_connector_id = r.connector_id AND g.provider_connector_id = $4::uuid AND g.expires_at > r.revoked_at - $5::interval)
       ) f ORDER BY f.seq LIMIT $3`,
      [serviceId, 'afterSeq' in from ? from.afterSeq : from.since, limit + 1, revokedConnectorsFor ?? null, AUDIENCE_GRACE]);
    return rows.map((r) => r.kind === 'connector'
      ? { kind: 'connector', seq: String(r.seq), connector_id: r.connector_id!, revoked_at: r.revoked_at!, created_at: r.created_at }
      : { kind: 'consent', seq: String(r.seq), consent_id: r.consent_id, version: r.version, state: r.state, data_use_id: r.data_use_id, items: r.items, changed_at: r.changed_at, created_at: r.created_at });
  }

  /** The highest feed position (of either outbox) written before `before` (rows after it may still be committing), or undefined. */
  async settledSeq(before: Date): Promise<string | undefined> {
    const rows = await this.db.query(
      `SELECT max(seq)::text AS seq FROM (SELECT max(seq) AS seq FROM consent_change_outbox WHERE created_at < $1
         UNION ALL SELECT max(seq) FROM connector_revocation_outbox WHERE created_at < $1) s`, [before]);
    return rows[0]?.seq ?? undefined;
  }

  /**
   * The feed's head: the highest outbox position visible now, of both outboxes the feed reads
   * ('0' when both are empty). Two index lookups (seq is the primary key of each).
   */
  async feedHead(): Promise<string> {
    const rows = await this.db.query(
      `SELECT GREATEST((SELECT max(seq) FROM consent_change_outbox), (SELECT max(seq) FROM connector_revocation_outbox), 0)::text AS seq`);
    return rows[0]?.seq ?? '0';
  }

  /**
   * The consent changes in (afterSeq, upToSeq] by the services they concern (those offering one of
   * their items, as in feedFor), in feed order, at most `limit` rows in all; `all` when a connector
   * revocation is among them (its providers are found through grant records: every stream pulls).
   */
  async changesConcerned(afterSeq: string, upToSeq: string, limit: number): Promise<{ changes: (OutboxRow & { service_id: string })[]; all: boolean; more: boolean }> {
    const rows: (OutboxRow & { service_id: string | null })[] = await this.db.query(
      `SELECT * FROM (
         SELECT o.service_id, x.seq::text AS seq, x.consent_id, x.version, x.state, x.data_use_id, x.items, x.changed_at, x.created_at
           FROM consent_change_outbox x JOIN LATERAL (SELECT DISTINCT d.service_id FROM data_offers d WHERE d.code = ANY(x.items)) o ON true
          WHERE x.seq > $1::bigint AND x.seq <= $2::bigint
         UNION ALL
         SELECT NULL, r.seq::text, NULL, NULL, NULL, NULL, NULL, NULL, r.created_at
           FROM connector_revocation_outbox r WHERE r.seq > $1::bigint AND r.seq <= $2::bigint
       ) c ORDER BY c.seq::bigint LIMIT $3`, [afterSeq, upToSeq, limit + 1]);
    const more = rows.length > limit;
    const kept = rows.slice(0, limit);
    return {
      changes: kept.filter((r): r is OutboxRow & { service_id: string } => r.service_id !== null),
      all: kept.some((r) => r.service_id === null), more,
    };
  }

  /**
   * Connectors holding the revocation stream: seen now, synced at `at` (the moment of the last
   * head sent to them). One statement for every stream of this process instead of one per connector.
   * Returns the IDs still approved (a suspended or revoked connector's streams are then ended).
   */
  async markStreamsSynced(ids: string[], at: Date): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.db.query(
      `WITH marked AS (
         UPDATE connectors SET last_seen_at = now(), last_revocation_sync_at = GREATEST(coalesce(last_revocation_sync_at, $2::timestamptz), $2::timestamptz)
          WHERE id = ANY($1::uuid[]) AND status = 'approved' RETURNING id)
       SELECT id FROM marked`, [ids, at]);
    return rows.map((r) => r.id);
  }

  /**
   * Remembers which feed entries beyond consent changes the connector asked for (the enforcement of
   * a connector revocation counts on the feed only for a connector that asks for revoked connectors).
   * Written only when it changed: `known` is what the connector's row said when it authenticated.
   */
  async recordFeedExtensions(id: string, known: string[], extensions: string[]): Promise<void> {
    if (known.length === extensions.length && known.every((e, i) => e === extensions[i])) return;
    await this.db.query(`UPDATE connectors SET feed_extensions = $2 WHERE id = $1`, [id, extensions]);
  }

  // ---- push ----

  /**
   * Claims up to `limit` undispatched rows of each outbox and, for each, records one delivery per
   * approved connector concerned. A consent change: the audiences of grants issued under that
   * consent that are unexpired or expired less than AUDIENCE_GRACE ago (grant_audiences); other
   * connectors of the providing service hold no grant under it and learn the change from the feed.
   * A revoked connector: the providers that served it such a grant (grant_records). Returns the
   * deliveries to queue, and the rows claimed (some may have none). One transaction: a row is
   * dispatched exactly once across replicas (SKIP LOCKED).
   */
  async dispatchPending(limit: number): Promise<{ claimed: string[]; deliveries: { outboxSeq: string; connectorId: string }[] }> {
    // The usual answer is "nothing new": one index probe per outbox, no transaction.
    if (!(await this.db.query(`SELECT 1 FROM consent_change_outbox WHERE dispatched_at IS NULL
      UNION ALL SELECT 1 FROM connector_revocation_outbox WHERE dispatched_at IS NULL
      UNION ALL SELECT 1 FROM erasure_request_outbox WHERE dispatched_at IS NULL LIMIT 1`)).length) return { claimed: [], deliveries: [] };
    return this.db.transaction(async (tx) => {
      const out: { outboxSeq: string; connectorId: string }[] = [];
      const claimed: string[] = [];
      const changes: { seq: string; consent_id: string }[] = await tx.query(
        `SELECT seq::text AS seq, consent_id FROM consent_change_outbox WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
      for (const row of changes) {
        const inserted: { connector_id: string; role: AudienceRole }[] = await tx.query(
          `INSERT INTO revocation_deliveries (outbox_seq, connector_id, event_jti, role)
           SELECT $2::bigint, c.id, gen_random_uuid(), a.role FROM grant_audiences a JOIN connectors c ON c.id = a.connector_id
           WHERE a.consent_id = $1 AND a.expires_at > now() - $3::interval AND c.status = 'approved'
           ON CONFLICT DO NOTHING RETURNING connector_id, role`, [row.consent_id, row.seq, AUDIENCE_GRACE]);
        await this.markDispatched(tx, 'consent', row.seq, inserted, out);
      }
      const revocations: { seq: string; connector_id: string; revoked_at: Date }[] = await tx.query(
        `SELECT seq::text AS seq, connector_id, revoked_at FROM connector_revocation_outbox WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
      for (const row of revocations) {
        const inserted: { connector_id: string; role: AudienceRole }[] = await tx.query(
          `INSERT INTO revocation_deliveries (outbox_seq, connector_id, event_jti, role, kind)
           SELECT $1::bigint, c.id, gen_random_uuid(), 'provider', 'connector' FROM connectors c
           WHERE c.status = 'approved' AND ${SERVED_REVOKED_CONNECTOR}
           ON CONFLICT DO NOTHING RETURNING connector_id, role`, [row.seq, row.connector_id, row.revoked_at, AUDIENCE_GRACE]);
        await this.markDispatched(tx, 'connector', row.seq, inserted, out);
      }
      // An erasure request goes to the one connector it names (approved or suspended: a suspended
      // connector still holds the copy; a revoked one gets nothing, and the certificate says so) —
      // except a tenant's: its own connectors were revoked by the same deletion and still hold copies.
      const erasures: { seq: string; connector_id: string; tenant_exit: boolean }[] = await tx.query(
        `SELECT seq::text AS seq, connector_id, tenant_exit_id IS NOT NULL AS tenant_exit FROM erasure_request_outbox WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
      for (const row of erasures) {
        const inserted: { connector_id: string }[] = await tx.query(
          `INSERT INTO revocation_deliveries (outbox_seq, connector_id, event_jti, role, kind)
           SELECT $1::bigint, c.id, gen_random_uuid(), 'consumer', 'erasure' FROM connectors c WHERE c.id = $2 AND (c.status <> 'revoked' OR $3::boolean)
           ON CONFLICT DO NOTHING RETURNING connector_id`, [row.seq, row.connector_id, row.tenant_exit]);
        for (const d of inserted) out.push({ outboxSeq: row.seq, connectorId: d.connector_id });
        await tx.query(`UPDATE erasure_request_outbox SET dispatched_at = now() WHERE seq = $1::bigint`, [row.seq]);
      }
      claimed.push(...changes.map((row) => row.seq), ...revocations.map((row) => row.seq), ...erasures.map((row) => row.seq));
      const touched = [...new Set(out.map((d) => d.connectorId))];
      if (touched.length) await this.refreshUnacked(tx, touched);
      return { claimed, deliveries: out };
    });
  }

  /** Marks an outbox row dispatched with the deliveries just inserted for it (added to `out`). */
  private async markDispatched(tx: { query: DataSource['query'] }, kind: DeliveryKind, seq: string, inserted: { connector_id: string; role: AudienceRole }[],
    out: { outboxSeq: string; connectorId: string }[]): Promise<void> {
    for (const d of inserted) out.push({ outboxSeq: seq, connectorId: d.connector_id });
    // No provider serves under it: nothing can leave any more, it is enforced now.
    const servedNowhere = !inserted.some((d) => d.role === 'provider');
    await tx.query(`UPDATE ${OUTBOX_TABLE[kind]} SET dispatched_at = now(), enforced_at = CASE WHEN $2 THEN now() END WHERE seq = $1::bigint`, [seq, servedNowhere]);
  }

  /**
   * Records that the connectors are (until `expiresAt`) the audiences of a grant under
   * `consentId` — the provider that serves it and the consumer that holds it — so that a change of
   * the consent is pushed to both. Committed on its own, before the grant path re-reads the consent
   * (GrantsService): whichever of a grant and a withdrawal comes second sees the other.
   */
  async recordGrantAudiences(consentId: string, audiences: { connectorId: string; role: AudienceRole }[], expiresAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO grant_audiences (consent_id, connector_id, role, expires_at)
       SELECT $1, a.connector_id, a.role, $4 FROM unnest($2::uuid[], $3::text[]) AS a(connector_id, role)
       ON CONFLICT (consent_id, connector_id) DO UPDATE SET expires_at = GREATEST(grant_audiences.expires_at, EXCLUDED.expires_at),
         role = CASE WHEN grant_audiences.role = 'provider' THEN 'provider' ELSE EXCLUDED.role END`,
      [consentId, audiences.map((a) => a.connectorId), audiences.map((a) => a.role), expiresAt]);
  }

  /**
   * In the transaction that records a grant: whether the consumer connector is still approved,
   * holding its row (KEY SHARE: grants do not wait for each other, nor for last-seen updates) until
   * the commit. Revoking locks the row FOR UPDATE, so it waits for this grant's record, and a
   * grant recorded after a revocation is refused here: every grant a revoked connector holds is
   * issued, and recorded, before its revocation.
   */
  async holdApprovedConnector(tx: { query: DataSource['query'] }, id: string): Promise<boolean> {
    return (await tx.query(`SELECT 1 FROM connectors WHERE id = $1 AND status = 'approved' FOR KEY SHARE`, [id])).length === 1;
  }

  /** Whether `version` is still the current version of the consent (nothing has superseded it). */
  async isCurrentConsentVersion(consentId: string, version: number): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM consents WHERE consent_id = $1 AND version = $2 AND superseded_at IS NULL`, [consentId, version])).length === 1;
  }

  /** Forgets audiences of grants long expired (no change can concern them any more). */
  async pruneGrantAudiences(): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM grant_audiences WHERE expires_at < now() - $1::interval`, [AUDIENCE_GRACE]);
    return count as number;
  }

  /** Deliveries neither acknowledged nor given up, and not tried since `olderThan` (to queue again: jobs lost with Redis or a restart, or out of tries). */
  async listOpenDeliveries(olderThan: Date, limit: number): Promise<{ outboxSeq: string; connectorId: string }[]> {
    const rows = await this.db.query(
      `SELECT outbox_seq::text AS outbox_seq, connector_id FROM revocation_deliveries
       WHERE acked_at IS NULL AND failed_at IS NULL AND created_at < $1 AND (last_attempt_at IS NULL OR last_attempt_at < $1)
       ORDER BY created_at LIMIT $2`, [olderThan, limit]);
    return rows.map((r: { outbox_seq: string; connector_id: string }) => ({ outboxSeq: r.outbox_seq, connectorId: r.connector_id }));
  }

  async findDelivery(outboxSeq: string, connectorId: string): Promise<DeliveryWithEvent | undefined> {
    if (!/^\d{1,19}$/.test(outboxSeq) || !isUuid(connectorId)) return undefined;
    const rows = await this.db.query(
      `SELECT d.outbox_seq::text AS outbox_seq, d.connector_id, d.event_jti, d.attempts, d.acked_at, d.failed_at, d.kind,
         x.consent_id, x.version, x.state, x.data_use_id, x.items, x.changed_at, COALESCE(x.created_at, r.created_at) AS created_at,
         r.connector_id AS revoked_connector_id, r.revoked_at,
         COALESCE(e.departure_id, e.tenant_exit_id) AS departure_id, e.roles, e.subject, e.items AS erasure_items, e.consent_ids, e.created_at AS erasure_created_at,
         COALESCE(dep.reason, 'tenant_left') AS erasure_reason, et.code AS erasure_tenant_code, e.data_use_codes, e.agreement_ids
       FROM revocation_deliveries d
       LEFT JOIN consent_change_outbox x ON x.seq = d.consent_outbox_seq
       LEFT JOIN connector_revocation_outbox r ON r.seq = d.connector_outbox_seq
       LEFT JOIN erasure_request_outbox e ON e.seq = d.erasure_outbox_seq
       LEFT JOIN departures dep ON dep.id = e.departure_id
       LEFT JOIN tenant_exits tx ON tx.id = e.tenant_exit_id LEFT JOIN tenants et ON et.id = tx.tenant_id
       WHERE d.outbox_seq = $1::bigint AND d.connector_id = $2`, [outboxSeq, connectorId]);
    const r = rows[0];
    if (!r) return undefined;
    const delivery: DeliveryRow = {
      outbox_seq: r.outbox_seq, connector_id: r.connector_id, event_jti: r.event_jti, attempts: r.attempts, acked_at: r.acked_at, failed_at: r.failed_at,
    };
    if (r.kind === 'erasure') {
      return {
        ...delivery, kind: 'erasure',
        erasure: {
          seq: r.outbox_seq, departure_id: r.departure_id, connector_id: r.connector_id, roles: r.roles, subject: r.subject, items: r.erasure_items,
          consent_ids: r.consent_ids, reason: r.erasure_reason, created_at: r.erasure_created_at,
          tenant: r.erasure_tenant_code ? { code: r.erasure_tenant_code, data_uses: r.data_use_codes ?? [], agreements: r.agreement_ids ?? [] } : null,
        },
      };
    }
    return r.kind === 'connector'
      ? { ...delivery, kind: 'connector', revocation: { seq: r.outbox_seq, connector_id: r.revoked_connector_id, revoked_at: r.revoked_at, created_at: r.created_at } }
      : {
        ...delivery, kind: 'consent',
        outbox: { seq: r.outbox_seq, consent_id: r.consent_id, version: r.version, state: r.state, data_use_id: r.data_use_id, items: r.items, changed_at: r.changed_at, created_at: r.created_at },
      };
  }

  async recordAttempt(outboxSeq: string, connectorId: string, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE revocation_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_error = $3
       WHERE outbox_seq = $1::bigint AND connector_id = $2`, [outboxSeq, connectorId, error]);
  }

  /**
   * Stores the acknowledgement; the last provider's also records the moment of full enforcement
   * on the outbox row (what the resident's consent page and receipt, or the admin's connector
   * page, show).
   */
  async recordAck(outboxSeq: string, connectorId: string, ackJws: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [updated]: [{ kind: DeliveryKind }[], number] = await tx.query(
        `UPDATE revocation_deliveries SET acked_at = now(), ack_jws = $3, last_error = NULL
         WHERE outbox_seq = $1::bigint AND connector_id = $2 AND acked_at IS NULL RETURNING kind`, [outboxSeq, connectorId, ackJws]);
      const acked = updated[0];
      if (!acked) return;
      await tx.query(
        `UPDATE ${OUTBOX_TABLE[acked.kind]} x SET enforced_at = now()
         WHERE x.seq = $1::bigint AND x.enforced_at IS NULL AND x.dispatched_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM revocation_deliveries d WHERE d.outbox_seq = x.seq AND d.role = 'provider' AND d.acked_at IS NULL)`, [outboxSeq]);
      await this.refreshUnacked(tx, [connectorId]);
    });
  }

  /** Gives up on a delivery (the connector refused it as invalid): it stays unacknowledged, visibly. */
  async recordFailure(outboxSeq: string, connectorId: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE revocation_deliveries SET failed_at = now(), last_error = $3 WHERE outbox_seq = $1::bigint AND connector_id = $2`,
      [outboxSeq, connectorId, error]);
  }

  async findAck(outboxSeq: string, connectorId: string): Promise<string | undefined> {
    return (await this.db.query(`SELECT ack_jws FROM revocation_deliveries WHERE outbox_seq = $1::bigint AND connector_id = $2`, [outboxSeq, connectorId]))[0]?.ack_jws ?? undefined;
  }

  /** Keeps connectors.unacked_revocations / oldest_unacked_revocation_at (what the admin screens show) in step with the deliveries. */
  private async refreshUnacked(q: { query: DataSource['query'] }, connectorIds: string[]): Promise<void> {
    await q.query(
      `UPDATE connectors c SET unacked_revocations = u.n, oldest_unacked_revocation_at = u.oldest
       FROM (SELECT id, (SELECT count(*)::int FROM revocation_deliveries d WHERE d.connector_id = id AND d.acked_at IS NULL) AS n,
                    (SELECT min(created_at) FROM revocation_deliveries d WHERE d.connector_id = id AND d.acked_at IS NULL) AS oldest
             FROM unnest($1::uuid[]) AS id) u
       WHERE c.id = u.id`, [connectorIds]);
  }
}
