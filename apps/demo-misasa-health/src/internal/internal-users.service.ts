import { Injectable } from '@nestjs/common';
import { type DayPeriod, DemoException, addDays, tokyoDate, tokyoDayStart, tokyoTime } from '@tsunagu/demo-kit';
import { ActivityRepository, type DailySteps } from '../activity/activity.repository';

/** `GET /internal/v1/users/{userId}/daily-steps` */
export interface DailyStepsAnswer {
  userId: string;
  /** Recorded days only, oldest first. */
  days: DailySteps[];
}

/** One visit as the app describes it; its connector passes on only the date and the facility. */
export interface VisitAnswer {
  /** YYYY-MM-DD, Japan time */
  date: string;
  /** HH:MM, Japan time */
  time: string;
  facilityId: string;
  facility: string;
  bathMinutes: number;
}

/** `GET /internal/v1/users/{userId}/onsen-visits` */
export interface OnsenVisitsAnswer {
  userId: string;
  /** Oldest first. */
  visits: VisitAnswer[];
}

/** What the Misasa health app tells its own connector (docs/connector.md §3), read from its store. */
@Injectable()
export class InternalUsersService {
  constructor(private readonly activity: ActivityRepository) {}

  async dailySteps(userId: string, period: DayPeriod): Promise<DailyStepsAnswer> {
    await this.assertUser(userId);
    return { userId, days: await this.activity.stepsBetween(userId, period.from, period.to) };
  }

  /** Visits dated (Japan time) from `period.from` to `period.to`. */
  async onsenVisits(userId: string, period: DayPeriod): Promise<OnsenVisitsAnswer> {
    await this.assertUser(userId);
    const visits = await this.activity.visitsBetween(userId, tokyoDayStart(period.from), tokyoDayStart(addDays(period.to, 1)));
    return {
      userId,
      visits: visits.map((v) => ({
        date: tokyoDate(v.visitedAt), time: tokyoTime(v.visitedAt), facilityId: v.facilityId, facility: v.facility, bathMinutes: v.bathMinutes,
      })),
    };
  }

  private async assertUser(userId: string): Promise<void> {
    if (await this.activity.findUser(userId)) return;
    throw new DemoException('record_not_found', {
      ja: `ユーザー ID ${userId} の利用者は登録されていません。`, en: `There is no user ${userId}.`,
    });
  }
}
