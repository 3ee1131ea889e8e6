import type { Lang } from '@tsunagu/web';
import { html, type SafeHtml } from '@tsunagu/web';
import type { DepartureStatus } from '../lifecycle/departure/departure.service';
import type { LeavePreviewRow } from '../lifecycle/departure/departure.repository';
import { formatDate, portalPage } from './portal.layout';
import { leaveText as t } from './leave.messages';

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

/** The confirmation page: what leaving will do, then the box to tick and the button. */
export function leavePage(p: { lang: Lang; preview: LeavePreviewRow; csrf: string }): SafeHtml {
  const { lang, preview } = p;
  const name = (r: { name_ja: string; name_en: string }) => (lang === 'ja' ? r.name_ja : r.name_en);
  return portalPage({
    lang, title: t.title[lang], path: '/portal/leave',
    body: html`<h1>${t.title[lang]}</h1>
<p class="alert" role="note">${t.lead[lang]}</p>
<h2>${t.consentsHeading[lang]}</h2>
${preview.consents.length ? html`<ul data-section="consents">${preview.consents.map((c) => html`<li>${lang === 'ja' ? c.title_ja : c.title_en}${fill(t.consentLine[lang], { service: lang === 'ja' ? c.service_ja : c.service_en })}</li>`)}</ul>` : html`<p>${t.noConsents[lang]}</p>`}
<h2>${t.linksHeading[lang]}</h2>
${preview.links.length ? html`<ul data-section="links">${preview.links.map((l) => html`<li>${name(l)}</li>`)}</ul>` : html`<p>${t.noLinks[lang]}</p>`}
<h2>${t.recipientsHeading[lang]}</h2>
<p>${t.recipientsLead[lang]}</p>
${preview.recipients.length ? html`<ul data-section="recipients">${preview.recipients.map((r) => html`<li>${name(r)}</li>`)}</ul>` : html`<p>${t.noRecipients[lang]}</p>`}
<h2>${t.erasedHeading[lang]}</h2>
<p>${t.erasedList[lang]}</p>
<h2>${t.keptHeading[lang]}</h2>
<p>${t.keptList[lang]}</p>
<p>${t.certificateLead[lang]}</p>
<form method="post" action="/portal/leave"><input type="hidden" name="csrf" value="${p.csrf}">
<p><label><input type="checkbox" name="confirm" value="yes" required> ${t.confirm[lang]}</label></p>
<div class="actions"><button class="button danger" type="submit" data-action="leave">${t.submit[lang]}</button> <a class="button secondary" href="/account">${t.cancel[lang]}</a></div>
</form>`,
  });
}

/** After leaving: the erasure at each service and, once issued, the certificate. No session: the forms carry the departure's key. */
export function leftPage(p: { lang: Lang; status: DepartureStatus }): SafeHtml {
  const { lang, status } = p;
  const keyFields = html`<input type="hidden" name="departure" value="${status.departureId}"><input type="hidden" name="key" value="${status.certificateKey}">`;
  const state = (s: DepartureStatus['connectors'][number]['state']) => (s === 'erased' ? t.stateErased : s === 'pending' ? t.statePending : t.stateSending)[lang];
  return portalPage({
    lang, title: t.leftTitle[lang], path: '/portal/leave', signedIn: false,
    body: html`<h1>${t.leftTitle[lang]}</h1>
<p class="alert" role="status">${t.leftLead[lang]}</p>
<h2>${t.statusHeading[lang]}</h2>
${status.connectors.length ? html`<ul data-section="erasure">${status.connectors.map((c) => html`<li data-connector="${c.connectorId}" data-state="${c.state}">${c.name[lang]}：${state(c.state)}${c.at ? html`（${formatDate(lang, c.at)}）` : ''}</li>`)}</ul>` : html`<p>${t.noRecipients[lang]}</p>`}
${status.certificateId
    ? html`<p data-certificate="${status.certificateId}">${t.certificateReady[lang]} ${t.certificateNumber[lang]}: <span class="mono">${status.certificateId}</span></p>
<form method="post" action="/portal/leave/certificate">${keyFields}<input type="hidden" name="format" value="json"><button class="button" type="submit" data-action="certificate-json">${t.downloadJson[lang]}</button></form>
<form method="post" action="/portal/leave/certificate" target="_blank">${keyFields}<input type="hidden" name="format" value="html"><button class="button secondary" type="submit" data-action="certificate-html">${t.downloadHtml[lang]}</button></form>`
    : html`<p>${fill(t.certificateWaiting[lang], { at: formatDate(lang, status.certifyAfter) })}</p>
<form method="post" action="/portal/leave/status">${keyFields}<button class="button secondary" type="submit" data-action="refresh">${t.refresh[lang]}</button></form>`}`,
  });
}
