import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { DashboardRepository } from './dashboard.repository';

/**
 * The dashboard's refusal figures against the real PostgreSQL and migrations: the 「拒否」 column of
 * the exchanges per day and the refusals by reason count the same refusals over the same days
 * (a grant the hub refused never reaches the provision ledger, and used to be missing from the
 * column while the reasons listed it).
 */
describe(DashboardRepository.name, () => {
  let db: DataSource;
  let repo: DashboardRepository;
  const t: Record<string, string> = {};
  const JST_TODAY = `((now() AT TIME ZONE 'UTC') + interval '9 hours')::date`;

  /** A `grant.refused` row of the audit chain (hashes are not checked by the dashboard). */
  async function refusal(tenantId: string, reason: string | null, occurredAt: string): Promise<void> {
    await db.query(
      `INSERT INTO audit_events (seq, occurred_at, type, actor_kind, tenant_id, outcome, reason, prev_hash, hash)
       SELECT coalesce(max(seq), 0) + 1, ${occurredAt}, 'grant.refused', 'connector', $1, 'failure', $2, 'x', 'x' FROM audit_events`, [tenantId, reason]);
  }
  const times = async (n: number, f: () => Promise<void>) => {
    for (let i = 0; i < n; i++) await f();
  };

  beforeAll(async () => {
    db = await openTestDataSource([], 'dashboard');
    repo = new DashboardRepository(db);
    for (const code of ['misasa', 'kurayoshi']) t[code] = (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
  });
  afterAll(() => db?.destroy());

  it('counts the hub\'s grant refusals and the providers\' refusals in the 「拒否」 column, as many as the reasons list', async () => {
    const now = 'now()';
    await times(6, () => refusal(t.misasa, 'consent_withdrawn', now));
    await times(3, () => refusal(t.misasa, 'permission_denied', now));
    await refusal(t.misasa, null, now);
    // The first minutes of the oldest day shown are in; the last minutes of the day before are not.
    await refusal(t.misasa, 'consent_required', `((${JST_TODAY} - 6)::timestamp + interval '30 minutes' - interval '9 hours') AT TIME ZONE 'UTC'`);
    await refusal(t.misasa, 'consent_required', `((${JST_TODAY} - 6)::timestamp - interval '30 minutes' - interval '9 hours') AT TIME ZONE 'UTC'`);
    await times(2, () => refusal(t.kurayoshi, 'permission_denied', now));

    // One exchange refused by the provider's connector and two provided, in the provision ledger.
    const [svc] = await db.query(`INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, redirect_uris) VALUES ($1, 'dash-svc', 'D', 'D', 'd', '{}') RETURNING id`, [t.misasa]);
    const [use] = await db.query(
      `INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_ja, purpose_en, items, retention_days, controller_name_ja, controller_name_en, controller_contact, privacy_notice_url)
       VALUES ($1, $2, 'dash.use', 'U', 'U', 'p', 'p', 'p', '{dash.item}', 30, 'c', 'c', 'c', 'https://example.jp/p') RETURNING id`, [t.misasa, svc.id]);
    const [resident] = await db.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('DASH000000000001', 'dash.resident', 'x', 'R') RETURNING id`);
    const [consent] = await db.query(
      `INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code, valid_from, collection_method, language, created_at)
       VALUES (gen_random_uuid(), 1, $1, $2, $3, 1, 'active', 'given', '{dash.item}', 'p', now(), 'system', 'ja', now()) RETURNING id`, [t.misasa, resident.id, use.id]);
    for (const [outcome, grant] of [['refused', 'g-r'], ['provided', 'g-p1'], ['provided', 'g-p2']]) {
      await db.query(
        `INSERT INTO provision_records (tenant_id, provider_tenant_id, resident_id, consent_version_id, data_use_id, provider_service_id, consumer_service_id, items, purpose_code, outcome, grant_id, occurred_at)
         VALUES ($1, $1, $2, $3, $4, $5, $5, '{dash.item}', 'p', $6, $7, now())`, [t.misasa, resident.id, consent.id, use.id, svc.id, outcome, grant]);
    }

    const reasons = await repo.refusalsByReason(t.misasa, 7);
    expect(reasons).toEqual([
      { reason: 'consent_withdrawn', count: 6 },
      { reason: 'permission_denied', count: 3 },
      { reason: 'consent_required', count: 1 },
      { reason: 'unknown', count: 1 },
      { reason: null, count: 1 },
    ]);
    const days = await repo.exchangesByDay(t.misasa, 7);
    expect(days).toHaveLength(7);
    expect(days.at(-1)).toMatchObject({ provided: 2, refused: 11 });
    expect(days[0].refused).toBe(1);
    const total = (rows: { refused?: number; count?: number }[]) => rows.reduce((n, r) => n + (r.refused ?? r.count ?? 0), 0);
    expect(total(days)).toBe(total(reasons));
    expect(total(days)).toBe(12);

    // The other tenant's refusals are its own.
    expect(await repo.refusalsByReason(t.kurayoshi, 7)).toEqual([{ reason: 'permission_denied', count: 2 }]);
    expect(total(await repo.exchangesByDay(t.kurayoshi, 7))).toBe(2);
  });
});
