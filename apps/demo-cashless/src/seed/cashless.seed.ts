import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import {
  DemoDatabase, LocalAccountRepository, LocalAccountService, addDays, tokyoDate,
} from '@tsunagu/demo-kit';
import { CLOCK, type Clock } from '@tsunagu/common';
import { type Member, type MerchantCategory, MemberRepository } from '../members/member.repository';

interface SeedPayment { daysAgo: number; time: string; merchant: string; category: MerchantCategory; amountYen: number }
interface SeedMember extends Omit<Member, 'joinedOn'> { pin: string; joinedOn: string; payments: SeedPayment[] }

/** The three members, matching the hub's demo residents. PINs are for the demo only. */
export const CASHLESS_SEED: SeedMember[] = [
  {
    memberNumber: 'C-2026-0001', name: '鳥取 太郎', nameKana: 'トットリ タロウ', pin: '1111', pointsBalance: 1250, joinedOn: '2026-04-01',
    payments: [
      { daysAgo: 1, time: '18:40', merchant: '三朝温泉 株湯', category: 'onsen', amountYen: 500 },
      { daysAgo: 3, time: '08:15', merchant: '鳥取駅前ベーカリー', category: 'restaurant', amountYen: 860 },
      { daysAgo: 6, time: '12:05', merchant: '鳥取市 100円循環バス', category: 'transport', amountYen: 100 },
      { daysAgo: 9, time: '15:30', merchant: '三朝温泉 旅館 ゆかり荘', category: 'lodging', amountYen: 18000 },
      { daysAgo: 13, time: '19:20', merchant: 'スーパー 湖山店', category: 'retail', amountYen: 3240 },
    ],
  },
  {
    memberNumber: 'C-2026-0002', name: '三朝 花子', nameKana: 'ミササ ハナコ', pin: '2222', pointsBalance: 3480, joinedOn: '2026-04-15',
    payments: [
      { daysAgo: 1, time: '07:10', merchant: '三朝温泉 たまわりの湯', category: 'onsen', amountYen: 600 },
      { daysAgo: 2, time: '16:45', merchant: '三朝温泉 株湯', category: 'onsen', amountYen: 500 },
      { daysAgo: 4, time: '11:00', merchant: 'みささ温泉まんじゅう本舗', category: 'retail', amountYen: 1280 },
      { daysAgo: 7, time: '07:05', merchant: '三朝温泉 たまわりの湯', category: 'onsen', amountYen: 600 },
      { daysAgo: 10, time: '12:30', merchant: '三朝 川辺の食堂', category: 'restaurant', amountYen: 1100 },
    ],
  },
  {
    memberNumber: 'C-2026-0003', name: '倉吉 次郎', nameKana: 'クラヨシ ジロウ', pin: '3333', pointsBalance: 520, joinedOn: '2026-05-10',
    payments: [
      { daysAgo: 2, time: '14:20', merchant: '倉吉 白壁土蔵群カフェ', category: 'restaurant', amountYen: 720 },
      { daysAgo: 5, time: '09:00', merchant: '倉吉駅 売店', category: 'retail', amountYen: 450 },
      { daysAgo: 8, time: '17:50', merchant: 'はわい温泉 共同浴場', category: 'onsen', amountYen: 400 },
    ],
  },
];

/** Seeds the members, their payments and their local accounts once, on the first start. */
@Injectable()
export class CashlessSeeder implements OnModuleInit {
  private readonly logger = new AppLogger(CashlessSeeder.name);

  constructor(
    private readonly db: DemoDatabase,
    private readonly members: MemberRepository,
    private readonly accountTables: LocalAccountRepository,
    private readonly accounts: LocalAccountService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): Promise<void> {
    return this.seedIfEmpty().then(() => undefined);
  }

  /** @returns whether anything was seeded */
  async seedIfEmpty(): Promise<boolean> {
    await this.accountTables.ensureSchema();
    await this.members.ensureSchema();
    const today = tokyoDate(this.clock.now());
    const seeded = await this.db.transaction(async (tx) => {
      if ((await this.members.count(tx)) > 0) return false;
      for (const seed of CASHLESS_SEED) {
        await this.members.insertMember(seed, tx);
        await this.accounts.register(seed.memberNumber, seed.pin, tx);
        for (const [i, p] of seed.payments.entries()) {
          await this.members.insertPayment({
            paymentId: `P-${seed.memberNumber.slice(-4)}-${String(i + 1).padStart(3, '0')}`,
            memberNumber: seed.memberNumber,
            paidAt: new Date(`${addDays(today, -p.daysAgo)}T${p.time}:00+09:00`),
            merchantName: p.merchant,
            merchantCategory: p.category,
            amountYen: p.amountYen,
            pointsEarned: Math.floor(p.amountYen / 100),
          }, tx);
        }
      }
      return true;
    });
    if (seeded) this.logger.log(LogKind.Operation, 'Seeded the demo members', { members: CASHLESS_SEED.length });
    return seeded;
  }
}
