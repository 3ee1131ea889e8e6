import type { IncidentNoticeView } from './portal-notices.service';
import {
  CONSENT_CHANGE_REASON_LABELS, type ConsentChangeReason, type ConsentEnforcementView, type ConsentHistoryView, type ConsentView, CONTROLLER_TYPES, type DataUseView, type ErrorBody,
  type PortalNoticeView, PROVISION_OUTCOME_LABELS, PROVISION_RECEIPT_LABELS, PURPOSE_CATEGORIES, type ProvisionView, type ReceiptEnvelope, type TermsChangeView,
} from '@tsunagu/contracts';
import { dataTable, formatMoment, html, type Lang, raw, type SafeHtml, supportDetails } from '@tsunagu/web';
import { linksTable } from './account.views';
import type { ConnectedService } from './service-access.service';
import { formatDate, portalPage } from './portal.layout';
import {
  accountText, collectionMethodLabels, enforcementText, errorPageText, eventLabels, lawfulBasisText, noticesText, portalText as t, receiptVerifyText, stateLabels,
  termsChangeText,
} from './portal.messages';

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

/** Why the platform paused or ended a consent, in words (nothing for the resident's own decisions). */
function reasonLine(lang: Lang, reason: ConsentChangeReason | null | undefined): SafeHtml | '' {
  if (!reason || !Object.hasOwn(CONSENT_CHANGE_REASON_LABELS, reason)) return '';
  return html`<p class="reason" data-reason="${reason}"><strong>${t.reason[lang]}:</strong> ${CONSENT_CHANGE_REASON_LABELS[reason][lang]}</p>`;
}

/** 「条件が変わりました」: each changed term with what the resident agreed to and what it is now. */
function termsChangeBox(lang: Lang, change: TermsChangeView): SafeHtml {
  const c = termsChangeText;
  const names = (items: { name: { ja: string; en: string } }[]) => items.map((i) => i.name[lang]).join(lang === 'ja' ? '、' : ', ');
  return html`<section class="changed" data-testid="terms-changed" aria-labelledby="terms-changed-title">
<h2 id="terms-changed-title">${c.title[lang]}</h2>
<p>${c.lead[lang]}</p>
${change.differences.length === 0 ? html`<p class="hint">${c.unknown[lang]}</p>` : html`<dl class="terms diff">${change.differences.map((d) => html`<div data-term="${d.term}">
<dt>${c.terms[d.term][lang]}</dt>
<dd>${d.term === 'items'
    ? html`${d.added?.length ? html`<span class="diff-added">${c.added[lang]}: ${names(d.added)}</span><br>` : ''}${d.removed?.length ? html`<span class="diff-removed">${c.removed[lang]}: ${names(d.removed)}</span>` : ''}`
    : html`<span class="diff-before">${c.before[lang]}: ${d.before?.[lang] ?? '—'}</span><br><span class="diff-after">${c.after[lang]}: ${d.after?.[lang] ?? '—'}</span>`}</dd>
</div>`)}</dl>`}
</section>`;
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

/** `declined`: the resident has just declined a request (nothing was recorded). */
/** Why the resident cannot agree yet: the data use requires a verified identity they do not have now; the way to the card flow. */
function identityRequiredBox(lang: Lang, why: 'not_verified' | 'lapsed'): SafeHtml {
  return html`<div class="alert" role="alert" data-testid="identity-required" data-identity="${why}">
<p><strong>${t.identityRequiredTitle[lang]}</strong></p>
<p>${why === 'lapsed' ? t.identityRequiredLapsed[lang] : t.identityRequiredNotVerified[lang]}</p>
<p><a class="button" href="/account/verify" data-action="verify">${t.verifyIdentity[lang]}</a></p>
</div>`;
}

type DataUseEntry = { dataUse: DataUseView; consent: ConsentView | null; identityRequired?: 'not_verified' | 'lapsed' };

export function dataUsesPage(p: { lang: Lang; entries: DataUseEntry[]; declined?: boolean }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: t.dataUsesTitle[lang], path: '/portal/data-uses', section: 'data-uses',
    body: html`<h1>${t.dataUsesTitle[lang]}</h1>
${notice(p.declined ? t.declined[lang] : undefined)}
<p>${t.dataUsesLead[lang]}</p>
${p.entries.length === 0 ? html`<p>${t.noDataUses[lang]}</p>` : html`<ul class="cards">${p.entries.map(({ dataUse, consent, identityRequired }) => html`<li class="card" data-data-use="${dataUse.code}">
${stateTag(lang, consent)}${identityRequired ? html` <span class="tag tag-paused" data-testid="identity-required-tag">${t.identityRequiredTag[lang]}</span>` : ''}${dataUse.statistics ? html` <span class="tag" data-testid="statistics-tag">${t.statisticsTag[lang]}</span>` : ''}
<h2>${dataUse.title[lang]}</h2>
<p>${t.from[lang]}: ${dataUse.consumer.name[lang]}</p>
<p>${t.items[lang]}: ${itemNames(lang, dataUse, dataUse.items.map((i) => i.code))}</p>
<a class="button secondary" href="/portal/data-uses/${dataUse.code}">${t.review[lang]}<span class="visually-hidden">: ${dataUse.title[lang]}</span></a>
</li>`)}</ul>`}`,
  });
}

