import type { DataSource } from 'typeorm';
import { TooManyAttemptsException } from '@tsunagu/common';
import { openTestDataSource } from '@tsunagu/testing';
import { testAuditService } from '../../audit/audit-testing';
import { TestClock } from '../../consent/testing/consent-fixtures';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { loadHubConfig } from '../../platform/config/hub.config';
import { ThrottleService } from '../../platform/throttle/throttle.service';
import { businessMsBetween, businessWords } from './business-hours';
import { InquiriesRepository } from './inquiries.repository';
import { InquiriesService } from './inquiries.service';

const HOUR = 3_600_000;

describe(InquiriesService.name, () => {
  let db: DataSource;
  let clock: TestClock;
  let inquiries: InquiriesService;
  let system: AdminPrincipal;
  let misasaAdmin: AdminPrincipal;
  let misasa: { tenantId: string };
  let tottori: { tenantId: string };
  let residentId: string;
  const platform = { tenantId: null };

  beforeAll(async () => {
    db = await openTestDataSource([], 'inquiries');
    // Wednesday 2026-12-02 10:00 Japan time.
    clock = new TestClock(new Date('2026-12-02T01:00:00Z'));
    const throttle = new ThrottleService({ ...loadHubConfig({ NODE_ENV: 'test' }), THROTTLE_INQUIRIES_PER_HOUR: 4 });
    inquiries = new InquiriesService(db, new InquiriesRepository(db), testAuditService(db), throttle, clock);
    misasa = { tenantId: (await db.query(`SELECT id FROM tenants WHERE code = 'misasa'`))[0].id };
    tottori = { tenantId: (await db.query(`SELECT id FROM tenants WHERE code = 'tottori-pref'`))[0].id };
    const [{ id: sys }] = await db.query(`INSERT INTO admin_accounts (login_id, display_name, password_hash, totp_secret_enc) VALUES ('sys-inquiries', 'Desk', 'x', 'x') RETURNING id`);
    system = { sessionId: 's', adminId: sys, loginId: 'sys-inquiries', displayName: 'Desk', kind: 'system', csrf: 'c', clientIp: '127.0.0.1' };
    const [{ id: staff }] = await db.query(`INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc) VALUES ($1, 'misasa-desk', 'Staff', 'x', 'x') RETURNING id`, [misasa.tenantId]);
    misasaAdmin = { sessionId: 's', adminId: staff, loginId: 'misasa-desk', displayName: 'Staff', kind: 'tenant', csrf: 'c', clientIp: '127.0.0.1' };
    [{ id: residentId }] = await db.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('1234567890123456', 'inquirer', 'x', 'Inquirer') RETURNING id`);
  });
  afterAll(() => db?.destroy());

  it('counts only weekday handling hours, 9:00–17:00 Japan time', () => {
    // Friday 16:00 → Monday 10:00 Japan time: 1 h on Friday, 1 h on Monday.
    expect(businessMsBetween(new Date('2026-12-04T07:00:00Z'), new Date('2026-12-07T01:00:00Z'))).toBe(2 * HOUR);
    // Saturday all day: nothing.
    expect(businessMsBetween(new Date('2026-12-05T00:00:00Z'), new Date('2026-12-05T12:00:00Z'))).toBe(0);
    expect(businessWords('ja', 2 * HOUR + 5 * 60_000)).toBe('2時間5分');
  });

  it('gives a resident not signed in a receipt number and a key that read the admin’s reply', async () => {
    const { receiptNo, key } = await inquiries.submitFromResident({ category: 'usage', message: '同意の撤回方法を教えてください。', contact: 'taro@example.jp' }, undefined, '192.0.2.10');
    expect(receiptNo).toMatch(/^Q-20261202-[0-9A-Z]{6}$/);
    const [inbox] = (await inquiries.list(platform)).filter((i) => i.row.receipt_no === receiptNo);
    expect(inbox.row).toMatchObject({ status: 'received', source: 'resident', resident_id: null, tenant_id: null });
    clock.advanceDays(1 / 12); // two hours later
    expect((await inquiries.get(platform, inbox.row.id, system)).handlingMs).toBe(2 * HOUR);
    // Opening it is an admin's read of a resident's message: audited, for the handling ledger (利用).
    const reads = await db.query(`SELECT actor_id, details FROM audit_events WHERE type = 'admin.read' AND subject = $1`, [inbox.row.id]);
    expect(reads).toEqual([{ actor_id: system.adminId, details: { action: 'inquiry.view', residents: 1, purpose: 'inquiry_handling' } }]);
    await inquiries.answer(system, platform, inbox.row.id, { reply: 'ポータルの「同意」から撤回できます。', assignee: 'me' });
    const seen = await inquiries.lookup({ receipt: receiptNo, key }, '192.0.2.10');
    expect(seen.row).toMatchObject({ status: 'in_progress', assignee_login: 'sys-inquiries', replies: [expect.objectContaining({ body: 'ポータルの「同意」から撤回できます。' })] });
    await expect(inquiries.lookup({ receipt: receiptNo, key: '0'.repeat(32) }, '192.0.2.10')).rejects.toMatchObject({ code: 'inquiry_not_found' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'inquiry.received' AND details->>'receiptNo' = $1`, [receiptNo]);
    expect(n).toBe(1);
  });

  it('attaches a signed-in resident’s account and routes to the chosen municipality; staff inquiries stay in their tenant', async () => {
    await inquiries.submitFromResident({ category: 'consent', message: '三朝町のアプリについて', tenant: 'misasa' }, residentId, '192.0.2.11');
    expect((await inquiries.forResident(residentId)).map((i) => i.row.tenant_id)).toEqual([misasa.tenantId]);
    const staff = await inquiries.submitFromStaff(misasaAdmin, misasa, { category: 'service', message: '連携サービスの追加手順' }, '192.0.2.12');
    expect((await inquiries.list(misasa)).map((i) => i.row.receipt_no)).toContain(staff.receiptNo);
    expect((await inquiries.list(tottori)).map((i) => i.row.receipt_no)).not.toContain(staff.receiptNo);
    const id = (await inquiries.list(misasa)).find((i) => i.row.receipt_no === staff.receiptNo)!.row.id;
    await expect(inquiries.get(tottori, id)).rejects.toMatchObject({ code: 'inquiry_not_found' });
    await expect(inquiries.answer(system, tottori, id, { reply: 'x' })).rejects.toMatchObject({ code: 'inquiry_not_found' });
  });

  it('refuses HTML, an empty message, an unknown municipality, and answers to a closed inquiry, storing nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM inquiries`))[0].n;
    await expect(inquiries.submitFromResident({ category: 'other', message: '<img src=x onerror=alert(1)>' }, undefined, '192.0.2.20')).rejects.toMatchObject({ code: 'markup_not_allowed' });
    await expect(inquiries.submitFromResident({ category: 'other', message: '  ' }, undefined, '192.0.2.21')).rejects.toMatchObject({ code: 'compliance_field_invalid' });
    await expect(inquiries.submitFromResident({ category: 'other', message: 'どこ？', tenant: 'atlantis' }, undefined, '192.0.2.22')).rejects.toMatchObject({ code: 'compliance_field_invalid' });
    expect((await db.query(`SELECT count(*)::int AS n FROM inquiries`))[0].n).toBe(before);
    const { receiptNo } = await inquiries.submitFromResident({ category: 'other', message: '閉じる前の質問' }, undefined, '192.0.2.23');
    const id = (await inquiries.list(platform)).find((i) => i.row.receipt_no === receiptNo)!.row.id;
    await expect(inquiries.answer(system, platform, id, { reply: '<b>回答</b>' })).rejects.toMatchObject({ code: 'markup_not_allowed' });
    await inquiries.answer(system, platform, id, { status: 'closed' });
    await expect(inquiries.answer(system, platform, id, { reply: '追記' })).rejects.toMatchObject({ code: 'inquiry_closed' });
    expect((await inquiries.get(platform, id)).row.replies).toEqual([]);
  });

  it('throttles a flood of inquiries from one address before storing anything', async () => {
    const send = () => inquiries.submitFromResident({ category: 'other', message: '連投' }, undefined, '198.51.100.7');
    for (let i = 0; i < 4; i++) await send();
    const before = (await db.query(`SELECT count(*)::int AS n FROM inquiries`))[0].n;
    await expect(send()).rejects.toBeInstanceOf(TooManyAttemptsException);
    expect((await db.query(`SELECT count(*)::int AS n FROM inquiries`))[0].n).toBe(before);
    await expect(inquiries.submitFromResident({ category: 'other', message: '別の住所から' }, undefined, '198.51.100.8')).resolves.toHaveProperty('receiptNo');
  });
});
