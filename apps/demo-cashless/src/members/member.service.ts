import { Injectable } from '@nestjs/common';
import { DemoException } from '@tsunagu/demo-kit';
import { type Member, MemberRepository, type Payment } from './member.repository';

export interface MemberOverview {
  member: Member;
  payments: Payment[];
}

const RECENT_PAYMENTS = 10;

@Injectable()
export class MemberService {
  constructor(private readonly members: MemberRepository) {}

  /** What the member page shows: the member, points balance and recent payments. */
  async overview(memberNumber: string): Promise<MemberOverview> {
    const member = await this.members.findMember(memberNumber);
    if (!member) {
      throw new DemoException('account_not_found', { ja: '会員情報が見つかりません。', en: 'The member could not be found.' });
    }
    return { member, payments: await this.members.recentPayments(memberNumber, RECENT_PAYMENTS) };
  }
}
