import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { noticeBoard, noticesPageBody, platformNoticeBanners } from '../../platform/site/site-notices';
import { testAuditService } from '../../audit/audit-testing';
import { PlatformSettingsRepository } from '../settings/platform-settings.repository';
import { PlatformSettingsService } from '../settings/platform-settings.service';
import { MaintenanceNoticeRepository } from './maintenance-notice.repository';
import { addMonths, MaintenanceNoticeService } from './maintenance-notice.service';

const DAY = 86_400_000;

/** `YYYY-MM-DDTHH:mm` in Japan time, `days` from now. */
function jst(days: number): string {
  return new Date(Date.now() + days * DAY + 9 * 3_600_000).toISOString().slice(0, 16);
}

describe(MaintenanceNoticeService.name, () => {
  let db: DataSource;
  let service: MaintenanceNoticeService;
  let principal: AdminPrincipal;
  const text = { titleJa: '基盤の利用終了', titleEn: 'End of the platform', bodyJa: '後継の基盤へ移行します。', bodyEn: 'We move to a successor.' };

  beforeAll(async () => {
    db = await openTestDataSource([], 'maintenance');
    const audit = testAuditService(db);
    service = new MaintenanceNoticeService(db, new MaintenanceNoticeRepository(db), new PlatformSettingsService(db, new PlatformSettingsRepository(db), audit), audit);
    const [{ id }] = await db.query(`INSERT INTO admin_accounts (login_id, display_name, password_hash, totp_secret_enc) VALUES ('sys-notices', 'System', 'x', 'x') RETURNING id`);
    principal = { sessionId: 's', adminId: id, loginId: 'sys-notices', displayName: 'System', kind: 'system', csrf: 'c', clientIp: '127.0.0.1' };
  });
  afterAll(() => db?.destroy());

  it('adds calendar months in UTC, clamping to the last day of a shorter month', () => {
    expect(addMonths(new Date('2026-08-31T03:00:00Z'), 6).toISOString()).toBe('2027-02-28T03:00:00.000Z');
    expect(addMonths(new Date('2026-01-15T00:00:00Z'), 6).toISOString()).toBe('2026-07-15T00:00:00.000Z');
  });

  it('refuses a domain-end notice less than six months ahead, or marked urgent, and stores nothing', async () => {
    await expect(service.create(principal, { ...text, kind: 'domain_end', startsAt: jst(150), endsAt: jst(240) })).rejects.toMatchObject({ code: 'invalid_domain_end' });
    await expect(service.create(principal, { ...text, kind: 'domain_end', startsAt: jst(200), endsAt: jst(190) })).rejects.toMatchObject({ code: 'invalid_domain_end' });
    await expect(service.create(principal, { ...text, kind: 'domain_end', startsAt: jst(200), endsAt: jst(300), urgent: 'on' })).rejects.toMatchObject({ code: 'invalid_domain_end' });
    expect((await db.query(`SELECT count(*)::int AS n FROM maintenance_notices`))[0].n).toBe(0);
  });

  it('publishes the domain end seven months ahead with its own banner and page section, audited', async () => {
    const id = await service.create(principal, { ...text, kind: 'domain_end', startsAt: jst(210), endsAt: jst(300) });
    const [row] = await db.query(`SELECT kind, urgent FROM maintenance_notices WHERE id = $1`, [id]);
    expect(row).toEqual({ kind: 'domain_end', urgent: false });
    const banners = platformNoticeBanners('ja').value;
    expect(banners).toContain('data-testid="domain-end-notice"');
    expect(banners).toContain('利用を終了します');
    expect(banners).not.toContain('data-testid="maintenance-notice"');
    expect(noticesPageBody('ja').value).toContain('data-testid="domain-end-page"');
    const [audit] = await db.query(`SELECT details FROM audit_events WHERE subject = $1`, [id]);
    expect(audit.details.action).toBe('domain_end_notice.create');
  });

  it('shows a planned stop announced 8 days ahead beside it, and counts only announced stops for availability', async () => {
    const stop = await service.create(principal, { ...text, startsAt: jst(8), endsAt: jst(8.1) });
    await service.create(principal, { ...text, startsAt: jst(1), endsAt: jst(1.1), urgent: 'on' });
    expect(noticeBoard().notices.map((n) => n.kind).sort()).toEqual(['domain_end', 'maintenance', 'maintenance']);
    expect(platformNoticeBanners('en').value).toContain('data-testid="maintenance-notice"');
    const planned = await service.plannedStopsBetween(new Date(), new Date(Date.now() + 30 * DAY));
    expect(planned.map((r) => r.id)).toEqual([stop]);
  });
});
