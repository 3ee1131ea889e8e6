import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Counts shown as tiles at the top of the dashboard. */
export interface DashboardSummary {
  services: number;
  connectors: number;
  connectorsPending: number;
  permissions: number;
  /** Requests of other tenants' data uses waiting for this tenant's approval (利用申請). */
  agreementsPending: number;
  offers: number;
  dataUses: number;
  activeConsents: number;
}

export interface DayCount { day: string; count: number }
export interface DayExchanges { day: string; provided: number; refused: number }
export interface UseDecisions { code: string; title_ja: string; title_en: string; opt_ins: number; opt_outs: number }
/** Refusals with one reason: a connector error code, or `null` for refusals by a provider's connector. */
export interface ReasonCount { reason: string | null; count: number }

/** A connector of the tenant with what its health is judged from. */
export interface ConnectorHealthRow {
  id: string;
  name: string;
  status: 'pending' | 'approved' | 'suspended' | 'revoked';
  last_seen_at: Date | null;
  last_revocation_sync_at: Date | null;
  unacked_revocations: number;
  oldest_unacked_revocation_at: Date | null;
  version: string | null;
}

/** Offers the tenant's data uses are approved to use (by their providers' agreements), for the dashboard's table. */
export interface PermissionLine { consumer_name_ja: string; consumer_name_en: string; offer_code: string; offer_name_ja: string; offer_name_en: string; created_at: Date }

/** Japan's calendar day of now, independent of the session's time zone (no DST in Japan). */
const JST_TODAY = `jst_day(now())`;
/** The first moment of tomorrow in Japan, as a timestamptz. */
const JST_TOMORROW_START = `((${JST_TODAY} + 1)::timestamp - interval '9 hours') AT TIME ZONE 'UTC'`;
/** A day of the per-day figures' window: one of the last `$2` Japan-time days, today included. */
const IN_WINDOW = (day: string) => `${day} BETWEEN ${JST_TODAY} - ($2::int - 1) AND ${JST_TODAY}`;
const WINDOW_DAYS = `SELECT g.ts::date AS day FROM generate_series(${JST_TODAY} - ($2::int - 1), ${JST_TODAY}, interval '1 day') AS g(ts)`;

/**
 * Read-only figures of one tenant's dashboard. Every query takes the tenant ID. The per-day
 * figures come from the rollup tables the database keeps by triggers on the consent, ledger and
 * audit tables (migration DashboardRollup1764590000000): a few rows per tenant and day, summed over
 * their shards, instead of counting millions of rows. Those tables belong to other modules; they
 * are read here, never written.
 */
