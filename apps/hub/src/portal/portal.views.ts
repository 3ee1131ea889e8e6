import type { ConsentHistoryView, ConsentState, ConsentView, DataUseView, ProvisionView, ReceiptEnvelope } from '@tsunagu/contracts';
import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import { linksTable } from './account.views';
import type { ResidentLinkRow } from '../links/links.repository';
import { formatDate, portalPage } from './portal.layout';

const t = {
  dataUsesTitle: { ja: 'データ利用の依頼', en: 'Requests for your data' },
  dataUsesLead: {
    ja: 'サービスがあなたのデータを使いたいという依頼です。同意しない限り、データは提供されません。同意は項目ごとに選べ、いつでも撤回できます。',
    en: 'Services asking to use your data. Nothing is shared unless you agree. You choose the items, and you can withdraw at any time.',
  },
  noDataUses: { ja: '現在、依頼はありません。', en: 'There are no requests at the moment.' },
  review: { ja: '内容を確認する', en: 'Review' },
  from: { ja: '依頼元', en: 'From' },
  who: { ja: 'データを受け取るサービス', en: 'Who receives the data' },
  controller: { ja: '個人情報の取扱責任者・連絡先', en: 'Responsible for your data, and contact' },
  why: { ja: '利用目的', en: 'Why (purpose)' },
  what: { ja: '提供するデータ（チェックを外した項目は提供されません）', en: 'What is shared (unticked items are not shared)' },
  heldBy: { ja: '提供元', en: 'Held by' },
  specialCare: { ja: '要配慮個人情報', en: 'Special care-required information' },
  howLong: { ja: '期間', en: 'How long' },
  retention: { ja: '受け取ったデータの保存期間: {n}日', en: 'The recipient keeps the data for {n} days' },
  validity: { ja: '同意の有効期間: {n}日（期間が過ぎると、改めて確認します）', en: 'Your consent is valid for {n} days (you will be asked again after that)' },
  validityOpen: { ja: '同意の有効期間: 撤回するまで', en: 'Your consent is valid until you withdraw it' },
  withdraw: { ja: '撤回の方法', en: 'How to withdraw' },
  withdrawHow: {
    ja: 'このページまたは「同意の管理」の「同意を撤回する」ボタンで、いつでも撤回できます。撤回した時点から、データは提供されません。',
    en: 'Press "Withdraw consent" on this page or under "My consents" at any time. From then on, no data is provided.',
  },
  privacyNotice: { ja: 'プライバシーポリシー（外部サイト）', en: 'Privacy notice (external site)' },
  lawfulBasis: {
    ja: 'この提供は、個人情報保護法に基づき、あなたの同意によって行われる第三者提供です。同意の記録（レシート）は電子署名付きで保存され、いつでも確認・ダウンロードできます。',
    en: 'This is a provision to a third party based on your consent under the Act on the Protection of Personal Information. A signed record (receipt) of your decision is kept and can be viewed and downloaded at any time.',
  },
  agree: { ja: '同意する', en: 'Agree' },
  update: { ja: 'この内容で同意を更新する', en: 'Update my consent' },
  agreeAgain: { ja: '新しい条件で同意する', en: 'Agree to the new terms' },
  decline: { ja: '同意しない', en: 'Do not agree' },
  withdrawButton: { ja: '同意を撤回する', en: 'Withdraw consent' },
  declined: { ja: '同意しませんでした。データは提供されません。', en: 'You did not agree. No data will be shared.' },
  given: { ja: '同意しました。同意の記録（レシート）を発行しました。', en: 'You agreed. A signed consent receipt was issued.' },
  withdrawnDone: { ja: '同意を撤回しました。今後、データは提供されません。', en: 'Your consent was withdrawn. No data will be shared from now on.' },
  currentState: { ja: '現在の状態', en: 'Current status' },
  consentsTitle: { ja: '同意の管理', en: 'My consents' },
  consentsLead: { ja: 'これまでの同意と、その変更の履歴です。各変更には電子署名付きの記録（レシート）があります。', en: 'Your consents and every change to them. Each change has a signed record (receipt).' },
  noConsents: { ja: 'まだ同意したデータ利用はありません。', en: 'You have not agreed to any data use yet.' },
  items: { ja: '項目', en: 'Items' },
  validUntil: { ja: '有効期限', en: 'Valid until' },
  untilWithdrawn: { ja: '撤回まで', en: 'Until withdrawn' },
  updatedAt: { ja: '最終更新', en: 'Last change' },
  details: { ja: '履歴と記録を見る', en: 'History and receipts' },
  downloadChain: { ja: 'すべての同意の記録をダウンロード（JSON）', en: 'Download all consent receipts (JSON)' },
  chainHint: { ja: 'ダウンロードした記録は、誰でも署名と改ざんの有無を確認できます（操作マニュアル参照）。', en: 'Anyone can check the signatures and that nothing was altered or removed (see the manual).' },
  history: { ja: '変更履歴', en: 'History' },
  version: { ja: '版', en: 'Version' },
  event: { ja: '出来事', en: 'Event' },
  date: { ja: '日時', en: 'Date' },
  receipt: { ja: '記録', en: 'Receipt' },
  viewReceipt: { ja: '記録を見る', en: 'View receipt' },
  change: { ja: '内容を確認・変更する', en: 'Review or change' },
  receiptTitle: { ja: '同意の記録（コンセントレシート）', en: 'Consent receipt' },
  receiptLead: {
    ja: 'この記録は連携基盤が電子署名したもので、ISO/IEC TS 27560 の同意記録の項目を含みます。印刷はブラウザの印刷機能をお使いください。',
    en: 'This record is signed by the platform and carries the fields of an ISO/IEC TS 27560 consent record. Use your browser\'s print function to print it.',
  },
  download: { ja: 'JSONでダウンロード', en: 'Download as JSON' },
  backToHistory: { ja: '履歴に戻る', en: 'Back to the history' },
  recordId: { ja: '記録ID', en: 'Record ID' },
  issuedAt: { ja: '記録日時', en: 'Recorded at' },
  principal: { ja: 'あなたを表す番号（提供先サービスでの番号）', en: 'You, as the recipient knows you' },
  principalHint: { ja: '共通IDではなく、このサービス専用の番号です。', en: 'Not your common ID: a number only this service sees.' },
  consentRef: { ja: '同意ID・版', en: 'Consent ID and version' },
  collection: { ja: '記録の方法', en: 'How it was recorded' },
  processing: { ja: 'データの取扱い', en: 'Processing' },
  basis: { ja: '法的根拠', en: 'Lawful basis' },
  chain: { ja: '記録の連鎖', en: 'Chain' },
  chainText: { ja: 'あなたの {n} 番目の記録。前の記録のハッシュ: {h}', en: 'Your receipt no. {n}. Hash of the previous one: {h}' },
  none: { ja: 'なし（最初の記録）', en: 'none (first receipt)' },
  signature: { ja: '電子署名（JWS）', en: 'Signature (JWS)' },
  provisionsTitle: { ja: '提供記録（誰がデータを受け取ったか）', en: 'Who received my data' },
  provisionsLead: { ja: 'あなたの同意に基づいて、サービス間でデータが提供された記録です。連携基盤はデータの中身を保持せず、いつ・どこから・どこへ・どの項目が提供されたかだけを記録します。', en: 'Every time data was passed between services under your consent. The platform never keeps the data itself, only when, from whom, to whom and which items.' },
  noProvisions: { ja: 'まだ提供記録はありません。データが提供されると、ここに日時・提供元・提供先・項目が表示されます。', en: 'Nothing has been provided yet. When data is provided, the date, provider, recipient and items appear here.' },
  provider: { ja: '提供元', en: 'From' },
  consumer: { ja: '提供先', en: 'To' },
  outcome: { ja: '結果', en: 'Result' },
  provided: { ja: '提供済み', en: 'Provided' },
  refused: { ja: '提供を拒否', en: 'Refused' },
  linksTitle: { ja: '連携サービス', en: 'Linked services' },
  linksLead: { ja: 'Tottori ID と会員番号（個別ID）を連携しているサービスです。連携を解除すると、サービス間でのデータ提供にあなたの会員番号が使われなくなります。', en: 'Services whose member number (local ID) is linked to your Tottori ID. Once unlinked, your member number is no longer used for exchanges between services.' },
  unlinked: { ja: '連携を解除しました。', en: 'The link was removed.' },
  method: { 'portal-form': { ja: 'ポータルの画面', en: 'Portal page' }, 'portal-api': { ja: 'ポータルのアプリ（API）', en: 'Portal app (API)' }, system: { ja: '連携基盤による自動記録', en: 'Recorded by the platform' } },
};

