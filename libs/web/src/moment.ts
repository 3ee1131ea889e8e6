import type { Lang } from './lang';

/**
 * A moment to the second, in Japan's time: when a withdrawal was enforced, or by when it will be
 * at the latest (the portal and the admin screens say the same moment the same way).
 */
export function formatMoment(lang: Lang, value: string | Date): string {
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Tokyo' }).format(new Date(value));
}
