import type { ErasureCertificateDocument } from '@tsunagu/contracts';
import { html, type SafeHtml } from '@tsunagu/web';
import { REASONS } from './erasure.messages';

const t = {
  title: { ja: '消去証明書', en: 'Erasure certificate' },
  number: { ja: '証明書番号', en: 'Certificate number' },
  issued: { ja: '発行日時', en: 'Issued' },
  issuer: { ja: '発行者', en: 'Issuer' },
  reason: { ja: '消去の理由', en: 'Reason' },
  requested: { ja: '退会（消去依頼）の日時', en: 'Requested' },
  pseudonym: { ja: '対象者（仮名ID）', en: 'Subject (pseudonym)' },
  request: { ja: '届出', en: 'Request' },
  erasedHeading: { ja: '消去した情報', en: 'Information erased' },
  medium: { ja: '媒体の名称', en: 'Medium' },
  responsible: { ja: '責任者', en: 'Responsible' },
  item: { ja: '情報の項目', en: 'Item' },
  count: { ja: '数量', en: 'Quantity' },
  method: { ja: '廃棄又は消去の方法', en: 'Method' },
  date: { ja: '廃棄又は消去の年月日', en: 'Date' },
  pending: { ja: '未完了（通知待ち）', en: 'Pending (not confirmed)' },
  retainedHeading: { ja: '保存する情報', en: 'Information kept' },
  basis: { ja: '根拠', en: 'Basis' },
  eraseBy: { ja: '予定される消去の年月日', en: 'To be erased by' },
  complete: { ja: 'すべての媒体で消去が完了しました。', en: 'Erasure is complete on every medium.' },
  incomplete: { ja: '一部の媒体で消去の完了が確認できていません（下記「未完了」）。', en: 'Erasure is not confirmed on some media (marked pending below).' },
  verify: {
    ja: 'この証明書はハブの鍵で署名されています。JSON ファイルを `npm run certificate:verify -- ファイル` で検証できます（改ざんがあれば検証に失敗します）。',
    en: 'This certificate is signed with the hub\'s keys. Verify the JSON file with `npm run certificate:verify -- FILE` (any alteration fails).',
  },
};

const css = `body{font-family:"Noto Sans JP","Hiragino Sans",sans-serif;margin:2rem;color:#111}h1{font-size:1.6rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #555;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}th{background:#eee}.en{color:#555;font-size:.8em}.mono{font-family:monospace;word-break:break-all}
@media print{body{margin:0}a{color:inherit}}`;

function date(value: string | null, withTime = true): string {
  if (!value) return '';
  return new Intl.DateTimeFormat('ja-JP', { dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: 'Asia/Tokyo' }).format(new Date(value));
}

const both = (text: { ja: string; en: string }): SafeHtml => html`${text.ja}<br><span class="en">${text.en}</span>`;

/**
 * The printable page of an erasure certificate (Japanese first, English beside): the same facts
 * as the signed JSON, which is what verifies. Shown to the resident and to admins.
 */
export function erasureCertificateDocument(doc: ErasureCertificateDocument): SafeHtml {
  const c = doc.certificate;
  return html`<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>${t.title.ja} ${c.certificateId}</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>${css}</style></head>
<body><main>
<h1>${t.title.ja} <span class="en">${t.title.en}</span></h1>
<table>
<tr><th>${both(t.number)}</th><td class="mono">${c.certificateId}</td></tr>
<tr><th>${both(t.issued)}</th><td>${date(c.issuedAt)}</td></tr>
<tr><th>${both(t.issuer)}</th><td class="mono">${c.issuer}</td></tr>
<tr><th>${both(t.reason)}</th><td>${both(REASONS[c.reason])}</td></tr>
<tr><th>${both(t.requested)}</th><td>${date(c.requestedAt)}</td></tr>
<tr><th>${both(t.pseudonym)}</th><td class="mono">${c.pseudonym}</td></tr>
${c.request ? html`<tr><th>${both(t.request)}</th><td>${c.request.requester} ／ ${c.request.document} ／ ${date(c.request.receivedOn, false)}</td></tr>` : ''}
</table>
<p><strong>${c.complete ? both(t.complete) : both(t.incomplete)}</strong></p>
<h2>${t.erasedHeading.ja} <span class="en">${t.erasedHeading.en}</span></h2>
<table>
<thead><tr><th>${both(t.medium)}</th><th>${both(t.responsible)}</th><th>${both(t.item)}</th><th>${both(t.count)}</th><th>${both(t.method)}</th><th>${both(t.date)}</th></tr></thead>
<tbody>${c.media.map((m) => {
    const items = m.items.length ? m.items : [{ item: '', name: { ja: '（該当なし）', en: '(none)' }, count: 0 }];
    return items.map((i, n) => html`<tr data-medium="${m.connectorId ?? 'hub'}">${n === 0 ? html`<td rowspan="${String(items.length)}">${both(m.name)}</td><td rowspan="${String(items.length)}">${both(m.responsible)}</td>` : ''}
<td>${both(i.name)}</td><td>${String(i.count)}</td>${n === 0 ? html`<td rowspan="${String(items.length)}">${both(m.method)}${m.followUp ? html`<p>${both(m.followUp)}</p>` : ''}</td><td rowspan="${String(items.length)}">${m.state === 'erased' ? date(m.erasedAt) : both(t.pending)}</td>` : ''}</tr>`);
  })}</tbody>
</table>
<h2>${t.retainedHeading.ja} <span class="en">${t.retainedHeading.en}</span></h2>
<table>
<thead><tr><th>${both(t.item)}</th><th>${both(t.count)}</th><th>${both(t.basis)}</th><th>${both(t.eraseBy)}</th></tr></thead>
<tbody>${c.retained.map((r) => html`<tr><td>${both(r.name)}</td><td>${String(r.count)}</td><td>${both(r.basis)}</td><td>${date(r.eraseBy, false)}</td></tr>`)}</tbody>
</table>
<p>${both(t.verify)}</p>
</main></body></html>`;
}
