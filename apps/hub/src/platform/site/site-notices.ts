import { html, type Lang, type SafeHtml } from '@tsunagu/web';

/** What a platform notice announces: a planned stop, or the end of the platform's use (2-3(7)イ). */
export type PlatformNoticeKind = 'maintenance' | 'domain_end';

/** A platform notice as residents, staff and services are told about it. */
export interface PlatformNoticeView {
  id: string;
  kind: PlatformNoticeKind;
  /** A stop: when it starts. The domain end: when the platform's use ends. */
  startsAt: Date;
  /** A stop: when it ends. The domain end: until when the notice stays up after the end. */
  endsAt: Date;
  title: { ja: string; en: string };
  body: { ja: string; en: string };
  urgent: boolean;
  /** True while the stop is under way (or the domain has ended). */
  inProgress: boolean;
}

/** @deprecated name kept for the maintenance screens: every notice is a {@link PlatformNoticeView}. */
export type MaintenanceNoticeView = PlatformNoticeView;

export interface NoticeBoard {
  notices: PlatformNoticeView[];
  contact: { ja: string; en: string };
}

/**
 * What this process last read of the notices (MaintenanceNoticeService refreshes it every minute
 * and after each change, on every replica), so that every page shell can include the banner
 * without a query. It lives in `platform/` because the page shells do.
 */
let board: NoticeBoard = { notices: [], contact: { ja: '', en: '' } };

export function setNoticeBoard(next: NoticeBoard): void {
  board = next;
}

export function noticeBoard(): NoticeBoard {
  return board;
}

/** The path of the public notices page (every notice, and the domain-end notice's own section). */
export const NOTICES_PATH = '/notices';

function when(lang: Lang, start: Date, end: Date): string {
  const f = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  return `${f.format(start)} – ${f.format(end)}${lang === 'ja' ? '（日本時間）' : ' (Japan time)'}`;
}

function day(lang: Lang, at: Date): string {
  const f = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'long', timeZone: 'Asia/Tokyo' });
  return f.format(at);
}

const words = {
  heading: { ja: '計画停止のお知らせ', en: 'Planned maintenance' },
  under: { ja: '現在停止中', en: 'Under way now' },
  contact: { ja: 'お問い合わせ', en: 'Contact' },
  domainEnd: { ja: 'サービス終了のお知らせ', en: 'End of the service' },
  domainEndOn: { ja: 'このサービスは{d}をもって利用を終了します。', en: 'This service ends on {d}.' },
  more: { ja: '詳しく見る', en: 'Details' },
} as const;

/** Shown notices only: not over. */
function live(notices: PlatformNoticeView[], now = Date.now()): PlatformNoticeView[] {
  return notices.filter((n) => n.endsAt.getTime() > now);
}

/**
 * The planned-maintenance banner (empty when nothing is planned): every resident page shell and
 * the back office's include it. Pages that prefer data call `MaintenanceNoticeService.current()`.
 */
export function maintenanceBanner(lang: Lang, notices: PlatformNoticeView[] = board.notices): SafeHtml {
  const now = Date.now();
  const shown = live(notices, now).filter((n) => n.kind === 'maintenance');
  if (!shown.length) return html``;
  return html`<aside class="notice" role="note" aria-label="${words.heading[lang]}" data-testid="maintenance-notice">
<p><strong>${words.heading[lang]}</strong></p>
${shown.map((n) => html`<p><strong>${n.title[lang]}</strong>${n.startsAt.getTime() <= now ? html` <span class="tag">${words.under[lang]}</span>` : ''}<br>
${when(lang, n.startsAt, n.endsAt)}<br>${n.body[lang]}</p>`)}
${board.contact[lang] ? html`<p class="hint">${words.contact[lang]}: ${board.contact[lang]}</p>` : ''}
</aside>`;
}

/** The domain-end banner (2-3(7)イ: the end of the platform's use, announced six months ahead), linking to its page. */
export function domainEndBanner(lang: Lang, notices: PlatformNoticeView[] = board.notices): SafeHtml {
  const shown = live(notices).filter((n) => n.kind === 'domain_end');
  if (!shown.length) return html``;
  return html`${shown.map((n) => html`<aside class="alert" role="note" aria-label="${words.domainEnd[lang]}" data-testid="domain-end-notice">
<p><strong>${words.domainEnd[lang]}</strong>: ${words.domainEndOn[lang].replace('{d}', day(lang, n.startsAt))}</p>
<p>${n.title[lang]} <a href="${NOTICES_PATH}#domain-end">${words.more[lang]}</a></p>
</aside>`)}`;
}

/** Both banners, as page shells include them above the page's own content. */
export function platformNoticeBanners(lang: Lang, notices: PlatformNoticeView[] = board.notices): SafeHtml {
  return html`${domainEndBanner(lang, notices)}${maintenanceBanner(lang, notices)}`;
}

/** The notices page's body: the domain end first (its own section), then the planned stops. */
export function noticesPageBody(lang: Lang, notices: PlatformNoticeView[] = board.notices): SafeHtml {
  const shown = live(notices);
  const ends = shown.filter((n) => n.kind === 'domain_end');
  const stops = shown.filter((n) => n.kind === 'maintenance');
  const t = {
    title: { ja: 'お知らせ（計画停止・サービス終了）', en: 'Notices (planned stops, end of service)' },
    none: { ja: '現在、計画停止やサービス終了の予定はありません。', en: 'No planned stop or end of service is announced.' },
  };
  return html`<h1>${t.title[lang]}</h1>
${ends.length ? html`<section id="domain-end" data-testid="domain-end-page"><h2>${words.domainEnd[lang]}</h2>
${ends.map((n) => html`<div class="card"><p><strong>${words.domainEndOn[lang].replace('{d}', day(lang, n.startsAt))}</strong></p><h3>${n.title[lang]}</h3><p>${n.body[lang]}</p></div>`)}</section>` : ''}
${stops.length ? html`<section id="maintenance"><h2>${words.heading[lang]}</h2>
${stops.map((n) => html`<div class="card"><h3>${n.title[lang]}</h3><p>${when(lang, n.startsAt, n.endsAt)}</p><p>${n.body[lang]}</p></div>`)}</section>` : ''}
${!ends.length && !stops.length ? html`<p>${t.none[lang]}</p>` : ''}
${board.contact[lang] ? html`<p class="hint">${words.contact[lang]}: ${board.contact[lang]}</p>` : ''}`;
}

/** A notice as `GET /api/v1/notices` gives it to connected services (times in ISO 8601, UTC). */
export function platformNoticeJson(n: PlatformNoticeView): Record<string, unknown> {
  return {
    id: n.id, kind: n.kind, startsAt: n.startsAt.toISOString(), endsAt: n.endsAt.toISOString(), title: n.title, body: n.body,
    urgent: n.urgent, inProgress: n.inProgress,
  };
}