const stateLabels: Record<ConsentState | 'none', { ja: string; en: string }> = {
  active: { ja: '同意中', en: 'Agreed' },
  withdrawn: { ja: '撤回済み', en: 'Withdrawn' },
  expired: { ja: '期限切れ', en: 'Expired' },
  paused: { ja: '一時停止（再確認が必要）', en: 'Paused (decide again)' },
  none: { ja: '未回答', en: 'Not answered' },
};

const eventLabels: Record<string, { ja: string; en: string }> = {
  given: { ja: '同意', en: 'Consent given' },
  withdrawn: { ja: '撤回', en: 'Withdrawn' },
  expired: { ja: '期限切れ', en: 'Expired' },
  paused: { ja: '一時停止（条件の変更）', en: 'Paused (terms changed)' },
};

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));

function stateTag(lang: Lang, consent: ConsentView | null): SafeHtml {
  const state = consent ? (consent.needsReconsent ? 'paused' : consent.state) : 'none';
  return html`<span class="tag tag-${state}" data-state="${state}">${stateLabels[state][lang]}</span>`;
}

function itemNames(lang: Lang, dataUse: DataUseView, codes: string[]): string {
  return codes.map((code) => dataUse.items.find((i) => i.code === code)?.name[lang] ?? code).join(lang === 'ja' ? '、' : ', ');
}

