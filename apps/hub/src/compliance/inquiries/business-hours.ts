const HOUR = 3_600_000;
const JST = 9 * HOUR;

/** The handling hours of the inquiry desk: weekdays 9:00–17:00 Japan time (8 hours a day). */
export const BUSINESS_START_HOUR = 9;
export const BUSINESS_END_HOUR = 17;
/** A first answer is expected within one business day (8 handling hours). */
export const RESPONSE_TARGET_MS = (BUSINESS_END_HOUR - BUSINESS_START_HOUR) * HOUR;

/**
 * Handling time between two instants: only weekdays 9:00–17:00 Japan time count (national
 * holidays are not known to the software and count as weekdays; the manual says so).
 */
export function businessMsBetween(from: Date, to: Date): number {
  if (to <= from) return 0;
  let total = 0;
  // Walk Japan-time days: at most a few hundred iterations for the ages of open inquiries.
  let dayStart = Math.floor((from.getTime() + JST) / (24 * HOUR)) * 24 * HOUR - JST;
  for (; dayStart < to.getTime(); dayStart += 24 * HOUR) {
    const weekday = new Date(dayStart + JST).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const open = dayStart + BUSINESS_START_HOUR * HOUR;
    const close = dayStart + BUSINESS_END_HOUR * HOUR;
    total += Math.max(0, Math.min(close, to.getTime()) - Math.max(open, from.getTime()));
  }
  return total;
}

/** Handling time in words: `3時間20分` / `3 h 20 min`. */
export function businessWords(lang: 'ja' | 'en', ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return lang === 'ja' ? `${h}時間${m}分` : `${h} h ${m} min`;
}