/** What a statistics data use does, in plain words: nothing about the resident is sent, only aggregates of many. */
function statisticsBox(lang: Lang, u: DataUseView): SafeHtml {
  const s = u.statistics!;
  const words = (w: string) => (lang === 'ja' ? w : w.toLowerCase());
  const groups = s.groupBy.map((g) => words(g.name[lang])).join(lang === 'ja' ? '・' : ', ');
  const lead = fill(t.statisticsLead[lang], {
    item: u.items.map((i) => i.name[lang]).join(lang === 'ja' ? '、' : ', '), aggregate: words(s.aggregate.name[lang]), who: u.consumer.name[lang],
    groups: groups ? (lang === 'ja' ? `${groups}ごとに` : ` by ${groups}`) : '',
  });
  return html`<section class="card" data-testid="statistics-box" aria-labelledby="statistics-title">
<h2 id="statistics-title">${t.statisticsTitle[lang]}</h2>
<p>${lead}</p>
<p>${fill(t.statisticsSmall[lang], { k: s.k })}${s.noise ? html` ${t.statisticsNoise[lang]}` : ''}</p>
<p>${fill(t.statisticsPeriod[lang], { from: s.period.from, to: s.period.to })}</p>
<p>${t.statisticsWithdraw[lang]}</p>
</section>`;
}

