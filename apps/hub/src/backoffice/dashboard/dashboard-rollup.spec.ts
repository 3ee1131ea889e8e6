import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { DashboardRepository } from './dashboard.repository';

/**
 * The dashboard's rollup tables (kept by triggers) against the figures counted from the source
 * tables, on the real PostgreSQL: consent versions given, withdrawn, superseded and lapsing over
 * many days, ledger rows inserted, turned from refused to provided and erased with their
 * resident, the hub's refusals in the audit chain — then the same after
 * `dashboard_rollup_rebuild()`, and totals under concurrent writers on one tenant and day.
 */
describe('dashboard rollup', () => {
  let db: DataSource;
  let repo: DashboardRepository;
  const DAYS = 14;
  const t: Record<string, string> = {};
  const svc: Record<string, string> = {};
  const use: Record<string, string> = {};
  /** `n` days ago (Japan time) at `hour`:`minute` JST, as SQL. */
  const at = (daysAgo: number, hour: number, minute = 0) =>
    `((jst_day(now()) - ${daysAgo})::timestamp + interval '${hour} hours ${minute} minutes' - interval '9 hours') AT TIME ZONE 'UTC'`;
  let seq = 0;
  let rng = 42;
  /** A uniform integer in [0, n) (mulberry32: the same data on every run). */
  const rnd = (n: number) => {
    rng = (rng + 0x6d2b79f5) | 0;
    let x = Math.imul(rng ^ (rng >>> 15), 1 | rng);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 2 ** 32) * n);
  };

  async function resident(): Promise<string> {
    seq++;
    const [r] = await db.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ($1, $2, 'x', 'R') RETURNING id`,
      [String(2000000000000000 + seq), `rollup.${seq}`]);
    return r.id;
  }

  /** A consent chain of one resident and data use: versions at increasing days, each superseding the one before. */
  async function chain(residentId: string, useCode: string, steps: { daysAgo: number; hour: number; event: 'given' | 'withdrawn'; validUntil?: string }[]): Promise<string[]> {
    const ids: string[] = [];
    const consentId = (await db.query(`SELECT gen_random_uuid() AS id`))[0].id;
    let version = 0;
    for (const s of steps) {
      const created = at(s.daysAgo, s.hour);
      if (ids.length) await db.query(`UPDATE consents SET superseded_at = ${created} WHERE id = $1`, [ids.at(-1)]);
      const [row] = await db.query(
        `INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code, valid_from, valid_until, collection_method, language, created_at)
         SELECT $1, $2, u.tenant_id, $3, u.id, 1, $4, $6, u.items, 'p', ${created}, ${s.validUntil ?? 'NULL'}, 'system', 'ja', ${created} FROM data_uses u WHERE u.code = $5 RETURNING id`,
        [consentId, ++version, residentId, s.event === 'given' ? 'active' : 'withdrawn', useCode, s.event]);
      ids.push(row.id);
    }
    return ids;
  }

  async function provision(consentVersionId: string, provider: string, outcome: 'provided' | 'refused', daysAgo: number, hour: number): Promise<string> {
    const grant = `g-${++seq}`;
    await db.query(
      `INSERT INTO provision_records (tenant_id, provider_tenant_id, resident_id, consent_version_id, data_use_id, provider_service_id, consumer_service_id, items, purpose_code, outcome, grant_id, occurred_at)
       SELECT c.tenant_id, ps.tenant_id, c.resident_id, c.id, c.data_use_id, ps.id, u.service_id, c.items, 'p', $3, $4, ${at(daysAgo, hour, rnd(60))}
       FROM consents c JOIN data_uses u ON u.id = c.data_use_id JOIN services ps ON ps.id = $2 WHERE c.id = $1`, [consentVersionId, provider, outcome, grant]);
    return grant;
  }

  async function refusal(tenantId: string, reason: string | null, daysAgo: number, hour: number): Promise<void> {
    await db.query(
      `INSERT INTO audit_events (seq, occurred_at, type, actor_kind, tenant_id, outcome, reason, prev_hash, hash)
       SELECT coalesce(max(seq), 0) + 1, ${at(daysAgo, hour)}, 'grant.refused', 'connector', $1, 'failure', $2, 'x', 'x' FROM audit_events`, [tenantId, reason]);
  }

  /** The figures counted from the source tables, as the dashboard did before the rollup. */
  async function counted(tenantId: string, days: number) {
    const JST_DAY_END = (day: string) => `(((${day}) + 1)::timestamp - interval '9 hours') AT TIME ZONE 'UTC'`;
    const WINDOW = (ts: string) => `jst_day(${ts}) BETWEEN jst_day(now()) - ($2::int - 1) AND jst_day(now())`;
    const active = await db.query(
      `SELECT g.ts::date::text AS day, count(c.id)::int AS count
       FROM generate_series(jst_day(now()) - ($2::int - 1), jst_day(now()), interval '1 day') AS g(ts)
       LEFT JOIN consents c ON c.tenant_id = $1 AND c.state = 'active' AND c.created_at < ${JST_DAY_END('g.ts::date')}
         AND (c.superseded_at IS NULL OR c.superseded_at >= ${JST_DAY_END('g.ts::date')})
         AND (c.valid_until IS NULL OR c.valid_until >= ${JST_DAY_END('g.ts::date')})
       GROUP BY g.ts ORDER BY g.ts`, [tenantId, days]);
    const [{ now }] = await db.query(`SELECT count(*)::int AS now FROM consents WHERE tenant_id = $1 AND superseded_at IS NULL AND state = 'active' AND (valid_until IS NULL OR valid_until > now())`, [tenantId]);
    const decisions = await db.query(
      `SELECT u.code, count(c.id) FILTER (WHERE c.event = 'given')::int AS opt_ins, count(c.id) FILTER (WHERE c.event = 'withdrawn')::int AS opt_outs
       FROM data_uses u LEFT JOIN consents c ON c.data_use_id = u.id AND c.tenant_id = $1 AND ${WINDOW('c.created_at')}
       WHERE u.tenant_id = $1 GROUP BY u.id ORDER BY u.code`, [tenantId, days]);
    const exchanges = await db.query(
      `SELECT g.ts::date::text AS day,
         (SELECT count(*) FROM provision_records p WHERE (p.tenant_id = $1::uuid OR p.provider_tenant_id = $1::uuid) AND p.outcome = 'provided' AND jst_day(p.occurred_at) = g.ts::date)::int AS provided,
         ((SELECT count(*) FROM provision_records p WHERE (p.tenant_id = $1::uuid OR p.provider_tenant_id = $1::uuid) AND p.outcome = 'refused' AND jst_day(p.occurred_at) = g.ts::date)
          + (SELECT count(*) FROM audit_events a WHERE a.type = 'grant.refused' AND a.tenant_id = $1::text AND jst_day(a.occurred_at) = g.ts::date))::int AS refused
       FROM generate_series(jst_day(now()) - ($2::int - 1), jst_day(now()), interval '1 day') AS g(ts) ORDER BY g.ts`, [tenantId, days]);
    const reasons = await db.query(
      `SELECT reason, count FROM (
         SELECT coalesce(reason, 'unknown') AS reason, count(*)::int AS count FROM audit_events WHERE type = 'grant.refused' AND tenant_id = $1::text AND ${WINDOW('occurred_at')} GROUP BY 1
         UNION ALL
         SELECT NULL, count(*)::int FROM provision_records WHERE outcome = 'refused' AND (tenant_id = $1::uuid OR provider_tenant_id = $1::uuid) AND ${WINDOW('occurred_at')} HAVING count(*) > 0
       ) r ORDER BY count DESC, reason NULLS LAST`, [tenantId, days]);
    return { active, now, decisions, exchanges, reasons };
  }

  async function fromRollup(tenantId: string, days: number) {
    const [active, summary, decisions, exchanges, reasons] = await Promise.all([
      repo.activeConsentsByDay(tenantId, days), repo.summary(tenantId), repo.decisionsByUse(tenantId, days),
      repo.exchangesByDay(tenantId, days), repo.refusalsByReason(tenantId, days)]);
    return { active, now: summary.activeConsents, decisions: decisions.map(({ code, opt_ins, opt_outs }) => ({ code, opt_ins, opt_outs })), exchanges, reasons };
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'rollup');
    repo = new DashboardRepository(db);
    for (const code of ['misasa', 'kurayoshi']) {
      t[code] = (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
      svc[code] = (await db.query(`INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, redirect_uris) VALUES ($1, $2, 'S', 'S', $2, '{}') RETURNING id`, [t[code], `rollup-${code}`]))[0].id;
      for (const n of [1, 2]) {
        use[`${code}${n}`] = `rollup-${code}.use${n}`;
        await db.query(
          `INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_ja, purpose_en, items, retention_days, controller_name_ja, controller_name_en, controller_contact, privacy_notice_url)
           VALUES ($1, $2, $3, 'U', 'U', 'p', 'p', 'p', '{rollup.item}', 30, 'c', 'c', 'c', 'https://example.jp/p')`, [t[code], svc[code], use[`${code}${n}`]]);
      }
    }
  });
  afterAll(() => db?.destroy());

  it('gives the figures counted from the consents, the ledger and the audit chain, and again after a rebuild', async () => {
    const uses = Object.values(use);
    const erased: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await resident();
      if (i % 10 === 9) erased.push(r);
      // Two chains per resident; days strictly increase along a chain, some versions lapse (in the past, later today, far ahead).
      for (const code of [uses[i % 4], uses[(i + 1) % 4]]) {
        let daysAgo = 20 - rnd(6);
        const steps: Parameters<typeof chain>[2] = [];
        for (let v = 0; v < 1 + rnd(4) && daysAgo >= 0; v++) {
          const lapse = rnd(6);
          const validUntil = lapse === 0 ? at(Math.max(daysAgo - 2, 0), 12) : lapse === 1 ? `now() + interval '1 minute'` : lapse === 2 ? at(-30, 0) : undefined;
          steps.push({ daysAgo, hour: 1 + rnd(22), event: v % 2 === 1 && rnd(2) === 0 ? 'withdrawn' : 'given', validUntil });
          daysAgo -= 1 + rnd(5);
        }
        const versions = await chain(r, code, steps);
        for (const version of versions) {
          for (let k = rnd(3); k > 0; k--) {
            const grant = await provision(version, svc[rnd(2) ? 'misasa' : 'kurayoshi'], rnd(4) ? 'provided' : 'refused', rnd(DAYS + 3), rnd(24));
            // A refusal reported first, then the provision: the row moves to "provided" (and maybe another day).
            if (rnd(3) === 0) await db.query(`UPDATE provision_records SET outcome = 'provided', occurred_at = occurred_at + interval '20 hours' WHERE grant_id = $1 AND outcome = 'refused'`, [grant]);
          }
        }
      }
    }
    for (let i = 0; i < 30; i++) await refusal(t[rnd(2) ? 'misasa' : 'kurayoshi'], [null, 'consent_withdrawn', 'permission_denied'][rnd(3)], rnd(DAYS + 3), rnd(24));
    // An erasure: the resident's consents and ledger rows go by cascade.
    await db.query(`DELETE FROM residents WHERE id = ANY($1)`, [erased]);

    for (const tenant of Object.values(t)) {
      const expected = await counted(tenant, DAYS);
      // The data moves: active counts change from day to day, and both kinds of refusal occur.
      expect(new Set(expected.active.map((d: { count: number }) => d.count)).size).toBeGreaterThan(3);
      expect(expected.exchanges.some((d: { refused: number }) => d.refused > 0)).toBe(true);
      expect(await fromRollup(tenant, DAYS)).toEqual(expected);
      expect(await fromRollup(tenant, 7)).toEqual(await counted(tenant, 7));
    }

    const sums = `SELECT (SELECT sum(provided) + sum(refused) FROM dashboard_exchange_days)::int AS e, (SELECT sum(active_delta) FROM dashboard_consent_days)::int AS c,
      (SELECT sum(refusals) FROM dashboard_refusal_days)::int AS r, (SELECT sum(given) + sum(withdrawn) FROM dashboard_decision_days)::int AS d`;
    const [before] = await db.query(sums);
    await db.query(`SELECT dashboard_rollup_rebuild()`);
    expect((await db.query(sums))[0]).toEqual(before);
    for (const tenant of Object.values(t)) expect(await fromRollup(tenant, DAYS)).toEqual(await counted(tenant, DAYS));
  });

  it('counts every exchange when many connections write the same tenant and day at once', async () => {
    const r = await resident();
    const [version] = await chain(r, use.kurayoshi1, [{ daysAgo: 0, hour: 0, event: 'given' }]);
    const before = (await repo.exchangesByDay(t.kurayoshi, 7)).at(-1)!.provided;
    const writers = 8;
    const each = 40;
    const grants = await Promise.all(Array.from({ length: writers }, async () => {
      const done: string[] = [];
      for (let i = 0; i < each; i++) {
        const grant = `c-${++seq}`;
        await db.query(
          `INSERT INTO provision_records (tenant_id, provider_tenant_id, resident_id, consent_version_id, data_use_id, provider_service_id, consumer_service_id, items, purpose_code, outcome, grant_id, occurred_at)
           SELECT c.tenant_id, $2, c.resident_id, c.id, c.data_use_id, $3, u.service_id, c.items, 'p', 'provided', $4, now() FROM consents c JOIN data_uses u ON u.id = c.data_use_id WHERE c.id = $1`,
          [version, t.misasa, svc.misasa, grant]);
        done.push(grant);
      }
      return done;
    }));
    expect(grants.flat()).toHaveLength(writers * each);
    expect((await repo.exchangesByDay(t.kurayoshi, 7)).at(-1)!.provided).toBe(before + writers * each);
    // Writers on a pool's connections land in more than one shard row of the day.
    const [{ shards }] = await db.query(`SELECT count(*)::int AS shards FROM dashboard_exchange_days WHERE tenant_id = $1 AND day = jst_day(now())`, [t.kurayoshi]);
    expect(shards).toBeGreaterThan(1);
  });
  it('lets an erasure delete while a writer of the same shard holds its rows (deletes write their own rows)', async () => {
    const r = await resident();
    const [version] = await chain(r, use.misasa1, [{ daysAgo: 0, hour: 0, event: 'given' }]);
    await provision(version, svc.misasa, 'provided', 0, 0);
    const url = (db.options as { url: string }).url;
    // Two connections whose backends fall in the same writer shard (pid modulo 16).
    const clients: Client[] = [];
    try {
      let pair: [Client, Client] | undefined;
      const byShard = new Map<number, Client>();
      while (!pair && clients.length < 40) {
        const c = new Client({ connectionString: url });
        await c.connect();
        clients.push(c);
        const [{ pid }] = (await c.query('SELECT pg_backend_pid() AS pid')).rows;
        const other = byShard.get(pid % 16);
        if (other) pair = [other, c];
        else byShard.set(pid % 16, c);
      }
      const [writer, eraser] = pair!;
      await writer.query('BEGIN');
      const [{ id: other }] = (await writer.query(`SELECT gen_random_uuid() AS id`)).rows;
      await writer.query(
        `INSERT INTO provision_records (tenant_id, provider_tenant_id, resident_id, consent_version_id, data_use_id, provider_service_id, consumer_service_id, items, purpose_code, outcome, grant_id, occurred_at)
         SELECT c.tenant_id, c.tenant_id, c.resident_id, c.id, c.data_use_id, $2, u.service_id, c.items, 'p', 'provided', $3, now() FROM consents c JOIN data_uses u ON u.id = c.data_use_id WHERE c.id = $1`,
        [version, svc.misasa, `w-${other}`]);
      await writer.query(`UPDATE consents SET superseded_at = now() WHERE id = $1`, [version]);
      // The writer holds (misasa, today, its shard) of the exchange and consent rollups; the erasure must not wait for it.
      await eraser.query(`SET statement_timeout = '3s'`);
      const t0 = Date.now();
      await eraser.query(`DELETE FROM provision_records WHERE consent_version_id = $1 AND grant_id NOT LIKE 'w-%'`, [version]);
      expect(Date.now() - t0).toBeLessThan(2000);
      await writer.query('ROLLBACK');
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    for (const tenant of Object.values(t)) expect(await fromRollup(tenant, DAYS)).toEqual(await counted(tenant, DAYS));
  });
});
