import type { IncidentReportStage } from '@tsunagu/contracts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A report due this soon (or overdue) is shown red; within {@link APPROACHING_HOURS}, amber. */
export const URGENT_HOURS = 6;
export const APPROACHING_HOURS = 24;

/**
 * Where a report stands: `sent`; `overdue` (past its deadline, unsent); `urgent` (due within
 * {@link URGENT_HOURS} hours: red); `approaching` (within {@link APPROACHING_HOURS}); `pending`.
 */
export type DeadlineState = 'sent' | 'overdue' | 'urgent' | 'approaching' | 'pending';

export interface ReportDeadline {
  stage: IncidentReportStage;
  dueAt: Date;
  state: DeadlineState;
  /** Milliseconds until the deadline (negative when past). */
  remainingMs: number;
}

/**
 * The three report deadlines from the discovery: 一先報告 at once (due at the discovery), 速報 after
 * `quickDays` days, 確報 after `finalDays` days. Days are 24-hour periods counted from the
 * discovery instant, so Japan time (UTC+9, no daylight saving) gives the same deadlines as UTC;
 * the screens show them in Japan time.
 */
export function reportDeadlines(p: { discoveredAt: Date; quickDays: number; finalDays: number; sent: Partial<Record<IncidentReportStage, Date>>; now: Date }): ReportDeadline[] {
  const due: Record<IncidentReportStage, Date> = {
    initial: p.discoveredAt,
    quick: new Date(p.discoveredAt.getTime() + p.quickDays * DAY),
    final: new Date(p.discoveredAt.getTime() + p.finalDays * DAY),
  };
  return (['initial', 'quick', 'final'] as const).map((stage) => {
    const remainingMs = due[stage].getTime() - p.now.getTime();
    return { stage, dueAt: due[stage], remainingMs, state: stateOf(remainingMs, p.sent[stage] !== undefined) };
  });
}

function stateOf(remainingMs: number, sent: boolean): DeadlineState {
  if (sent) return 'sent';
  if (remainingMs < 0) return 'overdue';
  if (remainingMs <= URGENT_HOURS * HOUR) return 'urgent';
  if (remainingMs <= APPROACHING_HOURS * HOUR) return 'approaching';
  return 'pending';
}

/**
 * The remaining time in words (`あと4時間` / `2日超過`): time left rounded up to the hour (3 h 59 min
 * left reads 「あと4時間」, the deadline being the fourth hour from now), overdue time rounded down;
 * days when 48 hours or more, minutes under an hour.
 */
export function remainingWords(lang: 'ja' | 'en', remainingMs: number): string {
  const overdue = remainingMs < 0;
  const round = overdue ? Math.floor : Math.ceil;
  const hours = round(Math.abs(remainingMs) / HOUR);
  const minutes = round(Math.abs(remainingMs) / 60_000);
  const span = hours >= 48
    ? (lang === 'ja' ? `${Math.floor(hours / 24)}日` : `${Math.floor(hours / 24)} days`)
    : minutes >= 60 ? (lang === 'ja' ? `${hours}時間` : `${hours} h`) : (lang === 'ja' ? `${minutes}分` : `${minutes} min`);
  if (lang === 'ja') return overdue ? `${span}超過` : `あと${span}`;
  return overdue ? `${span} overdue` : `in ${span}`;
}