/** A parenthetical in the page's typography: full-width in Japanese. */
function paren(lang: Lang, text: string): string {
  return lang === 'ja' ? `（${text}）` : ` (${text})`;
}

function notice(text: string | undefined, kind: 'notice' | 'success' = 'notice'): SafeHtml | '' {
  return text ? html`<div class="${kind}" role="status">${text}</div>` : '';
}

/**
 * The withdraw button of a consent. `expectedVersion` is the version the resident saw, so that a
 * withdrawal never applies to terms changed meanwhile.
 */
function withdrawForm(consentId: string, csrf: string, expectedVersion: string | number, label: string): SafeHtml {
  return html`<form method="post" action="/portal/consents/${consentId}/withdraw"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="expectedVersion" value="${expectedVersion}"><button class="button" type="submit" data-action="withdraw">${label}</button></form>`;
}

export function dataUsesPage(p: { lang: Lang; entries: { dataUse: DataUseView; consent: ConsentView | null }[]; notice?: string }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: t.dataUsesTitle[lang], path: '/portal/data-uses', section: 'data-uses',
    body: html`<h1>${t.dataUsesTitle[lang]}</h1>
${notice(p.notice)}
<p>${t.dataUsesLead[lang]}</p>
${p.entries.length === 0 ? html`<p>${t.noDataUses[lang]}</p>` : html`<ul class="cards">${p.entries.map(({ dataUse, consent }) => html`<li class="card" data-data-use="${dataUse.code}">
${stateTag(lang, consent)}
<h2>${dataUse.title[lang]}</h2>
<p>${t.from[lang]}: ${dataUse.consumer.name[lang]}</p>
<p>${t.items[lang]}: ${itemNames(lang, dataUse, dataUse.items.map((i) => i.code))}</p>
<a class="button secondary" href="/portal/data-uses/${dataUse.code}">${t.review[lang]}<span class="visually-hidden">: ${dataUse.title[lang]}</span></a>
</li>`)}</ul>`}`,
  });
}

