/** Calendar helpers of the demo services (Japan time); the time source itself is `Clock` of @tsunagu/common. */

const tokyoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day (YYYY-MM-DD) of an instant in Japan, where every demo resident lives. */
export function tokyoDate(at: Date): string {
  return tokyoDay.format(at);
}

const JST_OFFSET_MS = 9 * 3_600_000;

/** The time of day (HH:MM, 24 h) of an instant in Japan (no daylight saving time there). */
export function tokyoTime(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(11, 16);
}

/** The instant a Japan calendar day (YYYY-MM-DD) begins. */
export function tokyoDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+09:00`);
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A date and time for screens, in Japan time. */
export function formatTokyoDateTime(at: Date, lang: 'ja' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(at);
}

/** A time of day for screens, in Japan time. */
export function formatTokyoTime(at: Date, lang: 'ja' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit' }).format(at);
}
