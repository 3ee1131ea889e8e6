import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { consentFixture } from '../../consent/testing/consent-fixtures';
import { LedgerRepository } from '../../exchange/ledger/ledger.repository';
import { LedgerService } from '../../exchange/ledger/ledger.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { HandlingLedgerRepository } from './handling-ledger.repository';
import { HandlingLedgerService } from './handling-ledger.service';
import { BackupService } from '../../operations/backup/backup.service';
import type { HubConfig } from '../../platform/config/hub.config';

describe(HandlingLedgerService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let ledger: HandlingLedgerService;
  let admin: AdminPrincipal;
  const tenants: Record<string, { tenantId: string }> = {};

  beforeAll(async () => {
    db = await openTestDataSource([], 'handling');
    fx = await consentFixture(db, { residents: 1 });
    ledger = new HandlingLedgerService(new HandlingLedgerRepository(db), fx.audit);
    for (const code of ['misasa', 'tottori-pref', 'tottori-city']) tenants[code] = { tenantId: (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id };
    const [{ id }] = await db.query(`INSERT INTO admin_accounts (login_id, display_name, password_hash, totp_secret_enc) VALUES ('sys-ledger', 'Sys', 'x', 'x') RETURNING id`);
    admin = { sessionId: 's', adminId: id, loginId: 'sys-ledger', displayName: 'Sys', kind: 'system', csrf: 'c', clientIp: '127.0.0.1' };
    const [taro] = fx.residents;
    await fx.service.give(taro, { dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps'] }, 'portal-api');
    const covering = (await fx.service.findActiveConsentCovering(taro, fx.useId('cashless.health-points'), ['misasa-health.daily-steps'], 'health-points'))!;
    const provider = (await db.query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`))[0].id;
    await new LedgerService(new LedgerRepository(db), { now: () => new Date() }).record({
      consentVersionId: covering.versionId, providerServiceId: provider, items: ['misasa-health.daily-steps'], outcome: 'provided', occurredAt: new Date('2026-11-30T09:00:00Z'), grantId: 'jti-ledger', side: 'provider',
    });
    await fx.audit.record({ type: 'admin.read', actor: { kind: 'admin', id }, tenantId: tenants.misasa.tenantId, subject: 'x', outcome: 'success', details: { action: 'incident.affected_residents', residents: 1, purpose: 'incident_notification' } });
  });
  afterAll(() => db?.destroy());

  it('shows a provision as 受け渡し with its date and process to both tenants, and not to others', async () => {
    const misasa = await ledger.search(tenants.misasa, { kind: 'handover' });
    expect(misasa).toEqual([expect.objectContaining({ kind: 'handover', at: new Date('2026-11-30T09:00:00Z'), items: 'misasa-health.daily-steps' })]);
    expect(misasa[0].process).toContain('コネクタ間のデータ提供');
    expect(await ledger.search(tenants['tottori-pref'], { kind: 'handover' })).toHaveLength(1);
    expect(await ledger.search(tenants['tottori-city'], { kind: 'handover' })).toEqual([]);
  });

  it('lists admin reads as 利用, retention settings as 保管, and filters by period', async () => {
    expect((await ledger.search(tenants.misasa, { kind: 'use' }))[0]).toMatchObject({ kind: 'use', responsible: 'sys-ledger', detail: '目的: incident_notification' });
    const storage = await ledger.search({ tenantId: null }, { kind: 'storage' });
    expect(storage.length).toBeGreaterThan(0);
    expect(storage[0].detail).toMatch(/保存期間: \d+日/);
    expect(await ledger.search(tenants.misasa, { kind: 'handover', from: '2026-12-01', to: '2026-12-31' })).toEqual([]);
    expect(await ledger.search(tenants.misasa, { kind: 'handover', from: '2026-11-30', to: '2026-11-30' })).toHaveLength(1);
  });

  it('exports CSV and NDJSON, each export audited and itself listed as 複写・複製', async () => {
    const csv = await ledger.export(admin, { tenantId: null }, { kind: 'handover' }, 'csv');
    expect(csv.split('\r\n')[0]).toBe('\uFEFF種類,kind,at,process,responsible,items,detail,ref');
    expect(csv).toContain('受け渡し,handover,2026-11-30T09:00:00.000Z');
    const ndjson = await ledger.export(admin, { tenantId: null }, {}, 'ndjson');
    expect(ndjson.trim().split('\n').map((l) => JSON.parse(l).kind)).toEqual(expect.arrayContaining(['handover', 'use', 'storage', 'copy']));
    const copies = await ledger.search({ tenantId: null }, { kind: 'copy' });
    expect(copies.length).toBe(2);
    expect(copies[0]).toMatchObject({ responsible: 'sys-ledger' });
  });

  it('lists the platform\'s backups as 複写・複製 (platform-wide only), from the backup job\'s audit row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsunagu-ledger-backup-'));
    try {
      const backups = new BackupService({
        DATA_DIR: dir, BACKUP_DIR: dir, BACKUP_KEEP_DAILY: 7, BACKUP_EVERY_HOURS: 24, NODE_ENV: 'development', DATABASE_URL: (db.options as { url: string }).url,
      } as HubConfig, undefined, fx.audit);
      const written = (await backups.backUp())!;
      const copies = await ledger.search({ tenantId: null }, { kind: 'copy' });
      const backup = copies.find((c) => c.process.startsWith('データベースのバックアップ'));
      expect(backup).toMatchObject({ kind: 'copy', process: 'データベースのバックアップ（暗号化なし）', items: '連携基盤のデータベース全体', responsible: 'system:back-up-database' });
      expect(backup!.detail).toContain(basename(written.file));
      expect((await ledger.search(tenants.misasa, { kind: 'copy' })).some((c) => c.process.startsWith('データベースのバックアップ'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad period with a typed error', async () => {
    await expect(ledger.search(tenants.misasa, { from: '2026-02-31' })).rejects.toMatchObject({ code: 'ledger_query_invalid' });
    await expect(ledger.search(tenants.misasa, { from: '2026-12-02', to: '2026-12-01' })).rejects.toMatchObject({ code: 'ledger_query_invalid' });
  });
});
