import {
  DEFAULT_PIN_POLICY, DemoDatabase, LocalAccountRepository, LocalAccountService,
} from '@tsunagu/demo-kit';
import { MemberRepository } from '../members/member.repository';
import { CashlessSeeder } from './cashless.seed';

describe(CashlessSeeder.name, () => {
  let db: DemoDatabase;
  let members: MemberRepository;
  let accounts: LocalAccountService;
  let seeder: CashlessSeeder;
  let now = new Date('2026-11-22T03:00:00Z');

  beforeAll(async () => {
    db = await DemoDatabase.open({ store: 'memory', dataDir: '', serviceName: 'demo-cashless' });
    members = new MemberRepository(db);
    const accountTables = new LocalAccountRepository(db);
    const clock = { now: () => now };
    accounts = new LocalAccountService(db, accountTables, clock, DEFAULT_PIN_POLICY);
    seeder = new CashlessSeeder(db, members, accountTables, accounts, clock);
    await seeder.seedIfEmpty();
  });
  afterAll(() => db.close());

  it('seeds the three members of the hub demo residents', async () => {
    expect(await members.count()).toBe(3);
    await expect(members.findMember('C-2026-0001')).resolves.toEqual({
      memberNumber: 'C-2026-0001', name: '鳥取 太郎', nameKana: 'トットリ タロウ', pointsBalance: 1250, joinedOn: '2026-04-01',
    });
    await expect(members.findMember('C-2026-0002')).resolves.toMatchObject({ name: '三朝 花子', pointsBalance: 3480 });
    await expect(members.findMember('C-2026-0003')).resolves.toMatchObject({ name: '倉吉 次郎', pointsBalance: 520 });
  });

  it('seeds recent payments, newest first, some at onsen facilities', async () => {
    const payments = await members.recentPayments('C-2026-0002', 10);
    expect(payments).toHaveLength(5);
    expect(payments[0]).toMatchObject({ merchantName: '三朝温泉 たまわりの湯', merchantCategory: 'onsen', amountYen: 600, pointsEarned: 6 });
    expect(payments[0].paidAt).toEqual(new Date('2026-11-20T22:10:00Z'));
    const times = payments.map((p) => p.paidAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(payments.filter((p) => p.merchantCategory === 'onsen').length).toBeGreaterThan(1);
    await expect(members.recentPayments('C-2026-0001', 2)).resolves.toHaveLength(2);
  });

  it('gives each member a local account with the seed PIN', async () => {
    await expect(accounts.verifyPin('C-2026-0001', '1111')).resolves.toEqual({ outcome: 'ok' });
    await expect(accounts.verifyPin('C-2026-0002', '2222')).resolves.toEqual({ outcome: 'ok' });
    await expect(accounts.verifyPin('C-2026-0003', '3333')).resolves.toEqual({ outcome: 'ok' });
    await expect(accounts.verifyPin('C-2026-0003', '1111')).resolves.toMatchObject({ outcome: 'wrong_pin' });
  });

  it('finds nothing for an unknown member number', async () => {
    await expect(members.findMember('C-2026-0009')).resolves.toBeUndefined();
    await expect(members.recentPayments('C-2026-0009', 10)).resolves.toEqual([]);
  });

  it('locks linking of a seeded member for 15 minutes after five wrong PINs', async () => {
    for (let i = 0; i < 4; i += 1) await accounts.verifyPin('C-2026-0002', '0000');
    await expect(accounts.verifyPin('C-2026-0002', '0000')).resolves.toMatchObject({ outcome: 'locked', lockedUntil: new Date('2026-11-22T03:15:00Z') });
    await expect(accounts.verifyPin('C-2026-0002', '2222')).resolves.toMatchObject({ outcome: 'locked' });
    now = new Date('2026-11-22T03:15:01Z');
    await expect(accounts.verifyPin('C-2026-0002', '2222')).resolves.toEqual({ outcome: 'ok' });
  });

  it('seeds only once', async () => {
    await expect(seeder.seedIfEmpty()).resolves.toBe(false);
    expect(await members.count()).toBe(3);
    await expect(members.recentPayments('C-2026-0001', 10)).resolves.toHaveLength(5);
  });
});
