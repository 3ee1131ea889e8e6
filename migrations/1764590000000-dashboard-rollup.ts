import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rows of one tenant and day are spread over this many shards, so that concurrent writers rarely wait on one row. */
const SHARDS = 16;
/**
 * Deletes (an erasure's cascades: many rows of many days, in no order) write rows of their own
 * transaction, never a writer's shard, so that they wait on no one and no one on them: shards
 * 16 … 32,015 by transaction ID. Erasures are rare, so these rows stay few.
 */
const DELETE_SHARD = `(${SHARDS} + txid_current() % 32000)::smallint`;

/**
 * Per-day figures of the tenant dashboard kept by triggers (issue 19 part 5; docs/benchmarks.md
 * "Prefecture-sized data set"). On 30 M ledger rows the dashboard counted ~10 M rows per tenant
 * and took 8–22 s; counting is the cost, so no index can fix it. Instead every write that changes
 * a figure adds its delta to a small table keyed by tenant and Japan-time day:
 *
 * - dashboard_exchange_days: provided / refused exchanges per tenant taking part (consumer or
 *   provider; once when both) — from provision_records (insert, the refused → provided update,
 *   cascade deletes of an erasure).
 * - dashboard_refusal_days: the hub's grant refusals per tenant and reason — from audit_events
 *   (insert only: the retention purge removes days older than any window shown).
 * - dashboard_consent_days: +1 on the day a consent version becomes active, −1 on the day it stops
 *   (superseded or valid_until, whichever first), so "active at the end of day D" is a sum over the
 *   tenant's days up to D — from consents (insert, the supersession update, cascade deletes).
 * - dashboard_decision_days: opt-ins and opt-outs per data use and day — from consents.
 *
 * A row's shard is the writing backend's pid modulo 16 (reads sum the shards): connections of a
 * pool each write their own row, and one statement takes its rows in (day, tenant) order; a
 * transaction writing several tenants' decisions writes them in tenant order (a departure's
 * withdrawals), and deletes write rows of their own transaction (DELETE_SHARD).
 * `dashboard_rollup_rebuild()` recomputes all four from the source tables under a share lock (this
 * migration runs it; so does a bulk load that bypassed the triggers). Also: the portal's ledger page
 * index gains `id` (the page's tie-break, no sort), and a partial index finds the consents that
 * lapse later today for the "active now" tile.
 */
export class DashboardRollup1764590000000 implements MigrationInterface {
  name = 'DashboardRollup1764590000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION jst_day(ts timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT ((ts AT TIME ZONE 'UTC') + interval '9 hours')::date $$`);

    await q.query(`CREATE TABLE dashboard_exchange_days (
      tenant_id uuid NOT NULL, day date NOT NULL, shard smallint NOT NULL,
      provided bigint NOT NULL DEFAULT 0, refused bigint NOT NULL DEFAULT 0,
      CONSTRAINT dashboard_exchange_days_pkey PRIMARY KEY (tenant_id, day, shard))`);
    await q.query(`CREATE TABLE dashboard_refusal_days (
      tenant_id text NOT NULL, day date NOT NULL, reason text NOT NULL, shard smallint NOT NULL, refusals bigint NOT NULL DEFAULT 0,
      CONSTRAINT dashboard_refusal_days_pkey PRIMARY KEY (tenant_id, day, reason, shard))`);
    await q.query(`CREATE TABLE dashboard_consent_days (
      tenant_id uuid NOT NULL, day date NOT NULL, shard smallint NOT NULL, active_delta bigint NOT NULL DEFAULT 0,
      CONSTRAINT dashboard_consent_days_pkey PRIMARY KEY (tenant_id, day, shard))`);
    await q.query(`CREATE TABLE dashboard_decision_days (
      tenant_id uuid NOT NULL, day date NOT NULL, data_use_id uuid NOT NULL, shard smallint NOT NULL,
      given bigint NOT NULL DEFAULT 0, withdrawn bigint NOT NULL DEFAULT 0,
      CONSTRAINT dashboard_decision_days_pkey PRIMARY KEY (tenant_id, day, data_use_id, shard))`);