@Injectable()
export class DashboardRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The tiles. Active consents "now" are those active at the end of today (the rollup) and those
   * lapsing later today (valid_until between now and midnight, found by a partial index).
   */
  async summary(tenantId: string): Promise<DashboardSummary> {
    const [row] = await this.db.query(
      `SELECT
         (SELECT count(*)::int FROM services WHERE tenant_id = $1 AND deleted_at IS NULL AND NOT first_party) AS services,
         (SELECT count(*)::int FROM connectors WHERE tenant_id = $1 AND status <> 'revoked') AS connectors,
         (SELECT count(*)::int FROM connectors WHERE tenant_id = $1 AND status = 'pending') AS "connectorsPending",
         (SELECT count(*)::int FROM data_agreements a CROSS JOIN LATERAL unnest(a.items) AS item(code)
            WHERE a.consumer_tenant_id = $1 AND a.state = 'approved') AS permissions,
         (SELECT count(*)::int FROM data_agreements WHERE provider_tenant_id = $1 AND state = 'pending') AS "agreementsPending",
         (SELECT count(*)::int FROM data_offers WHERE tenant_id = $1 AND active) AS offers,
         (SELECT count(*)::int FROM data_uses WHERE tenant_id = $1 AND active) AS "dataUses",
         ((SELECT coalesce(sum(active_delta), 0) FROM dashboard_consent_days WHERE tenant_id = $1 AND day <= ${JST_TODAY})
          + (SELECT count(*) FROM consents WHERE tenant_id = $1 AND superseded_at IS NULL AND state = 'active'
               AND valid_until > now() AND valid_until < ${JST_TOMORROW_START}))::int AS "activeConsents"`, [tenantId]);
    return row;
  }

  /** Active consents to the tenant's data uses at the end of each of the last `days` days (Japan time). */
  activeConsentsByDay(tenantId: string, days: number): Promise<DayCount[]> {
    return this.db.query(
      `WITH days AS (${WINDOW_DAYS}),
       before AS (SELECT coalesce(sum(active_delta), 0) AS n FROM dashboard_consent_days WHERE tenant_id = $1 AND day < ${JST_TODAY} - ($2::int - 1)),
       deltas AS (SELECT day, sum(active_delta) AS delta FROM dashboard_consent_days WHERE tenant_id = $1 AND ${IN_WINDOW('day')} GROUP BY day)
       SELECT d.day::text AS day, (b.n + sum(coalesce(x.delta, 0)) OVER (ORDER BY d.day))::int AS count
       FROM days d CROSS JOIN before b LEFT JOIN deltas x ON x.day = d.day
       ORDER BY d.day`, [tenantId, days]);
  }

  /** Opt-ins and opt-outs per data use of the tenant over the last `days` days (Japan time, today included). */
  decisionsByUse(tenantId: string, days: number): Promise<UseDecisions[]> {
    return this.db.query(
      `SELECT u.code, u.title_ja, u.title_en, coalesce(sum(d.given), 0)::int AS opt_ins, coalesce(sum(d.withdrawn), 0)::int AS opt_outs
       FROM data_uses u
       LEFT JOIN dashboard_decision_days d ON d.tenant_id = $1 AND d.data_use_id = u.id AND ${IN_WINDOW('d.day')}
       WHERE u.tenant_id = $1
       GROUP BY u.id ORDER BY u.code`, [tenantId, days]);
  }

  /**
   * Data requests per day (Japan time) in which the tenant's services took part, as consumer or
   * provider: `provided` and `refused` from the provision ledger, and to `refused` also the grant
   * requests the hub refused ({@link refusalsByReason}): a refused grant moves no data, so it never
   * reaches the ledger, yet it is a refusal the tenant must see. Counted over the same rows and
   * the same days as {@link refusalsByReason}, so the two always add up to the same total.
   */
  exchangesByDay(tenantId: string, days: number): Promise<DayExchanges[]> {
    return this.db.query(
      `WITH days AS (${WINDOW_DAYS}),
       ledger AS (
         SELECT day, sum(provided) AS provided, sum(refused) AS refused FROM dashboard_exchange_days
         WHERE tenant_id = $1::uuid AND ${IN_WINDOW('day')} GROUP BY day),
       grants AS (
         SELECT day, sum(refusals) AS refused FROM dashboard_refusal_days
         WHERE tenant_id = $1::text AND ${IN_WINDOW('day')} GROUP BY day)
       SELECT d.day::text AS day, coalesce(l.provided, 0)::int AS provided, (coalesce(l.refused, 0) + coalesce(g.refused, 0))::int AS refused
       FROM days d LEFT JOIN ledger l ON l.day = d.day LEFT JOIN grants g ON g.day = d.day
       ORDER BY d.day`, [tenantId, days]);
  }

  /**
   * Refusals concerning the tenant over the same days as {@link exchangesByDay}, by reason: the
   * hub's grant refusals by their code (from the audit chain; `unknown` when none was recorded),
   * and refusals by a provider's connector (from the provision ledger, which keeps no code) as
   * `reason: null`.
   */
  refusalsByReason(tenantId: string, days: number): Promise<ReasonCount[]> {
    return this.db.query(
      `SELECT reason, count FROM (
         SELECT reason, sum(refusals)::int AS count FROM dashboard_refusal_days
         WHERE tenant_id = $1::text AND ${IN_WINDOW('day')}
         GROUP BY reason HAVING sum(refusals) > 0
         UNION ALL
         SELECT NULL, sum(refused)::int FROM dashboard_exchange_days
         WHERE tenant_id = $1::uuid AND ${IN_WINDOW('day')}
         HAVING sum(refused) > 0
       ) r ORDER BY count DESC, reason NULLS LAST`, [tenantId, days]);
  }

  connectors(tenantId: string): Promise<ConnectorHealthRow[]> {
    return this.db.query(
      `SELECT id, name, status, last_seen_at, last_revocation_sync_at, unacked_revocations, oldest_unacked_revocation_at, version
       FROM connectors WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
  }

  permissions(tenantId: string): Promise<PermissionLine[]> {
    return this.db.query(
      `SELECT s.name_ja AS consumer_name_ja, s.name_en AS consumer_name_en, o.code AS offer_code, o.name_ja AS offer_name_ja, o.name_en AS offer_name_en,
         COALESCE(a.decided_at, a.created_at) AS created_at
       FROM data_agreements a JOIN data_uses u ON u.id = a.data_use_id JOIN services s ON s.id = u.service_id
       CROSS JOIN LATERAL unnest(a.items) AS item(code) JOIN data_offers o ON o.code = item.code
       WHERE a.consumer_tenant_id = $1 AND a.state = 'approved' ORDER BY s.name_ja, o.code`, [tenantId]);
  }

  /** The database clock (health is judged against it, as every replica sees the same). */
  async now(): Promise<Date> {
    const [row] = await this.db.query(`SELECT now() AS now`);
    return new Date(row.now);
  }
}
