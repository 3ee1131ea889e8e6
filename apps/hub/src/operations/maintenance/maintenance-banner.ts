import { html, type Lang, type SafeHtml } from '@tsunagu/web';

/** A planned stop as residents are told about it. */
export interface MaintenanceNoticeView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  title: { ja: string; en: string };
  body: { ja: string; en: string };
  urgent: boolean;
  /** True while the stop is under way. */
  inProgress: boolean;
}

interface Board {
  notices: MaintenanceNoticeView[];
  contact: { ja: string; en: string };
}

/**
 * What this process last read of the notices (MaintenanceNoticeService refreshes it every minute
 * and after each change, on every replica), so that pages can include the banner without a query.
 */
let board: Board = { notices: [], contact: { ja: '', en: '' } };

export function setMaintenanceBoard(next: Board): void {
  board = next;
}

function when(lang: Lang, start: Date, end: Date): string {
  const f = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  return `${f.format(start)} – ${f.format(end)}${lang === 'ja' ? '（日本時間）' : ' (Japan time)'}`;
}

/**
 * The planned-maintenance banner for resident pages (empty when nothing is planned):
 * `${maintenanceBanner(lang)}` in a page body. Pages that prefer data call
 * `MaintenanceNoticeService.current()` instead.
 */
export function maintenanceBanner(lang: Lang, notices: MaintenanceNoticeView[] = board.notices): SafeHtml {
  const now = Date.now();
  const shown = notices.filter((n) => n.endsAt.getTime() > now);
  if (!shown.length) return html``;
  const heading = { ja: '計画停止のお知らせ', en: 'Planned maintenance' };
  const under = { ja: '現在停止中', en: 'Under way now' };
  const contact = { ja: 'お問い合わせ', en: 'Contact' };
  return html`<aside class="notice" role="note" aria-label="${heading[lang]}" data-testid="maintenance-notice">
<p><strong>${heading[lang]}</strong></p>
${shown.map((n) => html`<p><strong>${n.title[lang]}</strong>${n.startsAt.getTime() <= now ? html` <span class="tag">${under[lang]}</span>` : ''}<br>
${when(lang, n.startsAt, n.endsAt)}<br>${n.body[lang]}</p>`)}
${board.contact[lang] ? html`<p class="hint">${contact[lang]}: ${board.contact[lang]}</p>` : ''}
</aside>`;
}