/** The opt-in screen: who, what (each item a checkbox), why, how long, how to withdraw; agree and decline side by side. */
export function dataUsePage(p: { lang: Lang; dataUse: DataUseView; consent: ConsentView | null; csrf: string; notice?: string }): SafeHtml {
  const { lang, dataUse: u, consent } = p;
  const active = consent?.state === 'active' && !consent.needsReconsent;
  const open = consent && (consent.state === 'active' || consent.state === 'paused');
  const selected = (code: string) => (active ? consent.items.includes(code) : true);
  const agreeLabel = active ? t.update[lang] : consent?.needsReconsent ? t.agreeAgain[lang] : t.agree[lang];
  const expected = String(consent?.version ?? 0);
  return portalPage({
    lang, title: u.title[lang], path: `/portal/data-uses/${u.code}`, section: 'data-uses',
    body: html`<h1>${u.title[lang]}</h1>
${notice(p.notice, 'success')}
<p>${t.currentState[lang]}: ${stateTag(lang, consent)}${consent ? html` <a href="/portal/consents/${consent.consentId}">${t.details[lang]}</a>` : ''}</p>
<dl class="terms">
<dt>${t.who[lang]}</dt><dd>${u.consumer.name[lang]}</dd>
<dt>${t.controller[lang]}</dt><dd>${u.controller.name[lang]}<br><span class="mono">${u.controller.contact}</span></dd>
<dt>${t.why[lang]}</dt><dd>${u.purpose.description[lang]}</dd>
<dt>${t.howLong[lang]}</dt><dd>${fill(t.retention[lang], { n: u.retentionDays })}<br>${u.consentValidDays ? fill(t.validity[lang], { n: u.consentValidDays }) : t.validityOpen[lang]}</dd>
<dt>${t.withdraw[lang]}</dt><dd>${t.withdrawHow[lang]}</dd>
</dl>
<p>${/^https?:\/\//.test(u.privacyNoticeUrl) ? html`<a href="${u.privacyNoticeUrl}" rel="noopener">${t.privacyNotice[lang]}</a>` : html`${t.privacyNotice[lang]}: <span class="mono">${u.privacyNoticeUrl}</span>`}</p>
<p class="hint">${t.lawfulBasis[lang]}</p>
<form id="consent-form" method="post" action="/portal/data-uses/${u.code}/consent">
<input type="hidden" name="csrf" value="${p.csrf}">
<input type="hidden" name="expectedVersion" value="${expected}">
<fieldset>
<legend>${t.what[lang]}</legend>
${u.items.map((item) => html`<label class="check" for="item-${item.code}">
<input type="checkbox" id="item-${item.code}" name="items" value="${item.code}"${selected(item.code) ? raw(' checked') : ''}>
<span><strong>${item.name[lang]}</strong>${item.description[lang]}<br><span class="hint">${t.heldBy[lang]}: ${item.provider.name[lang]}</span>
${item.specialCare ? html`<br><span class="tag tag-paused">${t.specialCare[lang]}</span>` : ''}</span>
</label>`)}
</fieldset>
</form>
<div class="choice">
<button class="button" type="submit" form="consent-form" data-action="agree">${agreeLabel}</button>
${open
    ? withdrawForm(consent.consentId, p.csrf, expected, active ? t.withdrawButton[lang] : t.decline[lang])
    : html`<form method="post" action="/portal/data-uses/${u.code}/decline"><input type="hidden" name="csrf" value="${p.csrf}"><button class="button" type="submit" data-action="decline">${t.decline[lang]}</button></form>`}
</div>`,
  });
}