/** The opt-in screen: who, what (each item a checkbox), why, how long, how to withdraw; agree and decline side by side. */
export function dataUsePage(p: { lang: Lang; dataUse: DataUseView; consent: ConsentView | null; csrf: string; notice?: string; termsChange?: TermsChangeView; identityRequired?: 'not_verified' | 'lapsed' }): SafeHtml {
  const { lang, dataUse: u, consent } = p;
  // An ended consent is final: the page says why, and offers no way to agree again.
  const ended = consent?.state === 'ended';
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
${consent?.state === 'paused' || ended ? reasonLine(lang, consent.reason) : ''}
${ended ? html`<div class="notice" role="status" data-testid="consent-ended">${t.endedFinal[lang]}</div>` : ''}
${p.termsChange && !ended ? termsChangeBox(lang, p.termsChange) : ''}
${p.identityRequired && !ended ? identityRequiredBox(lang, p.identityRequired) : ''}
${u.statistics ? statisticsBox(lang, u) : ''}
<dl class="terms">
<dt>${(u.statistics ? t.whoStatistics : t.who)[lang]}</dt><dd>${u.consumer.name[lang]}</dd>
<dt>${t.controller[lang]}</dt><dd>${u.controller.name[lang]}<br><span class="mono">${u.controller.contact}</span></dd>
<dt>${t.controllerType[lang]}</dt><dd data-testid="controller-type" data-controller-type="${u.controllerType.code}">${u.controllerType.name[lang]}</dd>
<dt>${t.why[lang]}</dt><dd>${u.purpose.description[lang]}</dd>
<dt>${t.purposeCategory[lang]}</dt><dd data-testid="purpose-category" data-purpose-category="${u.purposeCategory.code}">${u.purposeCategory.name[lang]}</dd>
<dt>${t.howLong[lang]}</dt><dd>${fill((u.statistics ? t.retentionStatistics : t.retention)[lang], { n: u.retentionDays })}<br>${u.consentValidDays ? fill(t.validity[lang], { n: u.consentValidDays }) : t.validityOpen[lang]}</dd>
<dt>${t.withdraw[lang]}</dt><dd>${(u.statistics ? t.withdrawHowStatistics : t.withdrawHow)[lang]}</dd>
</dl>
<p>${/^https?:\/\//.test(u.privacyNoticeUrl) ? html`<a href="${u.privacyNoticeUrl}" rel="noopener">${t.privacyNotice[lang]}</a>` : html`${t.privacyNotice[lang]}: <span class="mono">${u.privacyNoticeUrl}</span>`}</p>
<p class="hint" data-testid="lawful-basis">${lawfulBasisText[u.controllerType.code][lang]}${paren(lang, u.controllerType.lawfulBasis[lang])} ${t.receiptKept[lang]}</p>
${ended ? '' : html`<form id="consent-form" method="post" action="/portal/data-uses/${u.code}/consent">
<input type="hidden" name="csrf" value="${p.csrf}">
<input type="hidden" name="expectedVersion" value="${expected}">
<fieldset>
<legend>${(u.statistics ? t.whatStatistics : t.what)[lang]}</legend>
${u.items.map((item) => html`<label class="check" for="item-${item.code}">
<input type="checkbox" id="item-${item.code}" name="items" value="${item.code}"${selected(item.code) ? raw(' checked') : ''}>
<span><strong>${item.name[lang]}</strong>${item.description[lang]}<br><span class="hint">${t.heldBy[lang]}: ${item.provider.name[lang]}</span>
${item.specialCare ? html`<br><span class="tag tag-paused">${t.specialCare[lang]}</span>` : ''}</span>
</label>`)}
</fieldset>
</form>
<div class="choice">
${p.identityRequired ? '' : html`<button class="button" type="submit" form="consent-form" data-action="agree">${agreeLabel}</button>`}
${open
    ? withdrawForm(consent.consentId, p.csrf, expected, active ? t.withdrawButton[lang] : t.decline[lang])
    : html`<form method="post" action="/portal/data-uses/${u.code}/decline"><input type="hidden" name="csrf" value="${p.csrf}"><button class="button" type="submit" data-action="decline">${t.decline[lang]}</button></form>`}
</div>`}`,
  });
}

export function consentsPage(p: { lang: Lang; entries: DataUseEntry[] }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: t.consentsTitle[lang], path: '/portal/consents', section: 'consents',
    body: html`<h1>${t.consentsTitle[lang]}</h1>
<p>${t.consentsLead[lang]}</p>
${p.entries.length === 0 ? html`<p>${t.noConsents[lang]}</p>` : html`<ul class="cards">${p.entries.map(({ dataUse, consent }) => html`<li class="card" data-consent="${consent!.consentId}">
${stateTag(lang, consent)}
<h2>${dataUse.title[lang]}</h2>
${consent!.state === 'paused' || consent!.state === 'ended' ? reasonLine(lang, consent!.reason) : ''}
<p>${t.consumer[lang]}: ${dataUse.consumer.name[lang]}<br>
${t.items[lang]}: ${itemNames(lang, dataUse, consent!.items)}<br>
${t.validUntil[lang]}: ${consent!.state === 'active' ? (consent!.validUntil ? formatDate(lang, consent!.validUntil, false) : t.untilWithdrawn[lang]) : '—'}<br>
${t.updatedAt[lang]}: ${formatDate(lang, consent!.createdAt)}</p>
<a class="button secondary" href="/portal/consents/${consent!.consentId}">${t.details[lang]}<span class="visually-hidden">: ${dataUse.title[lang]}</span></a>
</li>`)}</ul>
<p><a href="/portal/receipts/chain.json" download>${t.downloadChain[lang]}</a></p>
<p class="hint">${t.chainHint[lang]}</p>
<p><a href="/portal/receipts/verify" data-testid="verify-link">${receiptVerifyText.link[lang]}</a></p>`}`,
  });
}

/** `done`: what the resident has just done (`given`, `withdrawn`), from the redirect after the form. */
/**
 * 連携先での停止: the truth about a change that stops data — stopped everywhere (and when), or
 * by when at the latest, with each connected service's state.
 */
function enforcementBox(lang: Lang, e: ConsentEnforcementView): SafeHtml {
  const x = enforcementText;
  const summary = e.complete
    ? (e.connectors.some((c) => c.role === 'provider') ? fill(x.complete[lang], { at: formatMoment(lang, e.enforcedAt!) }) : x.nothingFlowing[lang])
    : Date.parse(e.enforcedBy) > Date.now() ? fill(x.pending[lang], { by: formatMoment(lang, e.enforcedBy) }) : fill(x.lapsed[lang], { by: formatMoment(lang, e.enforcedBy) });
  return html`<section class="card" data-testid="enforcement" data-complete="${String(e.complete)}" data-enforced-by="${e.enforcedBy}" aria-labelledby="enforcement-title">
<h2 id="enforcement-title">${x.title[lang]}</h2>
<p role="status">${summary}</p>
<dl class="terms">
<dt>${x.committedAt[lang]}</dt><dd>${formatMoment(lang, e.committedAt)}</dd>
${e.enforcedAt ? html`<dt>${x.enforcedAt[lang]}</dt><dd>${formatMoment(lang, e.enforcedAt)}</dd>` : html`<dt>${x.enforcedBy[lang]}</dt><dd>${formatMoment(lang, e.enforcedBy)}</dd>`}
</dl>
${e.connectors.length ? dataTable({
    label: x.title[lang], testId: 'enforcement-connectors',
    columns: [{ label: x.connector[lang], full: true }, { label: x.role[lang] }, { label: x.state[lang] }],
    rows: e.connectors.map((c) => ({
      data: { state: c.state, role: c.role },
      cells: [c.service[lang], x.roles[c.role][lang], fill((c.role === 'consumer' ? x.consumerStates : x.states)[c.state][lang], { at: formatMoment(lang, c.at) })],
    })),
  }) : ''}
${e.statement ? html`<details data-testid="enforcement-statement"><summary>${x.statement[lang]}</summary><p class="hint">${x.statementHint[lang]}</p><pre class="jws">${e.statement}</pre></details>` : ''}
</section>`;
}

export function consentPage(p: { lang: Lang; history: ConsentHistoryView; enforcement?: ConsentEnforcementView | null; csrf: string; done?: string }): SafeHtml {
  const { lang, history } = p;
  const done = p.done === 'given' ? t.given[lang] : p.done === 'withdrawn' ? t.withdrawnDone[lang] : undefined;
  const u = history.dataUse;
  const current = history.current;
  const open = current.state === 'active' || current.state === 'paused';
  const ended = current.state === 'ended';
  return portalPage({
    lang, title: u.title[lang], path: `/portal/consents/${history.consentId}`, section: 'consents',
    body: html`<h1>${u.title[lang]}</h1>
${notice(done, 'success')}
<p>${t.currentState[lang]}: ${stateTag(lang, current)}</p>
${current.state === 'paused' || ended ? reasonLine(lang, current.reason) : ''}
${ended ? html`<div class="notice" role="status" data-testid="consent-ended">${t.endedFinal[lang]}</div>` : current.state === 'paused' ? html`<p>${t.pausedNote[lang]}</p>` : ''}
<p>${t.consumer[lang]}: ${u.consumer.name[lang]}<br>${t.items[lang]}: ${itemNames(lang, u, current.items)}</p>
${p.enforcement && current.state !== 'active' ? enforcementBox(lang, p.enforcement) : ''}
<div class="choice">
${ended ? '' : html`<a class="button" href="/portal/data-uses/${u.code}">${current.needsReconsent ? t.agreeAgain[lang] : t.change[lang]}</a>`}
${open ? withdrawForm(history.consentId, p.csrf, current.version, t.withdrawButton[lang]) : ''}
</div>
<h2>${t.history[lang]}</h2>
${dataTable({
    label: t.history[lang], testId: 'history',
    columns: [{ label: t.version[lang] }, { label: t.event[lang] }, { label: t.items[lang], full: true }, { label: t.date[lang] }, { label: t.receipt[lang] }],
    rows: history.versions.map((v) => ({
      data: { version: String(v.version), state: v.state },
      cells: [
        v.version,
        html`${eventLabels[v.event][lang]}${v.reason && Object.hasOwn(CONSENT_CHANGE_REASON_LABELS, v.reason) ? html`<br><span class="hint" data-reason="${v.reason}">${CONSENT_CHANGE_REASON_LABELS[v.reason][lang]}</span>` : ''}`,
        itemNames(lang, u, v.items), formatDate(lang, v.createdAt),
        html`<a href="/portal/receipts/${v.receiptId}">${t.viewReceipt[lang]}<span class="visually-hidden"> (${t.version[lang]} ${v.version})</span></a>`,
      ],
    })),
  })}`,
  });
}

/** A receipt as a page people can read and print; the JWS is there for whoever wants to verify it. */
export function receiptPage(p: { lang: Lang; envelope: ReceiptEnvelope; enforcement?: ConsentEnforcementView | null }): SafeHtml {
  const { lang } = p;
  const r = p.envelope.receipt;
  const row = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return portalPage({
    lang, title: t.receiptTitle[lang], path: `/portal/receipts/${r.recordId}`, section: 'consents',
    body: html`<h1>${t.receiptTitle[lang]}</h1>
<p class="hint">${t.receiptLead[lang]}</p>
<div class="card" data-testid="receipt">
<p><span class="tag tag-${r.event.state}">${eventLabels[r.event.type][lang]}</span></p>
${reasonLine(lang, r.event.reason)}
<dl class="terms">
${row(t.issuedAt[lang], formatDate(lang, r.timestamp))}
${row(t.who[lang], r.recipients.map((x) => x.name).join(lang === 'ja' ? '、' : ', '))}
${row(t.controller[lang], html`${r.controllers.map((c) => html`${c.name}${c.type && Object.hasOwn(CONTROLLER_TYPES, c.type) ? paren(lang, CONTROLLER_TYPES[c.type].label[lang]) : ''}<br><span class="mono">${c.contact}</span>`)}`)}
${row(t.why[lang], html`${r.purposes.map((x) => html`${x.description}${x.category && Object.hasOwn(PURPOSE_CATEGORIES, x.category.code) ? html`<br><span class="hint" data-purpose-category="${x.category.code}">${t.purposeCategory[lang]}: ${PURPOSE_CATEGORIES[x.category.code][lang]}</span>` : ''}<br>`)}`)}
${row(t.items[lang], html`<ul>${r.dataItems.map((i) => html`<li>${i.name}${paren(lang, `${t.heldBy[lang]}: ${i.source.name}`)}${i.specialCare ? html` <span class="tag tag-paused">${t.specialCare[lang]}</span>` : ''}</li>`)}</ul>`)}
${row(t.howLong[lang], html`${fill(t.retention[lang], { n: r.retention.days })}<br>${formatDate(lang, r.event.validFrom, false)} – ${r.event.validUntil ? formatDate(lang, r.event.validUntil, false) : t.untilWithdrawn[lang]}`)}
${row(t.basis[lang], html`${r.purposes[0].lawfulBasis.description}${paren(lang, `APPI ${r.purposes[0].lawfulBasis.article}`)}`)}
${row(t.processing[lang], html`${r.processing.map((x) => html`${x.description}<br>`)}`)}
${row(t.withdraw[lang], r.withdrawal.description)}
${row(t.privacyNotice[lang], html`<span class="mono">${r.privacyNotice.url}</span>`)}
${row(t.principal[lang], html`<span class="mono">${r.principal.id}</span><br><span class="hint">${t.principalHint[lang]}</span>`)}
${row(t.consentRef[lang], html`<span class="mono">${r.consent.id}</span> / ${r.consent.version}`)}
${row(t.collection[lang], collectionMethodLabels[r.collectionMethod][lang])}
${row(t.recordId[lang], html`<span class="mono">${r.recordId}</span>`)}
${row(t.chain[lang], fill(t.chainText[lang], { n: r.chain.sequence, h: r.chain.previousReceiptHash ?? t.none[lang] }))}
</dl>
<details><summary>${t.signature[lang]}</summary><pre class="jws">${p.envelope.jws}</pre></details>
</div>
${p.enforcement ? enforcementBox(lang, p.enforcement) : ''}
<div class="actions">
<a class="button" href="/portal/receipts/${r.recordId}/download" download>${t.download[lang]}</a>
<a class="button secondary" href="/portal/consents/${r.consent.id}">${t.backToHistory[lang]}</a>
</div>
<p><a href="/portal/receipts/verify" data-testid="verify-link">${receiptVerifyText.link[lang]}</a></p>`,
  });
}

/** The notices (お知らせ): consents paused, ended or expiring soon, newest first, each with where to act. */
const incidentWords = {
  heading: { ja: '個人情報の取扱いに関する事故のお知らせ', en: 'Incidents concerning your personal data' },
  items: { ja: '対象となった情報', en: 'Information concerned' },
  response: { ja: '対応', en: 'What we do' },
  discovered: { ja: '発覚日時', en: 'Discovered' },
};

export function noticesPage(p: { lang: Lang; notices: PortalNoticeView[]; incidents?: IncidentNoticeView[] }): SafeHtml {
  const { lang } = p;
  const n = noticesText;
  const when = (x: PortalNoticeView) => (x.kind === 'paused' ? n.pausedAt : x.kind === 'ended' ? n.endedAt : n.expiresAt)[lang];
  return portalPage({
    lang, title: n.title[lang], path: '/portal/notices', section: 'notices',
    body: html`<h1>${n.title[lang]}</h1>
<p>${n.lead[lang]}</p>
${p.notices.length === 0 ? html`<p data-testid="no-notices">${n.none[lang]}</p>` : html`<ul class="cards" data-testid="notices">${p.notices.map((x) => html`<li class="card" data-notice="${x.kind}" data-consent="${x.consentId}">
<p class="tag tag-${x.kind === 'expiring' ? 'new' : x.kind}">${n.kinds[x.kind][lang]}</p>
<h2>${x.title[lang]}</h2>
<p>${x.message[lang]}</p>
<p>${t.consumer[lang]}: ${x.consumer.name[lang]}<br>${when(x)}: ${formatDate(lang, x.at, x.kind !== 'expiring')}</p>
<a class="button${x.actionRequired ? '' : ' secondary'}" href="${x.link}">${x.actionRequired ? n.decide[lang] : n.history[lang]}<span class="visually-hidden">: ${x.title[lang]}</span></a>
</li>`)}</ul>`}
${p.incidents?.length ? html`<h2>${incidentWords.heading[lang]}</h2><ul class="cards" data-testid="incident-notices">${p.incidents.map((i) => html`<li class="card changed">
<h3>${i.title}</h3><p>${i.summary}</p>
<p><strong>${incidentWords.items[lang]}:</strong> ${i.items}</p>
${i.response ? html`<p><strong>${incidentWords.response[lang]}:</strong> ${i.response}</p>` : ''}
<p class="hint">${incidentWords.discovered[lang]}: ${formatDate(lang, i.discoveredAt)}</p></li>`)}</ul>` : ''}
<p class="hint">${n.maintenance[lang]}</p>
<p><a href="/portal/manual#notices">${n.manual[lang]}</a></p>`,
  });
}

export function provisionsPage(p: { lang: Lang; provisions: ProvisionView[] }): SafeHtml {
  const { lang } = p;
  const list = (names: string[]) => names.join(lang === 'ja' ? '、' : ', ');
  return portalPage({
    lang, title: t.provisionsTitle[lang], path: '/portal/provisions', section: 'provisions',
    body: html`<h1>${t.provisionsTitle[lang]}</h1>
<p>${t.provisionsLead[lang]}</p>
${p.provisions.length === 0 ? html`<p class="notice" data-testid="no-provisions">${t.noProvisions[lang]}</p>` : dataTable({
    label: t.provisionsTitle[lang], testId: 'provisions',
    columns: [{ label: t.date[lang] }, { label: t.provider[lang] }, { label: t.consumer[lang] }, { label: t.items[lang], full: true }, { label: t.outcome[lang] }],
    rows: p.provisions.map((x) => ({
      data: { provision: x.id, outcome: x.outcome, ...(x.receipt ? { receipt: x.receipt } : {}) },
      cells: [
        formatDate(lang, x.occurredAt), x.provider.name[lang], x.consumer.name[lang],
        html`${list(x.itemNames.map((i) => i.name[lang]))}<br><a href="/portal/consents/${x.consentId}" class="hint">${t.consentOfProvision[lang]}</a>`,
        x.receipt ? PROVISION_RECEIPT_LABELS[x.receipt][lang] : PROVISION_OUTCOME_LABELS[x.outcome][lang],
      ],
    })),
  })}
${p.provisions.some((x) => x.receipt === 'unconfirmed') ? html`<p class="hint" data-testid="receipt-unconfirmed-hint">${t.receiptUnconfirmedHint[lang]}</p>` : ''}`,
  });
}

/** `unlinked`: the resident has just removed a service. */
export function linksPage(p: { lang: Lang; links: ConnectedService[]; csrf: string; unlinked?: boolean }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: t.linksTitle[lang], path: '/portal/links', section: 'links',
    body: html`<h1>${t.linksTitle[lang]}</h1>
${notice(p.unlinked ? accountText.unlinked[lang] : undefined)}
<p>${t.linksLead[lang]}</p>
${linksTable(lang, p.links, p.csrf, '/portal/links')}`,
  });
}

/**
 * What an error on a portal page becomes: the message in the page's language, the code and
 * correlation ID for support, and a way back (`back`: home after a GET, the form's page after a post).
 */
/** Refusals whose way out is to verify with the My Number card: the error page links the card flow. */
const IDENTITY_CODES = new Set(['identity_not_verified', 'identity_verification_required']);

export function errorPage(p: { lang: Lang; path: string; error: ErrorBody['error']; back: string; backHome: boolean; retry?: boolean }): SafeHtml {
  const { lang, error } = p;
  const e = errorPageText;
  return portalPage({
    lang, title: e.title[lang], path: p.path, section: undefined,
    body: html`<h1>${e.title[lang]}</h1>
<div class="alert" role="alert"><p>${lang === 'ja' ? error.message : error.messageEn}</p>
${error.details?.length ? html`<ul>${error.details.map((d) => html`<li>${d.problem}</li>`)}</ul>` : ''}</div>
${supportDetails(lang, html`<p>${e.code[lang]}: <span class="mono" data-code>${error.code}</span></p>${error.correlationId ? html`<p>${e.reference[lang]}: <span class="mono">${error.correlationId}</span></p>` : ''}`)}
<div class="actions">${IDENTITY_CODES.has(error.code) ? html`<a class="button" href="/account/verify" data-action="verify">${e.verify[lang]}</a> ` : ''}<a class="button${IDENTITY_CODES.has(error.code) ? ' secondary' : ''}" href="${p.back}">${p.retry ? e.retry[lang] : p.backHome ? e.home[lang] : e.back[lang]}</a></div>`,
  });
}
