import {
  DEFAULT_PIN_POLICY, DemoDatabase, LocalAccountRepository, LocalAccountService,
} from '@tsunagu/demo-kit';
import { ActivityRepository } from '../activity/activity.repository';
import { ActivityService } from '../activity/activity.service';
import { MisasaSeeder, ONSEN_FACILITIES, facilitySlug, simulatedSteps } from './misasa.seed';

describe(MisasaSeeder.name, () => {
  let db: DemoDatabase;
  let activity: ActivityRepository;
  let accounts: LocalAccountService;
  let seeder: MisasaSeeder;
  let overviews: ActivityService;
  let now = new Date('2026-11-22T03:00:00Z'); // 12:00 in Japan

  beforeAll(async () => {
    db = await DemoDatabase.open({ store: 'memory', dataDir: '', serviceName: 'demo-misasa-health' });
    activity = new ActivityRepository(db);
    const accountTables = new LocalAccountRepository(db);
    const clock = { now: () => now };
    accounts = new LocalAccountService(db, accountTables, clock, DEFAULT_PIN_POLICY);
    seeder = new MisasaSeeder(db, activity, accountTables, accounts, clock);
    overviews = new ActivityService(activity, clock);
    await seeder.onModuleInit();
  });
  afterAll(() => db.close());

  it('seeds the three app users of the hub demo residents', async () => {
    expect(await activity.countUsers()).toBe(3);
    await expect(activity.findUser('MH-0001')).resolves.toEqual({
      userId: 'MH-0001', name: '鳥取 太郎', nameKana: 'トットリ タロウ', dailyStepGoal: 8000, registeredOn: '2026-04-01',
    });
    await expect(activity.findUser('MH-0002')).resolves.toMatchObject({ name: '三朝 花子' });
    await expect(activity.findUser('MH-0003')).resolves.toMatchObject({ name: '倉吉 次郎' });
    await expect(activity.findUser('MH-0404')).resolves.toBeUndefined();
  });

  it('records 14 days of steps up to yesterday, the same on every run', async () => {
    const steps = await activity.stepsBetween('MH-0001', '2026-11-01', '2026-11-30');
    expect(steps).toHaveLength(14);
    expect(steps[0].day).toBe('2026-11-08');
    expect(steps[13].day).toBe('2026-11-21');
    expect(steps[13].steps).toBe(simulatedSteps('MH-0001', 6800, '2026-11-21'));
    expect(steps.every((s) => s.steps >= 500 && s.steps < 15000)).toBe(true);
  });

  it('fills in only the missing days on a later start', async () => {
    await expect(seeder.syncSteps()).resolves.toBe(0);
    now = new Date('2026-11-24T03:00:00Z');
    await expect(seeder.syncSteps()).resolves.toBe(2 * 3);
    await expect(seeder.seedIfEmpty()).resolves.toBe(false);
    now = new Date('2026-11-22T03:00:00Z');
  });

  it('shows the last 14 days, the average and the goal days in the overview', async () => {
    const overview = await overviews.overview('MH-0002');
    expect(overview.steps.map((s) => s.day)).toEqual(Array.from({ length: 14 }, (_, i) => `2026-11-${String(8 + i).padStart(2, '0')}`));
    const values = overview.steps.map((s) => s.steps as number);
    expect(overview.averageSteps).toBe(Math.round(values.reduce((a, b) => a + b, 0) / 14));
    expect(overview.daysGoalReached).toBe(values.filter((v) => v >= 8000).length);
  });

  it('seeds onsen visits, newest first', async () => {
    const visits = await activity.recentVisits('MH-0002', 10);
    expect(visits).toHaveLength(5);
    expect(visits[0]).toMatchObject({ facility: '三朝温泉 たまわりの湯', bathMinutes: 30, visitedAt: new Date('2026-11-20T22:00:00Z') });
    await expect(activity.recentVisits('MH-0404', 10)).resolves.toEqual([]);
  });

  it('gives every seeded visit the slug of its facility', async () => {
    const visits = await activity.recentVisits('MH-0002', 10);
    expect(visits.map((v) => [v.facility, v.facilityId])).toEqual([
      ['三朝温泉 たまわりの湯', 'misasa-tamawari-no-yu'], ['三朝温泉 株湯', 'misasa-kabuyu'], ['三朝温泉 河原風呂', 'misasa-kawara-buro'],
      ['三朝温泉 たまわりの湯', 'misasa-tamawari-no-yu'], ['三朝温泉 株湯', 'misasa-kabuyu'],
    ]);
    expect(new Set(ONSEN_FACILITIES.map((f) => f.facilityId)).size).toBe(ONSEN_FACILITIES.length);
  });

  it('fills in the slugs of visits recorded before slugs existed, deriving one for an unlisted facility', async () => {
    await db.query(`INSERT INTO onsen_visits (visit_id, user_id, facility, visited_at, bath_minutes) VALUES
      ('V-OLD-1', 'MH-0003', '三朝温泉 株湯', '2026-11-01T09:00:00Z', 20), ('V-OLD-2', 'MH-0003', '東郷温泉 湖泉閣', '2026-11-02T09:00:00Z', 30)`);
    await expect(seeder.assignFacilities()).resolves.toBe(2);
    await expect(seeder.assignFacilities()).resolves.toBe(0);
    const old = (await activity.recentVisits('MH-0003', 10)).filter((v) => v.visitId.startsWith('V-OLD'));
    expect(old.map((v) => v.facilityId)).toEqual([facilitySlug('東郷温泉 湖泉閣'), 'misasa-kabuyu']);
    expect(facilitySlug('東郷温泉 湖泉閣')).toMatch(/^facility-[0-9a-f]{12}$/);
    await db.query(`DELETE FROM onsen_visits WHERE visit_id LIKE 'V-OLD-%'`);
  });

  it('refuses the overview of an unknown user', async () => {
    await expect(overviews.overview('MH-0404')).rejects.toMatchObject({ code: 'account_not_found' });
  });

  it('gives each user a local account with the seed PIN and locks it after five wrong PINs', async () => {
    await expect(accounts.verifyPin('MH-0001', '1111')).resolves.toEqual({ outcome: 'ok' });
    await expect(accounts.verifyPin('MH-0002', '2222')).resolves.toEqual({ outcome: 'ok' });
    await expect(accounts.verifyPin('MH-0003', '3333')).resolves.toEqual({ outcome: 'ok' });
    for (let i = 0; i < 5; i += 1) await accounts.verifyPin('MH-0003', '0000');
    await expect(accounts.verifyPin('MH-0003', '3333')).resolves.toMatchObject({ outcome: 'locked', lockedUntil: new Date('2026-11-22T03:15:00Z') });
  });
});