export function consentsPage(p: { lang: Lang; entries: { dataUse: DataUseView; consent: ConsentView | null }[] }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: t.consentsTitle[lang], path: '/portal/consents', section: 'consents',
    body: html`<h1>${t.consentsTitle[lang]}</h1>
<p>${t.consentsLead[lang]}</p>
${p.entries.length === 0 ? html`<p>${t.noConsents[lang]}</p>` : html`<ul class="cards">${p.entries.map(({ dataUse, consent }) => html`<li class="card" data-consent="${consent!.consentId}">
${stateTag(lang, consent)}
<h2>${dataUse.title[lang]}</h2>
<p>${t.consumer[lang]}: ${dataUse.consumer.name[lang]}<br>
${t.items[lang]}: ${itemNames(lang, dataUse, consent!.items)}<br>
${t.validUntil[lang]}: ${consent!.state === 'active' ? (consent!.validUntil ? formatDate(lang, consent!.validUntil, false) : t.untilWithdrawn[lang]) : '—'}<br>
${t.updatedAt[lang]}: ${formatDate(lang, consent!.createdAt)}</p>
<a class="button secondary" href="/portal/consents/${consent!.consentId}">${t.details[lang]}<span class="visually-hidden">: ${dataUse.title[lang]}</span></a>
</li>`)}</ul>
<p><a href="/portal/receipts/chain.json" download>${t.downloadChain[lang]}</a></p>
<p class="hint">${t.chainHint[lang]}</p>`}`,
  });
}

export function consentPage(p: { lang: Lang; history: ConsentHistoryView; csrf: string; notice?: string }): SafeHtml {
  const { lang, history } = p;
  const u = history.dataUse;
  const current = history.current;
  const open = current.state === 'active' || current.state === 'paused';
  return portalPage({
    lang, title: u.title[lang], path: `/portal/consents/${history.consentId}`, section: 'consents',
    body: html`<h1>${u.title[lang]}</h1>
${notice(p.notice, 'success')}
<p>${t.currentState[lang]}: ${stateTag(lang, current)}</p>
<p>${t.consumer[lang]}: ${u.consumer.name[lang]}<br>${t.items[lang]}: ${itemNames(lang, u, current.items)}</p>
<div class="choice">
<a class="button" href="/portal/data-uses/${u.code}">${t.change[lang]}</a>
${open ? withdrawForm(history.consentId, p.csrf, current.version, t.withdrawButton[lang]) : ''}
</div>
<h2>${t.history[lang]}</h2>
<div class="table-wrap"><table class="history" data-testid="history">
<thead><tr><th scope="col">${t.version[lang]}</th><th scope="col">${t.event[lang]}</th><th scope="col">${t.items[lang]}</th><th scope="col">${t.date[lang]}</th><th scope="col">${t.receipt[lang]}</th></tr></thead>
<tbody>${history.versions.map((v) => html`<tr data-version="${v.version}" data-state="${v.state}">
<td>${v.version}</td><td>${eventLabels[v.event][lang]}</td><td>${itemNames(lang, u, v.items)}</td><td>${formatDate(lang, v.createdAt)}</td>
<td><a href="/portal/receipts/${v.receiptId}">${t.viewReceipt[lang]}<span class="visually-hidden"> (${t.version[lang]} ${v.version})</span></a></td>
</tr>`)}</tbody></table></div>`,
  });
}

