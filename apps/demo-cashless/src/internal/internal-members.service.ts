import { Inject, Injectable } from '@nestjs/common';
import { type DayPeriod, DemoException, addDays, tokyoDayStart } from '@tsunagu/demo-kit';
import { CLOCK, type Clock } from '@tsunagu/common';
import { MemberRepository, type MonthlySpending } from '../members/member.repository';

/** `GET /internal/v1/members/{memberNumber}/points` */
export interface PointsAnswer {
  memberNumber: string;
  pointsBalance: number;
  /** When the balance was read (ISO 8601). */
  asOf: string;
}

/** `GET /internal/v1/members/{memberNumber}/monthly-spending` */
export interface MonthlySpendingAnswer {
  memberNumber: string;
  months: MonthlySpending[];
}

/** What the cashless base tells its own connector (docs/connector.md §3), read from its store. */
@Injectable()
export class InternalMembersService {
  constructor(private readonly members: MemberRepository, @Inject(CLOCK) private readonly clock: Clock) {}

  async points(memberNumber: string): Promise<PointsAnswer> {
    const member = await this.members.findMember(memberNumber);
    if (!member) throw notFound(memberNumber);
    return { memberNumber, pointsBalance: member.pointsBalance, asOf: this.clock.now().toISOString() };
  }

  /** Payments dated (Japan time) from `period.from` to `period.to`, summed per month and category. */
  async monthlySpending(memberNumber: string, period: DayPeriod): Promise<MonthlySpendingAnswer> {
    if (!(await this.members.findMember(memberNumber))) throw notFound(memberNumber);
    const months = await this.members.monthlySpending(memberNumber, tokyoDayStart(period.from), tokyoDayStart(addDays(period.to, 1)));
    return { memberNumber, months };
  }
}

function notFound(memberNumber: string): DemoException {
  return new DemoException('record_not_found', {
    ja: `会員番号 ${memberNumber} の会員は登録されていません。`, en: `There is no member ${memberNumber}.`,
  });
}
