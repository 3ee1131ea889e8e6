import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DemoDatabase, SchemaOwningRepository, type SqlExecutor } from '@tsunagu/demo-kit';

export type MerchantCategory = 'onsen' | 'lodging' | 'retail' | 'restaurant' | 'transport';

/** A member of the cashless payment base (キャッシュレス決済基盤). */
export interface Member {
  memberNumber: string;
  name: string;
  nameKana: string;
  pointsBalance: number;
  /** YYYY-MM-DD */
  joinedOn: string;
}

/** One card payment at a merchant. */
export interface Payment {
  paymentId: string;
  memberNumber: string;
  paidAt: Date;
  merchantName: string;
  merchantCategory: MerchantCategory;
  amountYen: number;
  pointsEarned: number;
}

const schema = [
  `CREATE TABLE IF NOT EXISTS members (
    member_number text CONSTRAINT members_pk PRIMARY KEY
      CONSTRAINT members_member_number_ck CHECK (member_number ~ '^C-[0-9]{4}-[0-9]{4}$'),
    name text NOT NULL,
    name_kana text NOT NULL,
    points_balance integer NOT NULL CONSTRAINT members_points_balance_ck CHECK (points_balance >= 0),
    joined_on date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS payments (
    payment_id text CONSTRAINT payments_pk PRIMARY KEY,
    member_number text NOT NULL CONSTRAINT payments_member_fk REFERENCES members (member_number),
    paid_at timestamptz NOT NULL,
    merchant_name text NOT NULL,
    merchant_category text NOT NULL
      CONSTRAINT payments_merchant_category_ck CHECK (merchant_category IN ('onsen', 'lodging', 'retail', 'restaurant', 'transport')),
    amount_yen integer NOT NULL CONSTRAINT payments_amount_yen_ck CHECK (amount_yen > 0),
    points_earned integer NOT NULL CONSTRAINT payments_points_earned_ck CHECK (points_earned >= 0)
  )`,
  `CREATE INDEX IF NOT EXISTS payments_member_paid_at_ix ON payments (member_number, paid_at DESC)`,
];

/** Spending of one Japan calendar month at one merchant category. */
export interface MonthlySpending {
  /** YYYY-MM */
  month: string;
  category: MerchantCategory;
  amountYen: number;
}

interface MemberRow { member_number: string; name: string; name_kana: string; points_balance: number; joined_on: string }
interface PaymentRow {
  payment_id: string; member_number: string; paid_at: Date; merchant_name: string;
  merchant_category: MerchantCategory; amount_yen: number; points_earned: number;
}

function toPayment(row: PaymentRow): Payment {
  return {
    paymentId: row.payment_id,
    memberNumber: row.member_number,
    paidAt: row.paid_at,
    merchantName: row.merchant_name,
    merchantCategory: row.merchant_category,
    amountYen: row.amount_yen,
    pointsEarned: row.points_earned,
  };
}

/** Every query on members and their payments. */
@Injectable()
export class MemberRepository extends SchemaOwningRepository implements OnModuleInit {
  constructor(db: DemoDatabase) {
    super(db, schema);
  }

  async count(tx: SqlExecutor = this.db): Promise<number> {
    const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM members`);
    return rows[0].n;
  }

  async insertMember(member: Member, tx: SqlExecutor = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO members (member_number, name, name_kana, points_balance, joined_on) VALUES ($1, $2, $3, $4, $5::date)`,
      [member.memberNumber, member.name, member.nameKana, member.pointsBalance, member.joinedOn],
    );
  }

  async insertPayment(payment: Payment, tx: SqlExecutor = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO payments (payment_id, member_number, paid_at, merchant_name, merchant_category, amount_yen, points_earned)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [payment.paymentId, payment.memberNumber, payment.paidAt, payment.merchantName, payment.merchantCategory, payment.amountYen, payment.pointsEarned],
    );
  }

  async findMember(memberNumber: string): Promise<Member | undefined> {
    const { rows } = await this.db.query<MemberRow>(
      `SELECT member_number, name, name_kana, points_balance, to_char(joined_on, 'YYYY-MM-DD') AS joined_on
       FROM members WHERE member_number = $1`,
      [memberNumber],
    );
    const row = rows[0];
    return row && { memberNumber: row.member_number, name: row.name, nameKana: row.name_kana, pointsBalance: row.points_balance, joinedOn: row.joined_on };
  }

  /** The member's latest payments, newest first. */
  async recentPayments(memberNumber: string, limit: number): Promise<Payment[]> {
    const { rows } = await this.db.query<PaymentRow>(
      `SELECT payment_id, member_number, paid_at, merchant_name, merchant_category, amount_yen, points_earned
       FROM payments WHERE member_number = $1 ORDER BY paid_at DESC, payment_id DESC LIMIT $2`,
      [memberNumber, limit],
    );
    return rows.map(toPayment);
  }

  /**
   * Payments made in [since, before), summed per Japan calendar month and merchant category,
   * oldest month first. Japan has no daylight saving time: a fixed +9 h gives its calendar.
   */
  async monthlySpending(memberNumber: string, since: Date, before: Date): Promise<MonthlySpending[]> {
    const { rows } = await this.db.query<{ month: string; category: MerchantCategory; amount_yen: number }>(
      `SELECT to_char((paid_at AT TIME ZONE 'UTC') + interval '9 hours', 'YYYY-MM') AS month,
              merchant_category AS category, sum(amount_yen)::int AS amount_yen
       FROM payments WHERE member_number = $1 AND paid_at >= $2 AND paid_at < $3
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [memberNumber, since, before],
    );
    return rows.map((r) => ({ month: r.month, category: r.category, amountYen: r.amount_yen }));
  }
}
