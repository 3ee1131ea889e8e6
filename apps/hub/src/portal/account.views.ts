import type { DataUseView } from '@tsunagu/contracts';
import { dataTable, html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { ResidentLinkRow } from '../links/links.repository';
import { formatDate, portalPage } from './portal.layout';
import { accountText as t, purposeText } from './portal.messages';
import { formatCommonId } from '../identity/residents/common-id';
import { maintenanceBanner } from '../operations/maintenance/maintenance-banner';
import type { Resident } from '../identity/residents/residents.service';

/** The linked services with an unlink button each (home and the linked-services page); cards on a phone. */
export function linksTable(lang: Lang, links: ResidentLinkRow[], csrf: string, unlinkBase = '/account/links'): SafeHtml {
  if (links.length === 0) return html`<p>${t.noLinks[lang]}</p>`;
  const serviceName = (l: ResidentLinkRow) => (lang === 'ja' ? l.name_ja : l.name_en);
  return dataTable({
    label: t.links[lang], testId: 'links',
    columns: [{ label: t.service[lang] }, { label: t.localId[lang], mono: true }, { label: t.linkedAt[lang] }, { label: t.unlink[lang] }],
    rows: links.map((l) => ({
      data: { link: l.client_id },
      cells: [
        serviceName(l), l.local_id, formatDate(lang, l.linked_at),
        html`<form method="post" action="${unlinkBase}/${l.id}/delete"><input type="hidden" name="csrf" value="${csrf}"><button class="button secondary" type="submit" aria-label="${t.unlink[lang]}: ${serviceName(l)}">${t.unlink[lang]}</button></form>`,
      ],
    })),
  });
}

/** The portal home: common ID, verification, what waits for the resident, linked services. */
export function accountPage(p: {
  lang: Lang; resident: Resident; links: ResidentLinkRow[]; csrf: string; unlinked?: boolean;
  pending?: { dataUse: DataUseView; reason: 'new' | 'terms_changed' }[];
}): SafeHtml {
  const { lang, resident } = p;
  const pending = p.pending ?? [];
  return portalPage({
    lang, title: t.title[lang], path: '/account', section: 'home',
    body: html`<h1>${t.title[lang]}</h1>
<p data-testid="purpose">${purposeText[lang]}</p>
${maintenanceBanner(lang)}
${p.unlinked ? html`<div class="notice" role="status">${t.unlinked[lang]}</div>` : ''}
<div class="card">
<h2>${t.commonId[lang]}</h2>
<p class="mono" style="font-size:1.5rem" data-testid="common-id">${formatCommonId(resident.commonId)}</p>
<p class="hint">${t.commonIdHint[lang]}</p>
<p><strong>${t.verification[lang]}:</strong> ${resident.identityVerifiedAt ? t.verified[lang] : t.notVerified[lang]}
<a href="/account/verify">${resident.identityVerifiedAt ? t.verifyDetails[lang] : t.verifyNow[lang]}</a></p>
</div>
<h2 id="pending">${t.pending[lang]}</h2>
${pending.length === 0 ? html`<p>${t.noPending[lang]}</p>` : html`<ul class="cards" data-testid="pending-requests">${pending.map((r) => html`<li class="card">
<p class="tag ${r.reason === 'new' ? 'tag-new' : 'tag-paused'}">${r.reason === 'new' ? t.pendingNew[lang] : t.pendingChanged[lang]}</p>
<h3>${r.dataUse.title[lang]}</h3>
<p>${t.from[lang]}: ${r.dataUse.consumer.name[lang]}</p>
<a class="button secondary" href="/portal/data-uses/${r.dataUse.code}">${t.review[lang]}<span class="visually-hidden">: ${r.dataUse.title[lang]}</span></a>
</li>`)}</ul>`}
<h2>${t.shortcuts[lang]}</h2>
<ul>
<li><a href="/portal/consents">${t.consents[lang]}</a></li>
<li><a href="/portal/provisions">${t.provisions[lang]}</a></li>
</ul>
<h2 id="links">${t.links[lang]}</h2>
${linksTable(lang, p.links, p.csrf)}
<div class="actions"><a class="button secondary" href="/account/logout">${t.logout[lang]}</a></div>`,
  });
}


/** After signing out: what ended, what did not, and the way back in. */
export function signedOutPage(lang: Lang): SafeHtml {
  return portalPage({
    lang, title: t.signedOutTitle[lang], path: '/account/signed-out', signedIn: false,
    body: html`<h1>${t.signedOutTitle[lang]}</h1>
<div class="success" role="status"><p>${t.signedOut[lang]}</p></div>
<p>${t.signedOutServices[lang]}</p>
<div class="actions"><a class="button" href="/account/login">${t.signInAgain[lang]}</a></div>`,
  });
}