    await q.query(`CREATE FUNCTION dashboard_exchange_days_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The hot path (one insert per exchange): one or two rows upserted, in tenant order.
        IF TG_OP = 'INSERT' THEN
          INSERT INTO dashboard_exchange_days AS d (tenant_id, day, shard, provided, refused)
          SELECT x.tenant_id, jst_day(NEW.occurred_at), pg_backend_pid() % ${SHARDS}, (NEW.outcome = 'provided')::int, (NEW.outcome = 'refused')::int
          FROM unnest(CASE WHEN NEW.tenant_id = NEW.provider_tenant_id THEN ARRAY[NEW.tenant_id]
                           ELSE ARRAY[least(NEW.tenant_id, NEW.provider_tenant_id), greatest(NEW.tenant_id, NEW.provider_tenant_id)] END) AS x (tenant_id)
          ON CONFLICT ON CONSTRAINT dashboard_exchange_days_pkey DO UPDATE SET provided = d.provided + EXCLUDED.provided, refused = d.refused + EXCLUDED.refused;
          RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND (OLD.outcome, OLD.occurred_at, OLD.tenant_id, OLD.provider_tenant_id)
           IS NOT DISTINCT FROM (NEW.outcome, NEW.occurred_at, NEW.tenant_id, NEW.provider_tenant_id) THEN
          RETURN NULL;
        END IF;
        WITH versions (sign, tenant_id, provider_tenant_id, occurred_at, outcome) AS (
          SELECT -1, OLD.tenant_id, OLD.provider_tenant_id, OLD.occurred_at, OLD.outcome WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1, NEW.tenant_id, NEW.provider_tenant_id, NEW.occurred_at, NEW.outcome WHERE TG_OP <> 'DELETE'
        ), counted AS (
          SELECT DISTINCT v.sign, t.tenant_id, jst_day(v.occurred_at) AS day, v.outcome
          FROM versions v CROSS JOIN LATERAL unnest(ARRAY[v.tenant_id, v.provider_tenant_id]) AS t (tenant_id)
        )
        INSERT INTO dashboard_exchange_days AS d (tenant_id, day, shard, provided, refused)
        SELECT tenant_id, day, CASE WHEN TG_OP = 'DELETE' THEN ${DELETE_SHARD} ELSE pg_backend_pid() % ${SHARDS} END,
          coalesce(sum(sign) FILTER (WHERE outcome = 'provided'), 0), coalesce(sum(sign) FILTER (WHERE outcome = 'refused'), 0)
        FROM counted GROUP BY tenant_id, day ORDER BY day, tenant_id
        ON CONFLICT ON CONSTRAINT dashboard_exchange_days_pkey DO UPDATE SET provided = d.provided + EXCLUDED.provided, refused = d.refused + EXCLUDED.refused;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER dashboard_exchange_days AFTER INSERT OR UPDATE OR DELETE ON provision_records
      FOR EACH ROW EXECUTE FUNCTION dashboard_exchange_days_maintain()`);

    await q.query(`CREATE FUNCTION dashboard_refusal_days_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO dashboard_refusal_days AS d (tenant_id, day, reason, shard, refusals)
        VALUES (NEW.tenant_id, jst_day(NEW.occurred_at), coalesce(NEW.reason, 'unknown'), pg_backend_pid() % ${SHARDS}, 1)
        ON CONFLICT ON CONSTRAINT dashboard_refusal_days_pkey DO UPDATE SET refusals = d.refusals + 1;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER dashboard_refusal_days AFTER INSERT ON audit_events
      FOR EACH ROW WHEN (NEW.type = 'grant.refused' AND NEW.tenant_id IS NOT NULL) EXECUTE FUNCTION dashboard_refusal_days_maintain()`);

    // A version counts as active from the day it was written to the day it stopped (never before it started).
    await q.query(`CREATE FUNCTION dashboard_consent_days_maintain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        r consents;
        s int;
      BEGIN
        WITH versions (sign, tenant_id, state, created_at, ended_at) AS (
          SELECT -1, OLD.tenant_id, OLD.state, OLD.created_at, least(OLD.superseded_at, OLD.valid_until) WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT 1, NEW.tenant_id, NEW.state, NEW.created_at, least(NEW.superseded_at, NEW.valid_until) WHERE TG_OP <> 'DELETE'
        ), deltas AS (
          SELECT tenant_id, jst_day(created_at) AS day, sign AS delta FROM versions WHERE state = 'active'
          UNION ALL
          SELECT tenant_id, greatest(jst_day(created_at), jst_day(ended_at)), -sign FROM versions WHERE state = 'active' AND ended_at IS NOT NULL
        )
        INSERT INTO dashboard_consent_days AS d (tenant_id, day, shard, active_delta)
        SELECT tenant_id, day, CASE WHEN TG_OP = 'DELETE' THEN ${DELETE_SHARD} ELSE pg_backend_pid() % ${SHARDS} END, sum(delta) FROM deltas
        GROUP BY tenant_id, day HAVING sum(delta) <> 0 ORDER BY day, tenant_id
        ON CONFLICT ON CONSTRAINT dashboard_consent_days_pkey DO UPDATE SET active_delta = d.active_delta + EXCLUDED.active_delta;

        -- Decisions do not change when a version is superseded (the only update consents allow).
        IF TG_OP = 'UPDATE' THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN r := OLD; s := -1; ELSE r := NEW; s := 1; END IF;
        IF r.event IN ('given', 'withdrawn') THEN
          INSERT INTO dashboard_decision_days AS d (tenant_id, day, data_use_id, shard, given, withdrawn)
          VALUES (r.tenant_id, jst_day(r.created_at), r.data_use_id, CASE WHEN TG_OP = 'DELETE' THEN ${DELETE_SHARD} ELSE pg_backend_pid() % ${SHARDS} END,
            CASE WHEN r.event = 'given' THEN s ELSE 0 END, CASE WHEN r.event = 'withdrawn' THEN s ELSE 0 END)
          ON CONFLICT ON CONSTRAINT dashboard_decision_days_pkey DO UPDATE SET given = d.given + EXCLUDED.given, withdrawn = d.withdrawn + EXCLUDED.withdrawn;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER dashboard_consent_days AFTER INSERT OR UPDATE OR DELETE ON consents
      FOR EACH ROW EXECUTE FUNCTION dashboard_consent_days_maintain()`);

