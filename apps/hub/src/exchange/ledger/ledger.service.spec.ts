import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { consentFixture } from '../../consent/testing/consent-fixtures';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

describe(LedgerService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let ledger: LedgerService;

  beforeAll(async () => {
    db = await openTestDataSource([], 'ledger');
    fx = await consentFixture(db, { residents: 2 });
    ledger = new LedgerService(new LedgerRepository(db));
  });
  afterAll(() => db?.destroy());

  it('is empty until an exchange is reported', async () => {
    expect(await ledger.listForResident(fx.residents[0])).toEqual([]);
  });

  it('records an exchange under the consent it names, once per grant, and shows it only to that resident', async () => {
    const [taro, hanako] = fx.residents;
    const { consent } = await fx.service.give(taro, { dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps'] }, 'portal-api');
    const covering = (await fx.service.findActiveConsentCovering(taro, fx.useId('cashless.health-points'), ['misasa-health.daily-steps'], 'health-points'))!;
    const provider = (await db.query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`))[0].id;
    const report = { consentVersionId: covering.versionId, providerServiceId: provider, items: ['misasa-health.daily-steps'], outcome: 'provided' as const, grantId: 'jti-1', occurredAt: new Date('2026-12-01T09:00:00Z') };
    expect(await ledger.record(report)).toMatchObject({ resident_id: taro, purpose_code: 'health-points' });
    expect(await ledger.record(report)).toBeUndefined();
    const entries = await ledger.listForResident(taro);
    expect(entries).toEqual([expect.objectContaining({
      occurredAt: '2026-12-01T09:00:00.000Z', dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps'], outcome: 'provided',
      itemNames: [{ code: 'misasa-health.daily-steps', name: { ja: '1日ごとの歩数', en: 'Daily step counts' } }],
      consentId: consent.consentId, consentVersion: 1,
      provider: expect.objectContaining({ clientId: 'demo-misasa-health' }), consumer: expect.objectContaining({ clientId: 'demo-cashless' }),
    })]);
    expect(await ledger.listForResident(hanako)).toEqual([]);
  });
});
