import { INQUIRY_CATEGORIES, INQUIRY_STATUSES } from '@tsunagu/contracts';
import type { DomainException } from '@tsunagu/common';
import { html, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import { businessWords } from '../../compliance/inquiries/business-hours';
import type { InquiryView } from '../../compliance/inquiries/inquiries.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { INQUIRY_CATEGORY_LABELS, INQUIRY_STATUS_LABELS } from '../../portal/inquiry.messages';
import { adminPage, csrfField, dataTable, formatDate } from '../web/admin.layout';
import type { ComplianceArea } from './compliance-scope';

const t = {
  title: { ja: '問い合わせ', en: 'Inquiries' },
  lead: { ja: '県民等と職員からの問い合わせの受付簿です。対応時間は平日9時〜17時（日本時間）で数え、1営業日（8時間）を過ぎて未回答のものは赤く表示します。', en: 'Inquiries from residents and staff. Handling time counts weekdays 9:00–17:00 (Japan time); unanswered after one business day (8 hours) shows red.' },
  inbox: { ja: '受付一覧', en: 'Inbox' },
  none: { ja: '問い合わせはありません。', en: 'No inquiry.' },
  receipt: { ja: '受付番号', en: 'Receipt' },
  received: { ja: '受付日時', en: 'Received' },
  from: { ja: '差出人', en: 'From' },
  resident: { ja: '県民等', en: 'Resident' },
  residentSignedIn: { ja: '県民等（ログイン済み）', en: 'Resident (signed in)' },
  staff: { ja: '職員', en: 'Staff' },
  category: { ja: '種類', en: 'Category' },
  status: { ja: '状況', en: 'Status' },
  assignee: { ja: '担当', en: 'Assignee' },
  clock: { ja: '対応時間（平日9–17時）', en: 'Handling time (weekdays 9–17)' },
  overdue: { ja: '1営業日超過', en: 'over one business day' },
  desk: { ja: '宛先', en: 'Desk' },
  platform: { ja: '基盤の窓口', en: 'Platform desk' },
  message: { ja: '内容', en: 'Message' },
  contact: { ja: '連絡先', en: 'Contact' },
  name: { ja: '氏名', en: 'Name' },
  replies: { ja: '回答（ポータルに表示されます）', en: 'Answers (shown in the portal)' },
  reply: { ja: '回答を書く（HTMLは使えません）', en: 'Write an answer (no HTML)' },
  setStatus: { ja: '状況を変える', en: 'Change the status' },
  keep: { ja: '変えない', en: 'Keep' },
  assignTo: { ja: '担当者のログインID（自分: me）', en: 'Assignee login ID (yourself: me)' },
  save: { ja: '保存する', en: 'Save' },
  closedNote: { ja: 'この問い合わせは完了しています。', en: 'This inquiry is closed.' },
  ask: { ja: '基盤の窓口に問い合わせる（職員用）', en: 'Ask the platform desk (staff)' },
  send: { ja: '送信する', en: 'Send' },
  sent: { ja: '問い合わせを送信しました。受付番号: ', en: 'Inquiry sent. Receipt number: ' },
  saved: { ja: '保存しました。', en: 'Saved.' },
} satisfies Record<string, Msg>;
export { t as inquiryAdminText };

function from(lang: Lang, i: InquiryView): string {
  return i.row.source === 'staff' ? `${t.staff[lang]}${i.row.staff_login ? ` (${i.row.staff_login})` : ''}` : i.row.resident_id ? t.residentSignedIn[lang] : t.resident[lang];
}

function clock(lang: Lang, i: InquiryView): SafeHtml {
  return html`<span class="tag ${i.overdue ? 'tag-bad' : i.row.first_response_at ? 'tag-ok' : 'tag-warn'}" data-overdue="${String(i.overdue)}">${businessWords(lang, i.handlingMs)}${i.overdue ? ` ${t.overdue[lang]}` : ''}</span>`;
}

export function inquiriesPage(p: { lang: Lang; principal: AdminPrincipal; where: ComplianceArea; inquiries: InquiryView[]; notice?: string; error?: DomainException }): SafeHtml {
  const { lang, principal, where } = p;
  return adminPage({
    lang, title: t.title[lang], path: `${where.base}/inquiries`, principal, area: where.area, section: 'inquiries',
    body: html`<h1>${t.title[lang]}</h1><p>${t.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status" data-testid="inquiry-notice">${p.notice}</div>` : ''}
${p.error ? html`<div class="alert" role="alert">${p.error.bilingual[lang]}</div>` : ''}
<h2>${t.inbox[lang]}</h2>
${p.inquiries.length ? dataTable({
  label: t.inbox[lang], testId: 'inquiries',
  columns: [{ label: t.receipt[lang], mono: true }, { label: t.received[lang] }, { label: t.from[lang] }, { label: t.category[lang] }, { label: t.status[lang] }, { label: t.assignee[lang], mono: true }, { label: t.clock[lang] }],
  rows: p.inquiries.map((i) => ({
    data: { inquiry: i.row.receipt_no },
    cells: [html`<a href="${where.base}/inquiries/${i.row.id}">${i.row.receipt_no}</a>`, formatDate(lang, i.row.created_at), from(lang, i), INQUIRY_CATEGORY_LABELS[i.row.category][lang],
      INQUIRY_STATUS_LABELS[i.row.status][lang], i.row.assignee_login ?? '—', clock(lang, i)],
  })),
}) : html`<p>${t.none[lang]}</p>`}
${where.area === 'tenant' ? html`<h2>${t.ask[lang]}</h2>
<form method="post" action="${where.base}/inquiries" novalidate>${csrfField(principal)}
<label for="category">${t.category[lang]}</label><select id="category" name="category">${INQUIRY_CATEGORIES.map((c) => html`<option value="${c}">${INQUIRY_CATEGORY_LABELS[c][lang]}</option>`)}</select>
<label for="message">${t.message[lang]}</label><textarea id="message" name="message" rows="5" maxlength="2000" required></textarea>
<label for="contact">${t.contact[lang]}</label><input type="text" id="contact" name="contact" maxlength="200">
<div class="actions"><button class="button" type="submit">${t.send[lang]}</button></div></form>` : ''}`,
  });
}

export function inquiryPage(p: { lang: Lang; principal: AdminPrincipal; where: ComplianceArea; inquiry: InquiryView; notice?: string; error?: DomainException; values?: Record<string, string> }): SafeHtml {
  const { lang, principal, where, inquiry: i } = p;
  const r = i.row;
  return adminPage({
    lang, title: `${t.title[lang]} ${r.receipt_no}`, path: `${where.base}/inquiries/${r.id}`, principal, area: where.area, section: 'inquiries',
    body: html`<h1>${t.title[lang]} <span class="mono">${r.receipt_no}</span></h1>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.error ? html`<div class="alert" role="alert" data-testid="inquiry-error">${p.error.bilingual[lang]}</div>` : ''}
<dl class="props">
<dt>${t.received[lang]}</dt><dd>${formatDate(lang, r.created_at)}</dd>
<dt>${t.desk[lang]}</dt><dd>${r.tenant_name_ja ?? t.platform[lang]}</dd>
<dt>${t.from[lang]}</dt><dd>${from(lang, i)}</dd>
<dt>${t.name[lang]}</dt><dd>${r.name || '—'}</dd>
<dt>${t.contact[lang]}</dt><dd>${r.contact || '—'}</dd>
<dt>${t.category[lang]}</dt><dd>${INQUIRY_CATEGORY_LABELS[r.category][lang]}</dd>
<dt>${t.status[lang]}</dt><dd data-testid="inquiry-status">${INQUIRY_STATUS_LABELS[r.status][lang]}</dd>
<dt>${t.assignee[lang]}</dt><dd>${r.assignee_login ?? '—'}</dd>
<dt>${t.clock[lang]}</dt><dd>${clock(lang, i)}</dd>
</dl>
<h2>${t.message[lang]}</h2><p style="white-space:pre-wrap">${r.message}</p>
<h2>${t.replies[lang]}</h2>
${r.replies.length ? html`<ul>${r.replies.map((x) => html`<li><p class="hint">${formatDate(lang, x.created_at)} ${x.admin_login ?? ''}</p><p style="white-space:pre-wrap">${x.body}</p></li>`)}</ul>` : html`<p>—</p>`}
${r.status === 'closed' ? html`<p class="notice">${t.closedNote[lang]}</p>` : html`<form method="post" action="${where.base}/inquiries/${r.id}" novalidate data-testid="reply-form">${csrfField(principal)}
<label for="reply">${t.reply[lang]}</label><textarea id="reply" name="reply" rows="5" maxlength="2000">${p.values?.reply ?? ''}</textarea>
<label for="status">${t.setStatus[lang]}</label><select id="status" name="status"><option value="">${t.keep[lang]}</option>${INQUIRY_STATUSES.map((s) => html`<option value="${s}">${INQUIRY_STATUS_LABELS[s][lang]}</option>`)}</select>
<label for="assignee">${t.assignTo[lang]}</label><input type="text" id="assignee" name="assignee" maxlength="64" value="${p.values?.assignee ?? ''}">
<div class="actions"><button class="button" type="submit">${t.save[lang]}</button></div></form>`}`,
  });
}