/** A receipt as a page people can read and print; the JWS is there for whoever wants to verify it. */
export function receiptPage(p: { lang: Lang; envelope: ReceiptEnvelope }): SafeHtml {
  const { lang } = p;
  const r = p.envelope.receipt;
  const row = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return portalPage({
    lang, title: t.receiptTitle[lang], path: `/portal/receipts/${r.recordId}`, section: 'consents',
    body: html`<h1>${t.receiptTitle[lang]}</h1>
<p class="hint">${t.receiptLead[lang]}</p>
<div class="card" data-testid="receipt">
<p><span class="tag tag-${r.event.state}">${eventLabels[r.event.type][lang]}</span></p>
<dl class="terms">
${row(t.issuedAt[lang], formatDate(lang, r.timestamp))}
${row(t.who[lang], r.recipients.map((x) => x.name).join(lang === 'ja' ? '、' : ', '))}
${row(t.controller[lang], html`${r.controllers.map((c) => html`${c.name}<br><span class="mono">${c.contact}</span>`)}`)}
${row(t.why[lang], html`${r.purposes.map((x) => html`${x.description} <span class="hint">(${x.code})</span>`)}`)}
${row(t.items[lang], html`<ul>${r.dataItems.map((i) => html`<li>${i.name}${paren(lang, `${t.heldBy[lang]}: ${i.source.name}`)}${i.specialCare ? html` <span class="tag tag-paused">${t.specialCare[lang]}</span>` : ''}</li>`)}</ul>`)}
${row(t.howLong[lang], html`${fill(t.retention[lang], { n: r.retention.days })}<br>${formatDate(lang, r.event.validFrom, false)} – ${r.event.validUntil ? formatDate(lang, r.event.validUntil, false) : t.untilWithdrawn[lang]}`)}
${row(t.basis[lang], html`${r.purposes[0].lawfulBasis.description}${paren(lang, `APPI ${r.purposes[0].lawfulBasis.article}`)}`)}
${row(t.processing[lang], html`${r.processing.map((x) => html`${x.description}<br>`)}`)}
${row(t.withdraw[lang], r.withdrawal.description)}
${row(t.privacyNotice[lang], html`<span class="mono">${r.privacyNotice.url}</span>`)}
${row(t.principal[lang], html`<span class="mono">${r.principal.id}</span><br><span class="hint">${t.principalHint[lang]}</span>`)}
${row(t.consentRef[lang], html`<span class="mono">${r.consent.id}</span> / ${r.consent.version}`)}
${row(t.collection[lang], t.method[r.collectionMethod][lang])}
${row(t.recordId[lang], html`<span class="mono">${r.recordId}</span>`)}
${row(t.chain[lang], fill(t.chainText[lang], { n: r.chain.sequence, h: r.chain.previousReceiptHash ?? t.none[lang] }))}
</dl>
<details><summary>${t.signature[lang]}</summary><pre class="jws">${p.envelope.jws}</pre></details>
</div>
<div class="actions">
<a class="button" href="/portal/receipts/${r.recordId}/download" download>${t.download[lang]}</a>
<a class="button secondary" href="/portal/consents/${r.consent.id}">${t.backToHistory[lang]}</a>
</div>`,
  });
}

export function provisionsPage(p: { lang: Lang; provisions: ProvisionView[] }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: t.provisionsTitle[lang], path: '/portal/provisions', section: 'provisions',
    body: html`<h1>${t.provisionsTitle[lang]}</h1>
<p>${t.provisionsLead[lang]}</p>
${p.provisions.length === 0 ? html`<p class="notice" data-testid="no-provisions">${t.noProvisions[lang]}</p>` : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${t.date[lang]}</th><th scope="col">${t.provider[lang]}</th><th scope="col">${t.consumer[lang]}</th><th scope="col">${t.items[lang]}</th><th scope="col">${t.outcome[lang]}</th></tr></thead>
<tbody>${p.provisions.map((x) => html`<tr><td>${formatDate(lang, x.occurredAt)}</td><td>${x.provider.name[lang]}</td><td>${x.consumer.name[lang]}</td>
<td>${x.items.join(', ')}<br><a href="/portal/consents/${x.consentId}" class="hint">${t.details[lang]}</a></td><td>${x.outcome === 'provided' ? t.provided[lang] : t.refused[lang]}</td></tr>`)}</tbody></table></div>`}`,
  });
}

export function linksPage(p: { lang: Lang; links: ResidentLinkRow[]; csrf: string; notice?: boolean }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: t.linksTitle[lang], path: '/portal/links', section: 'links',
    body: html`<h1>${t.linksTitle[lang]}</h1>
${notice(p.notice ? t.unlinked[lang] : undefined)}
<p>${t.linksLead[lang]}</p>
${linksTable(lang, p.links, p.csrf, '/portal/links')}`,
  });
}

export const portalText = t;
