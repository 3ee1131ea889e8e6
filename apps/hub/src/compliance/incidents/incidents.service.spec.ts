import type { DataSource } from 'typeorm';
import type { IncidentForm } from '@tsunagu/contracts';
import { openTestDataSource } from '@tsunagu/testing';
import { consentFixture, TestClock } from '../../consent/testing/consent-fixtures';
import { LedgerRepository } from '../../exchange/ledger/ledger.repository';
import { LedgerService } from '../../exchange/ledger/ledger.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { remainingWords, reportDeadlines } from './incident-deadlines';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';

const HOUR = 3_600_000;

/** `YYYY-MM-DDTHH:mm` in Japan time of an instant. */
function jst(at: Date): string {
  return new Date(at.getTime() + 9 * HOUR).toISOString().slice(0, 16);
}

describe(IncidentsService.name, () => {
  let db: DataSource;
  let clock: TestClock;
  let incidents: IncidentsService;
  let misasa: { tenantId: string };
  let tottori: { tenantId: string };
  let admin: AdminPrincipal;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  const form = (over: Partial<IncidentForm> = {}): IncidentForm => ({
    title: '委託先でのメール誤送信', discoveredAt: jst(new Date(clock.now().getTime() - 68 * HOUR)), summary: '利用者一覧を誤った宛先に送信した。',
    items: '氏名、共通ID', affectedCount: '2', reporter: '三朝町 企画課 山田', cause: '宛先の確認漏れ', ...over,
  });

  beforeAll(async () => {
    db = await openTestDataSource([], 'incidents');
    clock = new TestClock(new Date('2026-12-02T03:00:00Z'));
    fx = await consentFixture(db, { residents: 2, clock });
    incidents = new IncidentsService(db, new IncidentsRepository(db), fx.audit, clock);
    misasa = { tenantId: (await db.query(`SELECT id FROM tenants WHERE code = 'misasa'`))[0].id };
    tottori = { tenantId: (await db.query(`SELECT id FROM tenants WHERE code = 'tottori-pref'`))[0].id };
    const [{ id }] = await db.query(`INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc) VALUES ($1, 'misasa-incidents', 'Yamada', 'x', 'x') RETURNING id`, [misasa.tenantId]);
    admin = { sessionId: 's', adminId: id, loginId: 'misasa-incidents', displayName: 'Yamada', kind: 'tenant', csrf: 'c', clientIp: '127.0.0.1' };
  });
  afterAll(() => db?.destroy());

  it('computes the three deadlines from the discovery and words the time left in hours', () => {
    const now = new Date('2026-12-02T03:00:00Z');
    const discoveredAt = new Date(now.getTime() - 68 * HOUR);
    const [initial, quick, final] = reportDeadlines({ discoveredAt, quickDays: 3, finalDays: 21, sent: {}, now });
    expect(initial).toMatchObject({ stage: 'initial', state: 'overdue' });
    expect(quick).toMatchObject({ stage: 'quick', state: 'urgent', remainingMs: 4 * HOUR });
    expect(final).toMatchObject({ stage: 'final', state: 'pending', dueAt: new Date(discoveredAt.getTime() + 21 * 24 * HOUR) });
    expect(remainingWords('ja', 4 * HOUR - 30_000)).toBe('あと4時間');
    expect(remainingWords('ja', -2 * HOUR)).toBe('2時間超過');
    expect(remainingWords('en', 20 * 24 * HOUR)).toBe('in 20 days');
    expect(reportDeadlines({ discoveredAt, quickDays: 3, finalDays: 21, sent: { initial: now }, now })[0].state).toBe('sent');
    expect(reportDeadlines({ discoveredAt: new Date(now.getTime() - 60 * HOUR), quickDays: 3, finalDays: 21, sent: {}, now })[1].state).toBe('approaching');
  });

  it('records an incident discovered 2 days 20 hours ago: 速報 due in 4 hours, audited', async () => {
    const id = await incidents.create(admin, misasa, form());
    const { deadlines } = await incidents.get(misasa, id);
    expect(deadlines[1]).toMatchObject({ stage: 'quick', state: 'urgent', remainingMs: 4 * HOUR });
    const [audit] = await db.query(`SELECT actor_id, details FROM audit_events WHERE subject = $1`, [id]);
    expect(audit.details).toMatchObject({ action: 'incident.create', affectedCount: 2, quickDays: 3, finalDays: 21 });
  });

  it('refuses a discovery in the future, HTML in a field, and an empty summary, storing nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM incidents`))[0].n;
    await expect(incidents.create(admin, misasa, form({ discoveredAt: jst(new Date(clock.now().getTime() + HOUR)) }))).rejects.toMatchObject({ code: 'incident_time_invalid' });
    await expect(incidents.create(admin, misasa, form({ occurredAt: jst(clock.now()), discoveredAt: jst(new Date(clock.now().getTime() - HOUR)) }))).rejects.toMatchObject({ code: 'incident_time_invalid' });
    await expect(incidents.create(admin, misasa, form({ summary: '<script>alert(1)</script>' }))).rejects.toMatchObject({ code: 'markup_not_allowed' });
    await expect(incidents.create(admin, misasa, form({ summary: '   ' }))).rejects.toMatchObject({ code: 'compliance_field_invalid' });
    await expect(incidents.create(admin, misasa, form({ quickDays: '30', finalDays: '5' }))).rejects.toMatchObject({ code: 'compliance_field_invalid' });
    expect((await db.query(`SELECT count(*)::int AS n FROM incidents`))[0].n).toBe(before);
  });

  it('marks a report sent once, not before the discovery nor in the future, and exports every PPC field', async () => {
    const id = await incidents.create(admin, misasa, form({ title: '報告の記録' }));
    const discovered = clock.now().getTime() - 68 * HOUR;
    await expect(incidents.markSent(admin, misasa, id, { stage: 'initial', sentAt: jst(new Date(discovered - 2 * HOUR)), sentTo: '鳥取県 デジタル局' })).rejects.toMatchObject({ code: 'report_time_invalid' });
    await expect(incidents.markSent(admin, misasa, id, { stage: 'initial', sentAt: jst(new Date(clock.now().getTime() + 2 * HOUR)), sentTo: '鳥取県' })).rejects.toMatchObject({ code: 'report_time_invalid' });
    await expect(incidents.markSent(admin, misasa, id, { stage: 'initial', sentAt: jst(new Date(discovered + HOUR)), sentTo: '<b>県</b>' })).rejects.toMatchObject({ code: 'markup_not_allowed' });
    expect((await db.query(`SELECT count(*)::int AS n FROM incident_reports WHERE incident_id = $1`, [id]))[0].n).toBe(0);
    await incidents.markSent(admin, misasa, id, { stage: 'initial', sentAt: jst(new Date(discovered + HOUR)), sentTo: '鳥取県 デジタル局' });
    await expect(incidents.markSent(admin, misasa, id, { stage: 'initial', sentAt: jst(new Date(discovered + HOUR)), sentTo: '鳥取県' })).rejects.toMatchObject({ code: 'report_already_sent' });
    const report = await incidents.ppcReport(misasa, id);
    for (const field of ['報告者', '発覚日時', '発生日時', '概要', '漏えい等が発生し又は発生したおそれがある個人データの項目', '本人の数', '原因', '二次被害又はそのおそれの有無及びその内容',
      '本人への対応の実施状況', '公表の実施状況', '再発防止のための措置', 'その他参考となる事項']) expect(report).toHaveProperty(field);
    expect(report.発覚日時).toMatch(/\+09:00$/);
    expect(report.報告の状況[0]).toMatchObject({ 区分: '一先報告', 送付先: '鳥取県 デジタル局', 送付者: 'misasa-incidents' });
    expect(report.報告の状況[1]).toMatchObject({ 区分: '速報', 送付日時: null });
  });

  it('keeps one tenant’s incidents from another, and shows them all to the platform', async () => {
    const id = await incidents.create(admin, misasa, form({ title: '隔離の確認' }));
    await expect(incidents.get(tottori, id)).rejects.toMatchObject({ code: 'incident_not_found' });
    await expect(incidents.markSent(admin, tottori, id, { stage: 'quick', sentAt: jst(clock.now()), sentTo: 'x' })).rejects.toMatchObject({ code: 'incident_not_found' });
    await expect(incidents.ppcReport(tottori, id)).rejects.toMatchObject({ code: 'incident_not_found' });
    expect((await incidents.list(tottori)).map((i) => i.row.id)).not.toContain(id);
    expect((await incidents.list({ tenantId: null })).map((i) => i.row.id)).toContain(id);
  });

  it('lists the residents from the ledger, audits the read, and tells them in the portal once', async () => {
    const [taro, hanako] = fx.residents;
    await fx.service.give(taro, { dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps'] }, 'portal-api');
    const covering = (await fx.service.findActiveConsentCovering(taro, fx.useId('cashless.health-points'), ['misasa-health.daily-steps'], 'health-points'))!;
    const provider = (await db.query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`))[0].id;
    await new LedgerService(new LedgerRepository(db), clock).record({
      consentVersionId: covering.versionId, providerServiceId: provider, items: ['misasa-health.daily-steps'], outcome: 'provided', occurredAt: new Date('2026-11-30T09:00:00Z'), grantId: 'jti-incident', side: 'provider',
    });
    const id = await incidents.create(admin, misasa, form({ title: '提供先での漏えい', dataUse: 'cashless.health-points', affectedFrom: '2026-11-30', affectedTo: '2026-11-30' }));
    const { residents } = await incidents.affectedResidents(admin, misasa, id);
    expect(residents.map((r) => r.resident_id)).toEqual([taro]);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'admin.read' AND subject = $1`, [id]))[0].n).toBe(1);
    expect(await incidents.notifyResidents(admin, misasa, id)).toBe(1);
    await expect(incidents.notifyResidents(admin, misasa, id)).rejects.toMatchObject({ code: 'residents_already_notified' });
    expect((await incidents.forResident(taro)).map((n) => n.title)).toEqual(['提供先での漏えい']);
    expect(await incidents.forResident(hanako)).toEqual([]);
  });
});
