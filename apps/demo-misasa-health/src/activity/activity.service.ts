import { Inject, Injectable } from '@nestjs/common';
import { DemoException, addDays, tokyoDate } from '@tsunagu/demo-kit';
import { CLOCK, type Clock } from '@tsunagu/common';
import { ActivityRepository, type AppUser, type OnsenVisit } from './activity.repository';

/** Days of steps the member page shows. */
export const STEP_DAYS = 14;
const RECENT_VISITS = 10;

export interface StepsDay {
  day: string;
  /** Undefined when nothing was recorded that day. */
  steps?: number;
  goalReached: boolean;
}

export interface ActivityOverview {
  user: AppUser;
  /** The last STEP_DAYS days up to yesterday (Japan time), oldest first. */
  steps: StepsDay[];
  averageSteps: number;
  daysGoalReached: number;
  visits: OnsenVisit[];
}

@Injectable()
export class ActivityService {
  constructor(private readonly activity: ActivityRepository, @Inject(CLOCK) private readonly clock: Clock) {}

  /** What the member page shows: the user, daily steps of the last two weeks, recent onsen visits. */
  async overview(userId: string): Promise<ActivityOverview> {
    const user = await this.activity.findUser(userId);
    if (!user) throw new DemoException('account_not_found', { ja: '利用者情報が見つかりません。', en: 'The user could not be found.' });
    const lastDay = addDays(tokyoDate(this.clock.now()), -1);
    const firstDay = addDays(lastDay, -(STEP_DAYS - 1));
    const recorded = new Map((await this.activity.stepsBetween(userId, firstDay, lastDay)).map((s) => [s.day, s.steps]));
    const steps: StepsDay[] = Array.from({ length: STEP_DAYS }, (_, i) => {
      const day = addDays(firstDay, i);
      const value = recorded.get(day);
      return { day, steps: value, goalReached: value !== undefined && value >= user.dailyStepGoal };
    });
    const values = steps.flatMap((s) => (s.steps === undefined ? [] : [s.steps]));
    return {
      user,
      steps,
      averageSteps: values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0,
      daysGoalReached: steps.filter((s) => s.goalReached).length,
      visits: await this.activity.recentVisits(userId, RECENT_VISITS),
    };
  }
}
