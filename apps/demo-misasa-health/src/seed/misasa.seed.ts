import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import {
  DemoDatabase, LocalAccountRepository, LocalAccountService, addDays, tokyoDate,
} from '@tsunagu/demo-kit';
import { CLOCK, type Clock } from '@tsunagu/common';
import { ActivityRepository, type AppUser, type OnsenFacility } from '../activity/activity.repository';
import { STEP_DAYS } from '../activity/activity.service';

interface SeedVisit { daysAgo: number; time: string; facility: string; bathMinutes: number }
interface SeedUser extends AppUser { pin: string; typicalSteps: number; visits: SeedVisit[] }

/** The partner onsen facilities and the slugs the app gives them (stable: the connector passes them on). */
export const ONSEN_FACILITIES: OnsenFacility[] = [
  { facilityId: 'misasa-kabuyu', name: '三朝温泉 株湯' },
  { facilityId: 'misasa-tamawari-no-yu', name: '三朝温泉 たまわりの湯' },
  { facilityId: 'misasa-kawara-buro', name: '三朝温泉 河原風呂' },
  { facilityId: 'misasa-yukarisou-daiyokujo', name: '三朝温泉 旅館 ゆかり荘 大浴場' },
  { facilityId: 'hawai-kyodo-yokujo', name: 'はわい温泉 共同浴場' },
];

