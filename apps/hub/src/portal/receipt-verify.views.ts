import { CONSENT_CHANGE_REASON_LABELS, type ConsentReceipt, CONTROLLER_TYPES } from '@tsunagu/contracts';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import { MAX_RECEIPTS_PER_CHECK, type ReceiptCheck, type ReceiptCheckFinding } from '../consent/receipt-check.service';
import { formatDate, portalPage } from './portal.layout';
import { eventLabels, receiptProblemText as p, receiptVerifyText as t } from './portal.messages';

/** The largest file (or pasted text) the page takes, in bytes. */
export const RECEIPT_UPLOAD_LIMIT = 1024 * 1024;

const fill = (text: string, values: Record<string, string | number | undefined>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
const list = (lang: Lang, values: string[]) => values.join(lang === 'ja' ? '、' : ', ');

/** A finding in words: where in the file, and what is wrong. */
function problemWords(lang: Lang, f: ReceiptCheckFinding, count: number): string {
  const words = f.problem === 'missing' && f.from === f.to ? p.missingOne[lang] : p[f.problem][lang];
  const text = fill(words, { issuer: f.issuer ?? '?', from: f.from, to: f.to, sequence: f.sequence, max: MAX_RECEIPTS_PER_CHECK });
  if (count <= 1 || f.position === undefined) return text;
  return `${fill(t.position[lang], { n: f.position })}${lang === 'ja' ? '：' : ': '}${text}`;
}

/** What one genuine receipt says: only what the file holds. */
function receiptFacts(lang: Lang, r: ConsentReceipt): SafeHtml {
  const row = (label: string, value: string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<dl class="terms">
${row(t.event[lang], eventLabels[r.event.type]?.[lang] ?? r.event.type)}
${r.event.reason ? row(t.reason[lang], Object.hasOwn(CONSENT_CHANGE_REASON_LABELS, r.event.reason) ? CONSENT_CHANGE_REASON_LABELS[r.event.reason][lang] : r.event.reason) : ''}
${row(t.when[lang], formatDate(lang, r.timestamp))}
${row(t.recipient[lang], list(lang, r.recipients.map((x) => x.name)))}
${row(t.items[lang], list(lang, r.dataItems.map((i) => i.name)))}
${row(t.purpose[lang], list(lang, r.purposes.map((x) => x.description)))}
${row(t.basis[lang], list(lang, r.purposes.map((x) => `${x.lawfulBasis.description} (APPI ${x.lawfulBasis.article})`)))}
${r.controllers.some((c) => c.type) ? row(t.controllerType[lang], list(lang, r.controllers.map((c) => (c.type && Object.hasOwn(CONTROLLER_TYPES, c.type) ? CONTROLLER_TYPES[c.type].label[lang] : '—')))) : ''}
${row(t.validity[lang], `${formatDate(lang, r.event.validFrom, false)} – ${r.event.validUntil ? formatDate(lang, r.event.validUntil, false) : t.untilWithdrawn[lang]}`)}
${row(t.chainPlace[lang], fill(t.chainPlaceText[lang], { n: r.chain.sequence }))}
${row(t.issuer[lang], r.issuer)}
${row(t.recordId[lang], r.recordId)}
</dl>`;
}

function result(lang: Lang, outcome: ReceiptCheck): SafeHtml {
  if (outcome.result === 'receipt') {
    return html`<div class="success" role="status" data-testid="verify-result" data-result="genuine">
<h2>${t.genuine[lang]}</h2><p>${t.genuineHint[lang]}</p></div>
<div class="card"><h3>${t.says[lang]}</h3>${receiptFacts(lang, outcome.receipt)}</div>`;
  }
  if (outcome.result === 'chain') {
    const n = outcome.receipts.length;
    return html`<div class="success" role="status" data-testid="verify-result" data-result="chain">
<h2>${fill(t.chainGenuine[lang], { n })}</h2><p>${t.chainGenuineHint[lang]}</p></div>
<ul class="cards">${outcome.receipts.map((r) => html`<li class="card" data-sequence="${r.chain.sequence}">
<p><strong>${fill(t.sequenceNo[lang], { n: r.chain.sequence })}</strong> <span class="tag tag-${r.event.state}">${eventLabels[r.event.type]?.[lang] ?? r.event.type}</span></p>
<p>${formatDate(lang, r.timestamp)}<br>${list(lang, r.recipients.map((x) => x.name))}<br>${t.items[lang]}: ${list(lang, r.dataItems.map((i) => i.name))}</p>
</li>`)}</ul>`;
  }
  const { count, findings } = outcome;
  return html`<div class="alert" role="alert" data-testid="verify-result" data-result="invalid">
<h2>${count > 1 ? fill(t.chainNotGenuine[lang], { n: count }) : t.notGenuine[lang]}</h2>
<ul>${findings.map((f) => html`<li data-problem="${f.problem}">${problemWords(lang, f, count)}</li>`)}</ul>
<p>${t.notGenuineHint[lang]}</p></div>
<details><summary>${t.details[lang]}</summary><ul class="mono">${findings.map((f) => html`<li>${f.position ?? '-'} ${f.problem}: ${f.detail}</li>`)}</ul></details>`;
}

/**
 * The receipt check page: the form (a file, or pasted text; a multipart post that needs no
 * JavaScript), with the outcome of a check above it, or why the upload was refused.
 */
export function receiptVerifyPage(q: { lang: Lang; outcome?: ReceiptCheck; refused?: 'too_large' | 'unreadable' }): SafeHtml {
  const { lang } = q;
  return portalPage({
    lang, title: t.title[lang], path: '/portal/receipts/verify', section: 'consents', signedIn: false,
    body: html`<h1>${t.title[lang]}</h1>
${q.outcome ? result(lang, q.outcome) : ''}
${q.refused ? html`<div class="alert" role="alert" data-testid="verify-refused" data-refused="${q.refused}"><p>${q.refused === 'too_large' ? t.tooLarge[lang] : t.unreadable[lang]}</p></div>` : ''}
${q.outcome ? html`<h2>${t.again[lang]}</h2>` : html`<p>${t.lead[lang]}</p>`}
<p class="hint">${t.privacy[lang]}</p>
<form method="post" action="/portal/receipts/verify" enctype="multipart/form-data" data-testid="verify-form">
<label for="receipt-file">${t.fileLabel[lang]}</label>
<input type="file" id="receipt-file" name="file" accept=".json,application/json">
<label for="receipt-text">${t.textLabel[lang]}</label>
<p class="hint" id="receipt-text-hint">${t.textHint[lang]}</p>
<textarea id="receipt-text" name="receipt" rows="6" aria-describedby="receipt-text-hint" spellcheck="false" autocomplete="off"></textarea>
<div class="actions"><button class="button" type="submit" data-action="verify">${t.submit[lang]}</button></div>
</form>
<p><a href="/portal/manual#verify-receipts">${t.manual[lang]}</a><br><a href="/portal/consents">${t.consents[lang]}</a></p>`,
  });
}
