import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DemoDatabase, SchemaOwningRepository, type SqlExecutor } from '@tsunagu/demo-kit';

/** A user of the Misasa onsen health app (三朝温泉ヘルスケアアプリ). */
export interface AppUser {
  userId: string;
  name: string;
  nameKana: string;
  dailyStepGoal: number;
  /** YYYY-MM-DD */
  registeredOn: string;
  /** Where the user lives: the municipality's local government code (e.g. 31364 三朝町), as the app's profile records it. */
  municipalityCode?: string;
}

/** One user's steps in one month, as the app reports them for statistics (never more than this). */
export interface MonthlyStepsRow {
  userId: string;
  /** YYYY-MM */
  month: string;
  /** Mean of the recorded days of the month. */
  meanSteps: number;
  municipalityCode: string | null;
}

/** Steps walked on one day (Japan time). */
export interface DailySteps {
  /** YYYY-MM-DD */
  day: string;
  steps: number;
}

/** A partner onsen facility: a stable slug the app assigns, and its name. */
export interface OnsenFacility {
  /** `misasa-kabuyu` */
  facilityId: string;
  name: string;
}

/** One bath at an onsen facility. */
export interface OnsenVisit {
  visitId: string;
  userId: string;
  /** The facility's name as recorded. */
  facility: string;
  /** Its slug; every visit has one once the seeder has run (older databases are filled in at start). */
  facilityId: string;
  visitedAt: Date;
  bathMinutes: number;
}

const schema = [
  `CREATE TABLE IF NOT EXISTS app_users (
    user_id text CONSTRAINT app_users_pk PRIMARY KEY CONSTRAINT app_users_user_id_ck CHECK (user_id ~ '^MH-[0-9]{4}$'),
    name text NOT NULL,
    name_kana text NOT NULL,
    daily_step_goal integer NOT NULL CONSTRAINT app_users_daily_step_goal_ck CHECK (daily_step_goal > 0),
    registered_on date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS daily_steps (
    user_id text NOT NULL CONSTRAINT daily_steps_user_fk REFERENCES app_users (user_id),
    day date NOT NULL,
    steps integer NOT NULL CONSTRAINT daily_steps_steps_ck CHECK (steps >= 0),
    CONSTRAINT daily_steps_pk PRIMARY KEY (user_id, day)
  )`,
  `CREATE TABLE IF NOT EXISTS onsen_visits (
    visit_id text CONSTRAINT onsen_visits_pk PRIMARY KEY,
    user_id text NOT NULL CONSTRAINT onsen_visits_user_fk REFERENCES app_users (user_id),
    facility text NOT NULL,
    visited_at timestamptz NOT NULL,
    bath_minutes integer NOT NULL CONSTRAINT onsen_visits_bath_minutes_ck CHECK (bath_minutes > 0)
  )`,
  `CREATE INDEX IF NOT EXISTS onsen_visits_user_visited_at_ix ON onsen_visits (user_id, visited_at DESC)`,
  `CREATE TABLE IF NOT EXISTS onsen_facilities (
    facility_id text CONSTRAINT onsen_facilities_pk PRIMARY KEY
      CONSTRAINT onsen_facilities_facility_id_ck CHECK (facility_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(facility_id) <= 64),
    name text NOT NULL CONSTRAINT onsen_facilities_name_uq UNIQUE
  )`,
  // Added after the first release: databases created before it get the column here and the values from the seeder.
  `ALTER TABLE onsen_visits ADD COLUMN IF NOT EXISTS facility_id text CONSTRAINT onsen_visits_facility_fk REFERENCES onsen_facilities (facility_id)`,
  // Added for statistics (issue #20); filled in by the seeder for databases created before it.
  `ALTER TABLE app_users ADD COLUMN IF NOT EXISTS municipality_code text CONSTRAINT app_users_municipality_code_ck CHECK (municipality_code ~ '^31[0-9]{3}$')`,
];

interface UserRow { user_id: string; name: string; name_kana: string; daily_step_goal: number; registered_on: string }
interface VisitRow { visit_id: string; user_id: string; facility: string; facility_id: string; visited_at: Date; bath_minutes: number }

function toVisit(r: VisitRow): OnsenVisit {
  return { visitId: r.visit_id, userId: r.user_id, facility: r.facility, facilityId: r.facility_id, visitedAt: r.visited_at, bathMinutes: r.bath_minutes };
}

/** Every query on app users, their daily steps and their onsen visits. */
@Injectable()
export class ActivityRepository extends SchemaOwningRepository implements OnModuleInit {
  constructor(db: DemoDatabase) {
    super(db, schema);
  }