/** The slug of a facility: from the list above, else one derived from the name (stable, `facility-` + 12 hex digits). */
export function facilitySlug(name: string): string {
  return ONSEN_FACILITIES.find((f) => f.name === name)?.facilityId
    ?? `facility-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

/**
 * The three app users, matching the hub's demo residents (and, for onsen days, their payments in
 * the cashless demo). PINs are for the demo only.
 */
export const MISASA_SEED: SeedUser[] = [
  {
    userId: 'MH-0001', name: '鳥取 太郎', nameKana: 'トットリ タロウ', pin: '1111', dailyStepGoal: 8000, registeredOn: '2026-04-01', typicalSteps: 6800, municipalityCode: '31201',
    visits: [
      { daysAgo: 1, time: '18:30', facility: '三朝温泉 株湯', bathMinutes: 25 },
      { daysAgo: 9, time: '20:00', facility: '三朝温泉 旅館 ゆかり荘 大浴場', bathMinutes: 40 },
    ],
  },
  {
    userId: 'MH-0002', name: '三朝 花子', nameKana: 'ミササ ハナコ', pin: '2222', dailyStepGoal: 8000, registeredOn: '2026-04-15', typicalSteps: 9300, municipalityCode: '31364',
    visits: [
      { daysAgo: 1, time: '07:00', facility: '三朝温泉 たまわりの湯', bathMinutes: 30 },
      { daysAgo: 2, time: '16:40', facility: '三朝温泉 株湯', bathMinutes: 20 },
      { daysAgo: 5, time: '19:10', facility: '三朝温泉 河原風呂', bathMinutes: 15 },
      { daysAgo: 7, time: '06:55', facility: '三朝温泉 たまわりの湯', bathMinutes: 35 },
      { daysAgo: 12, time: '17:20', facility: '三朝温泉 株湯', bathMinutes: 25 },
    ],
  },
  {
    userId: 'MH-0003', name: '倉吉 次郎', nameKana: 'クラヨシ ジロウ', pin: '3333', dailyStepGoal: 6000, registeredOn: '2026-05-10', typicalSteps: 4300, municipalityCode: '31203',
    visits: [
      { daysAgo: 8, time: '17:40', facility: 'はわい温泉 共同浴場', bathMinutes: 30 },
    ],
  },
];

/** A plausible, repeatable step count for a user on a day (the "device sync" of the demo). */
export function simulatedSteps(userId: string, typicalSteps: number, day: string): number {
  const h = createHash('sha256').update(`${userId}:${day}`).digest().readUInt32BE(0);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 0.85 : 1;
  const spread = 0.6 * typicalSteps;
  return Math.max(500, Math.round((typicalSteps - spread / 2 + (h % 1000) / 1000 * spread) * weekend));
}

/**
 * Seeds the users, their onsen visits and local accounts on the first start; on every start fills
 * in the steps of days not yet recorded, so that "the last two weeks" always has data.
 */
@Injectable()
export class MisasaSeeder implements OnModuleInit {
  private readonly logger = new AppLogger(MisasaSeeder.name);

  constructor(
    private readonly db: DemoDatabase,
    private readonly activity: ActivityRepository,
    private readonly accountTables: LocalAccountRepository,
    private readonly accounts: LocalAccountService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.seedIfEmpty();
    await this.assignFacilities();
    await this.assignMunicipalities();
    await this.syncSteps();
  }

  /** @returns whether anything was seeded */
  async seedIfEmpty(): Promise<boolean> {
    await this.accountTables.ensureSchema();
    await this.activity.ensureSchema();
    const today = tokyoDate(this.clock.now());
    const seeded = await this.db.transaction(async (tx) => {
      if ((await this.activity.countUsers(tx)) > 0) return false;
      for (const facility of ONSEN_FACILITIES) await this.activity.insertFacilityIfAbsent(facility, tx);
      for (const seed of MISASA_SEED) {
        await this.activity.insertUser(seed, tx);
        await this.accounts.register(seed.userId, seed.pin, tx);
        for (const [i, v] of seed.visits.entries()) {
          await this.activity.insertVisit({
            visitId: `V-${seed.userId.slice(-4)}-${String(i + 1).padStart(3, '0')}`,
            userId: seed.userId,
            facility: v.facility,
            facilityId: facilitySlug(v.facility),
            visitedAt: new Date(`${addDays(today, -v.daysAgo)}T${v.time}:00+09:00`),
            bathMinutes: v.bathMinutes,
          }, tx);
        }
      }
      return true;
    });
    if (seeded) this.logger.log(LogKind.Operation, 'Seeded the demo app users', { users: MISASA_SEED.length });
    return seeded;
  }

  /**
   * Gives every visit a facility slug: databases created before slugs existed have visits with a
   * name only. Facilities missing from the list get a slug derived from their name. @returns visits updated
   */
  /** Gives the seeded users their municipality where a database created before the column has none. */
  async assignMunicipalities(): Promise<number> {
    let updated = 0;
    for (const seed of MISASA_SEED) if (seed.municipalityCode) updated += await this.activity.setMissingMunicipality(seed.userId, seed.municipalityCode);
    return updated;
  }

  async assignFacilities(): Promise<number> {
    const updated = await this.db.transaction(async (tx) => {
      const names = await this.activity.facilityNamesWithoutSlug(tx);
      if (!names.length) return 0;
      for (const facility of ONSEN_FACILITIES) await this.activity.insertFacilityIfAbsent(facility, tx);
      for (const name of names) await this.activity.insertFacilityIfAbsent({ facilityId: facilitySlug(name), name }, tx);
      return this.activity.assignFacilitySlugs(tx);
    });
    if (updated) this.logger.log(LogKind.Operation, 'Assigned facility slugs to onsen visits', { visits: updated });
    return updated;
  }

  /** Records simulated steps for every seeded user and every missing day of the last two weeks. @returns days added */
  async syncSteps(): Promise<number> {
    const lastDay = addDays(tokyoDate(this.clock.now()), -1);
    let added = 0;
    await this.db.transaction(async (tx) => {
      const existing = new Set(await this.activity.listUserIds(tx));
      for (const seed of MISASA_SEED.filter((s) => existing.has(s.userId))) {
        for (let i = 0; i < STEP_DAYS; i += 1) {
          const day = addDays(lastDay, -i);
          if (await this.activity.insertStepsIfAbsent(seed.userId, { day, steps: simulatedSteps(seed.userId, seed.typicalSteps, day) }, tx)) added += 1;
        }
      }
    });
    if (added) this.logger.log(LogKind.Operation, 'Recorded simulated daily steps', { days: added });
    return added;
  }
}