    await q.query(`CREATE FUNCTION dashboard_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        LOCK TABLE provision_records, audit_events, consents IN SHARE MODE;
        TRUNCATE dashboard_exchange_days, dashboard_refusal_days, dashboard_consent_days, dashboard_decision_days;
        INSERT INTO dashboard_exchange_days (tenant_id, day, shard, provided, refused)
        SELECT tenant_id, day, 0, count(*) FILTER (WHERE outcome = 'provided'), count(*) FILTER (WHERE outcome = 'refused')
        FROM (SELECT tenant_id, jst_day(occurred_at) AS day, outcome FROM provision_records
              UNION ALL
              SELECT provider_tenant_id, jst_day(occurred_at), outcome FROM provision_records WHERE provider_tenant_id <> tenant_id) p
        GROUP BY tenant_id, day;
        INSERT INTO dashboard_refusal_days (tenant_id, day, reason, shard, refusals)
        SELECT tenant_id, jst_day(occurred_at), coalesce(reason, 'unknown'), 0, count(*) FROM audit_events
        WHERE type = 'grant.refused' AND tenant_id IS NOT NULL GROUP BY 1, 2, 3;
        INSERT INTO dashboard_consent_days (tenant_id, day, shard, active_delta)
        SELECT tenant_id, day, 0, sum(delta) FROM (
          SELECT tenant_id, jst_day(created_at) AS day, 1 AS delta FROM consents WHERE state = 'active'
          UNION ALL
          SELECT tenant_id, greatest(jst_day(created_at), jst_day(least(superseded_at, valid_until))), -1 FROM consents
          WHERE state = 'active' AND least(superseded_at, valid_until) IS NOT NULL) c
        GROUP BY tenant_id, day HAVING sum(delta) <> 0;
        INSERT INTO dashboard_decision_days (tenant_id, day, data_use_id, shard, given, withdrawn)
        SELECT tenant_id, jst_day(created_at), data_use_id, 0, count(*) FILTER (WHERE event = 'given'), count(*) FILTER (WHERE event = 'withdrawn')
        FROM consents WHERE event IN ('given', 'withdrawn') GROUP BY 1, 2, 3;
      END $$`);
    await q.query(`SELECT dashboard_rollup_rebuild()`);

    await q.query(`CREATE INDEX consents_lapsing_idx ON consents (tenant_id, valid_until)
      WHERE superseded_at IS NULL AND state = 'active' AND valid_until IS NOT NULL`);
    await q.query(`CREATE INDEX provision_records_resident_page_idx ON provision_records (resident_id, occurred_at DESC, id)`);
    await q.query(`DROP INDEX provision_records_resident_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX provision_records_resident_idx ON provision_records (resident_id, occurred_at DESC)`);
    await q.query(`DROP INDEX provision_records_resident_page_idx`);
    await q.query(`DROP INDEX consents_lapsing_idx`);
    await q.query(`DROP FUNCTION dashboard_rollup_rebuild`);
    await q.query(`DROP TRIGGER dashboard_consent_days ON consents`);
    await q.query(`DROP FUNCTION dashboard_consent_days_maintain`);
    await q.query(`DROP TRIGGER dashboard_refusal_days ON audit_events`);
    await q.query(`DROP FUNCTION dashboard_refusal_days_maintain`);
    await q.query(`DROP TRIGGER dashboard_exchange_days ON provision_records`);
    await q.query(`DROP FUNCTION dashboard_exchange_days_maintain`);
    await q.query(`DROP TABLE dashboard_decision_days, dashboard_consent_days, dashboard_refusal_days, dashboard_exchange_days`);
    await q.query(`DROP FUNCTION jst_day`);
  }
}