  async countUsers(tx: SqlExecutor = this.db): Promise<number> {
    const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_users`);
    return rows[0].n;
  }

  async listUserIds(tx: SqlExecutor = this.db): Promise<string[]> {
    const { rows } = await tx.query<{ user_id: string }>(`SELECT user_id FROM app_users ORDER BY user_id`);
    return rows.map((r) => r.user_id);
  }

  async insertUser(user: AppUser, tx: SqlExecutor = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO app_users (user_id, name, name_kana, daily_step_goal, registered_on, municipality_code) VALUES ($1, $2, $3, $4, $5::date, $6)`,
      [user.userId, user.name, user.nameKana, user.dailyStepGoal, user.registeredOn, user.municipalityCode ?? null],
    );
  }

  /** Records a day's steps unless that day is already recorded. @returns whether it was new */
  async insertStepsIfAbsent(userId: string, steps: DailySteps, tx: SqlExecutor = this.db): Promise<boolean> {
    const { rows } = await tx.query<{ day: string }>(
      `INSERT INTO daily_steps (user_id, day, steps) VALUES ($1, $2::date, $3)
       ON CONFLICT ON CONSTRAINT daily_steps_pk DO NOTHING RETURNING to_char(day, 'YYYY-MM-DD') AS day`,
      [userId, steps.day, steps.steps],
    );
    return rows.length > 0;
  }

  async insertVisit(visit: OnsenVisit, tx: SqlExecutor = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO onsen_visits (visit_id, user_id, facility, facility_id, visited_at, bath_minutes) VALUES ($1, $2, $3, $4, $5, $6)`,
      [visit.visitId, visit.userId, visit.facility, visit.facilityId, visit.visitedAt, visit.bathMinutes],
    );
  }

  /** Records a facility unless its slug or its name is already known. @returns whether it was new */
  async insertFacilityIfAbsent(facility: OnsenFacility, tx: SqlExecutor = this.db): Promise<boolean> {
    const { rows } = await tx.query<{ facility_id: string }>(
      `INSERT INTO onsen_facilities (facility_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING facility_id`,
      [facility.facilityId, facility.name],
    );
    return rows.length > 0;
  }

  /** Names of the facilities of visits that have no facility slug yet. */
  async facilityNamesWithoutSlug(tx: SqlExecutor = this.db): Promise<string[]> {
    const { rows } = await tx.query<{ facility: string }>(`SELECT DISTINCT facility FROM onsen_visits WHERE facility_id IS NULL ORDER BY facility`);
    return rows.map((r) => r.facility);
  }

  /** Gives every visit without a slug the slug of the facility of the same name. @returns visits updated */
  async assignFacilitySlugs(tx: SqlExecutor = this.db): Promise<number> {
    const { rows } = await tx.query<{ visit_id: string }>(
      `UPDATE onsen_visits v SET facility_id = f.facility_id FROM onsen_facilities f
       WHERE v.facility_id IS NULL AND f.name = v.facility RETURNING v.visit_id`,
    );
    return rows.length;
  }

  async findUser(userId: string): Promise<AppUser | undefined> {
    const { rows } = await this.db.query<UserRow>(
      `SELECT user_id, name, name_kana, daily_step_goal, to_char(registered_on, 'YYYY-MM-DD') AS registered_on
       FROM app_users WHERE user_id = $1`,
      [userId],
    );
    const row = rows[0];
    return row && { userId: row.user_id, name: row.name, nameKana: row.name_kana, dailyStepGoal: row.daily_step_goal, registeredOn: row.registered_on };
  }

  /** Sets the municipality of users recorded without one (databases created before the column). */
  async setMissingMunicipality(userId: string, code: string, tx: SqlExecutor = this.db): Promise<number> {
    const { rows } = await tx.query(`UPDATE app_users SET municipality_code = $2 WHERE user_id = $1 AND municipality_code IS NULL RETURNING user_id`, [userId, code]);
    return rows.length;
  }

  /**
   * Per user and month from `fromMonth` to `toMonth` (inclusive), the mean of the recorded days and
   * the user's municipality: one row per user and month with steps, for the users named only.
   */
  async monthlySteps(userIds: readonly string[], fromMonth: string, toMonth: string): Promise<MonthlyStepsRow[]> {
    const { rows } = await this.db.query<{ user_id: string; month: string; mean_steps: number; municipality_code: string | null }>(
      `SELECT d.user_id, to_char(d.day, 'YYYY-MM') AS month, avg(d.steps)::float8 AS mean_steps, u.municipality_code
       FROM daily_steps d JOIN app_users u ON u.user_id = d.user_id
       WHERE d.user_id = ANY($1::text[]) AND d.day >= to_date($2, 'YYYY-MM') AND d.day < (to_date($3, 'YYYY-MM') + interval '1 month')
       GROUP BY d.user_id, month, u.municipality_code ORDER BY d.user_id, month`,
      [userIds, fromMonth, toMonth],
    );
    return rows.map((r) => ({ userId: r.user_id, month: r.month, meanSteps: r.mean_steps, municipalityCode: r.municipality_code }));
  }

  /** Steps recorded from `fromDay` to `toDay` (inclusive), oldest first. */
  async stepsBetween(userId: string, fromDay: string, toDay: string): Promise<DailySteps[]> {
    const { rows } = await this.db.query<{ day: string; steps: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, steps FROM daily_steps
       WHERE user_id = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day`,
      [userId, fromDay, toDay],
    );
    return rows;
  }

  /** The user's latest onsen visits, newest first. */
  async recentVisits(userId: string, limit: number): Promise<OnsenVisit[]> {
    const { rows } = await this.db.query<VisitRow>(
      `SELECT visit_id, user_id, facility, facility_id, visited_at, bath_minutes FROM onsen_visits
       WHERE user_id = $1 ORDER BY visited_at DESC, visit_id DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map(toVisit);
  }

  /** The user's onsen visits in [since, before), oldest first. */
  async visitsBetween(userId: string, since: Date, before: Date): Promise<OnsenVisit[]> {
    const { rows } = await this.db.query<VisitRow>(
      `SELECT visit_id, user_id, facility, facility_id, visited_at, bath_minutes FROM onsen_visits
       WHERE user_id = $1 AND visited_at >= $2 AND visited_at < $3 ORDER BY visited_at, visit_id`,
      [userId, since, before],
    );
    return rows.map(toVisit);
  }
}
