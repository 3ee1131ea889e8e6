import type { Lang } from '@tsunagu/web';
import { html, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import type { DepartureStatus } from '../../lifecycle/departure/departure.service';
import type { ErasureTargetRow } from '../../lifecycle/departure/departure.repository';
import { adminPage, csrfField, formatDate } from '../web/admin.layout';

const t = {
  title: { ja: '消去証明書', en: 'Erasure certificates' },
  lookupLead: {
    ja: '退会した住民の消去証明書を、証明書番号で表示します（あなたの団体のコネクタに消去を依頼したものに限ります）。',
    en: 'Shows the erasure certificate of a departed resident by its number (only those that asked a connector of your body to erase).',
  },
  number: { ja: '証明書番号', en: 'Certificate number' },
  show: { ja: '表示する', en: 'Show' },
  pendingHeading: { ja: '完了の通知がない消去依頼', en: 'Erasure requests not confirmed' },
  pendingLead: { ja: 'ハブは通知があるまで依頼の送信を続けます。長く続く場合は、コネクタと各サービスの担当者に連絡してください。', en: 'The hub keeps sending them until confirmed. If one lasts, contact the connector\'s and the service\'s operators.' },
  none: { ja: 'ありません。', en: 'None.' },
  service: { ja: 'サービス（コネクタ）', en: 'Service (connector)' },
  responsible: { ja: '責任者', en: 'Responsible' },
  since: { ja: '退会の日時', en: 'Left at' },
  attempts: { ja: '送信回数', en: 'Tries' },
  deceasedTitle: { ja: '死亡の届出による消去', en: 'Erasure on notice of death' },
  deceasedLead: {
    ja: '届出（届出人・確認した書類・受付日）にもとづき、住民のアカウントを退会と同じ手順で削除し、各サービスに消去を依頼します。消去証明書は届出人のために保存されます。この操作は取り消せません。',
    en: 'On a documented request (requester, document seen, date received), the resident\'s account is deleted as for leaving and every service is asked to erase. The certificate is kept for the requester. This cannot be undone.',
  },
  commonId: { ja: '共通ID（16桁）', en: 'Common ID (16 digits)' },
  requester: { ja: '届出人（氏名・続柄）', en: 'Requester (name, relation)' },
  document: { ja: '確認した書類', en: 'Document seen' },
  receivedOn: { ja: '受付日（YYYY-MM-DD）', en: 'Received on (YYYY-MM-DD)' },
  confirm: { ja: '届出の内容を確認しました。この操作は取り消せないことを理解しました。', en: 'I have checked the request and understand this cannot be undone.' },
  submit: { ja: '消去する', en: 'Erase' },
  recorded: { ja: '届出を受け付け、消去を開始しました。', en: 'The request is recorded and the erasure has started.' },
  departure: { ja: '手続きの番号', en: 'Departure' },
  certificateLater: { ja: '消去証明書は、各サービスの完了通知がそろうと発行されます（遅くとも {at}）。この画面の「完了の通知がない消去依頼」で状況を確認できます。', en: 'The certificate is issued once every service has confirmed (at the latest {at}); follow it under "Erasure requests not confirmed".' },
};

export function certificatesPage(p: { lang: Lang; principal: AdminPrincipal; area: 'tenant' | 'system'; base: string; pending?: (ErasureTargetRow & { departure_id: string; committed_at: Date })[] }): SafeHtml {
  const { lang } = p;
  return adminPage({
    lang, title: t.title[lang], path: `${p.base}/erasure-certificates`, principal: p.principal, area: p.area,
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lookupLead[lang]}</p>
<form method="get" action="${p.base}/erasure-certificates/lookup"><label>${t.number[lang]} <input name="id" maxlength="36" required pattern="[0-9a-fA-F-]{36}"></label> <button class="button" type="submit">${t.show[lang]}</button></form>
${p.pending ? html`<h2>${t.pendingHeading[lang]}</h2><p>${t.pendingLead[lang]}</p>
${p.pending.length ? html`<table><thead><tr><th>${t.service[lang]}</th><th>${t.responsible[lang]}</th><th>${t.since[lang]}</th><th>${t.attempts[lang]}</th></tr></thead><tbody>
${p.pending.map((r) => html`<tr data-departure="${r.departure_id}" data-connector="${r.connector_id}"><td>${lang === 'ja' ? r.service_name_ja : r.service_name_en}（${r.connector_name}）</td><td>${lang === 'ja' ? r.tenant_name_ja : r.tenant_name_en}</td><td>${formatDate(lang, r.committed_at)}</td><td>${String(r.attempts ?? 0)}</td></tr>`)}
</tbody></table>` : html`<p>${t.none[lang]}</p>`}
<p><a href="/system/deceased">${t.deceasedTitle[lang]}</a></p>` : ''}`,
  });
}

export function deceasedPage(p: { lang: Lang; principal: AdminPrincipal; status?: DepartureStatus }): SafeHtml {
  const { lang, principal } = p;
  const field = (name: string, label: string, extra = '') => html`<p><label>${label}<br><input name="${name}" required ${extra}></label></p>`;
  return adminPage({
    lang, title: t.deceasedTitle[lang], path: '/system/deceased', principal, area: 'system',
    body: html`<h1>${t.deceasedTitle[lang]}</h1>
${p.status ? html`<p class="alert" role="status" data-departure="${p.status.departureId}">${t.recorded[lang]} ${t.departure[lang]}: <span class="mono">${p.status.departureId}</span></p>
<p>${t.certificateLater[lang].replace('{at}', formatDate(lang, p.status.certifyAfter))}</p>` : ''}
<p>${t.deceasedLead[lang]}</p>
<form method="post" action="/system/deceased">${csrfField(principal)}
${field('commonId', t.commonId[lang], 'inputmode="numeric" maxlength="16"')}
${field('requester', t.requester[lang], 'maxlength="200"')}
${field('document', t.document[lang], 'maxlength="500"')}
${field('receivedOn', t.receivedOn[lang], 'maxlength="10" placeholder="2026-12-01"')}
<p><label><input type="checkbox" name="confirm" value="yes" required> ${t.confirm[lang]}</label></p>
<div class="actions"><button class="button danger" type="submit">${t.submit[lang]}</button></div>
</form>`,
  });
}
