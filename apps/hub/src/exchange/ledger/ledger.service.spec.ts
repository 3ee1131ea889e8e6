import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { consentFixture } from '../../consent/testing/consent-fixtures';
import { LedgerRepository, type NewProvision } from './ledger.repository';
import { LedgerService, RECEIPT_GRACE_MS, receiptOf } from './ledger.service';

describe(LedgerService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let ledger: LedgerService;
  let now = new Date();
  let taro: string;
  let consent: { consentId: string };
  let base: Omit<NewProvision, 'grantId' | 'side'>;

  beforeAll(async () => {
    db = await openTestDataSource([], 'ledger');
    fx = await consentFixture(db, { residents: 2 });
    ledger = new LedgerService(new LedgerRepository(db), { now: () => now });
    taro = fx.residents[0];
    ({ consent } = await fx.service.give(taro, { dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps'] }, 'portal-api'));
    const covering = (await fx.service.findActiveConsentCovering(taro, fx.useId('cashless.health-points'), ['misasa-health.daily-steps'], 'health-points'))!;
    const provider = (await db.query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`))[0].id;
    base = { consentVersionId: covering.versionId, providerServiceId: provider, items: ['misasa-health.daily-steps'], outcome: 'provided', occurredAt: new Date('2026-12-01T09:00:00Z') };
  });
  afterAll(() => db?.destroy());
  beforeEach(() => (now = new Date()));

  const sides = async (grantId: string) => (await db.query(`SELECT outcome, occurred_at, provider_reported_at, consumer_reported_at FROM provision_records WHERE grant_id = $1`, [grantId]))[0];

  it('is empty until an exchange is reported', async () => {
    expect(await ledger.listForResident(fx.residents[1])).toEqual([]);
  });

  it('records an exchange under the consent it names, once per grant, and shows it only to that resident', async () => {
    const [, hanako] = fx.residents;
    const report = { ...base, grantId: 'jti-1', side: 'provider' as const };
    expect(await ledger.record(report)).toMatchObject({ status: 'recorded', row: { resident_id: taro, purpose_code: 'health-points' } });
    expect(await ledger.record(report)).toEqual({ status: 'duplicate' });
    expect(await ledger.record({ ...report, side: 'consumer' })).toMatchObject({ status: 'duplicate' });
    const entries = await ledger.listForResident(taro);
    expect(entries).toEqual([expect.objectContaining({
      occurredAt: '2026-12-01T09:00:00.000Z', dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps'], outcome: 'provided', receipt: 'confirmed',
      itemNames: [{ code: 'misasa-health.daily-steps', name: { ja: '1日ごとの歩数', en: 'Daily step counts' } }],
      consentId: consent.consentId, consentVersion: 1,
      provider: expect.objectContaining({ clientId: 'demo-misasa-health' }), consumer: expect.objectContaining({ clientId: 'demo-cashless' }),
    })]);
    expect(await ledger.listForResident(hanako)).toEqual([]);
  });

  it('notes each side once, keeping the time of its first report', async () => {
    await ledger.record({ ...base, grantId: 'jti-sides', side: 'consumer' });
    const first = await sides('jti-sides');
    expect(first).toMatchObject({ provider_reported_at: null, consumer_reported_at: expect.any(Date) });
    await ledger.record({ ...base, grantId: 'jti-sides', side: 'provider' });
    await ledger.record({ ...base, grantId: 'jti-sides', side: 'consumer' });
    const both = await sides('jti-sides');
    expect(both).toMatchObject({ provider_reported_at: expect.any(Date), consumer_reported_at: first.consumer_reported_at });
  });

  it('shows a provision the consumer never confirmed as pending, then, after the grace period, as not confirmed — never hides it', async () => {
    const occurredAt = new Date(Date.now() - 1000);
    await ledger.record({ ...base, grantId: 'jti-unconfirmed', occurredAt, side: 'provider' });
    const entry = async () => (await ledger.listForResident(taro)).find((p) => p.occurredAt === occurredAt.toISOString());
    expect(await entry()).toMatchObject({ outcome: 'provided', receipt: 'pending' });
    now = new Date(Date.now() + RECEIPT_GRACE_MS + 1000);
    expect(await entry()).toMatchObject({ outcome: 'provided', receipt: 'unconfirmed' });
    await ledger.record({ ...base, grantId: 'jti-unconfirmed', occurredAt, side: 'consumer' });
    expect(await entry()).toMatchObject({ outcome: 'provided', receipt: 'confirmed' });
  });

  it('turns a refused entry into provided when a side reports data provided under the same grant (a reusable grant)', async () => {
    const refusedAt = new Date('2026-12-01T10:00:05Z');
    await ledger.record({ ...base, grantId: 'jti-both', outcome: 'refused', occurredAt: refusedAt, side: 'provider' });
    await ledger.record({ ...base, grantId: 'jti-both', outcome: 'refused', occurredAt: refusedAt, side: 'consumer' });
    const providedAt = new Date('2026-12-01T10:00:00Z');
    expect(await ledger.record({ ...base, grantId: 'jti-both', occurredAt: providedAt, side: 'consumer' })).toMatchObject({ status: 'duplicate', row: { outcome: 'provided' } });
    expect(await sides('jti-both')).toMatchObject({ outcome: 'provided', occurred_at: providedAt, provider_reported_at: null, consumer_reported_at: expect.any(Date) });
    // A refusal after the provision changes nothing; the provider's own report of the provision completes it.
    await ledger.record({ ...base, grantId: 'jti-both', outcome: 'refused', occurredAt: refusedAt, side: 'provider' });
    expect((await sides('jti-both')).provider_reported_at).toBeNull();
    await ledger.record({ ...base, grantId: 'jti-both', occurredAt: providedAt, side: 'provider' });
    expect(await sides('jti-both')).toMatchObject({ outcome: 'provided', provider_reported_at: expect.any(Date) });
  });

  it('says nothing of receipt for a refusal, and counts the grace period from a late provider report', () => {
    const at = new Date('2026-12-01T09:00:00Z');
    expect(receiptOf({ outcome: 'refused', occurred_at: at, provider_reported_at: at, consumer_reported_at: null }, at)).toBeUndefined();
    // The hub was down for an hour: the provider's report arrived then, the consumer's is on its way.
    const late = new Date(at.getTime() + 3_600_000);
    expect(receiptOf({ outcome: 'provided', occurred_at: at, provider_reported_at: late, consumer_reported_at: null }, new Date(late.getTime() + 1000))).toBe('pending');
    expect(receiptOf({ outcome: 'provided', occurred_at: at, provider_reported_at: late, consumer_reported_at: null }, new Date(late.getTime() + RECEIPT_GRACE_MS))).toBe('unconfirmed');
  });
});
