import type { DataUseView } from '@tsunagu/contracts';
import { leaveText } from './leave.messages';
import { dataTable, html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { ConnectedService } from './service-access.service';
import { formatDate, portalPage } from './portal.layout';
import { accountText as t, purposeText, verifyText } from './portal.messages';
import { securityText } from './recovery.messages';
import { formatCommonId } from '../identity/residents/common-id';
import type { Resident } from '../identity/residents/residents.service';

/**
 * The services connected to the resident — allowed to sign them in (an OIDC grant), linked by a
 * local ID, or both — each with its removal button, and in words what removal does (home and the
 * linked-services page; cards on a phone). `removeBase`: where the forms post (`…/services/:clientId/delete`).
 */
export function linksTable(lang: Lang, services: ConnectedService[], csrf: string, removeBase = '/account/links'): SafeHtml {
  if (services.length === 0) return html`<p>${t.noLinks[lang]}</p>`;
  return html`${dataTable({
    label: t.links[lang], testId: 'links',
    columns: [{ label: t.service[lang] }, { label: t.signInAccess[lang] }, { label: t.localId[lang], mono: true }, { label: t.linkedAt[lang] }, { label: t.unlink[lang] }],
    rows: services.map((s) => ({
      data: { link: s.clientId, access: s.access ? 'allowed' : 'none' },
      cells: [
        s.name[lang], s.access ? t.accessAllowed[lang] : t.accessNone[lang], s.link ? s.link.localId : t.noLocalId[lang],
        formatDate(lang, s.link?.linkedAt ?? s.grantedAt ?? new Date()),
        html`<form method="post" action="${removeBase}/services/${encodeURIComponent(s.clientId)}/delete"><input type="hidden" name="csrf" value="${csrf}"><button class="button secondary" type="submit" aria-label="${t.unlink[lang]}: ${s.name[lang]}">${t.unlink[lang]}</button></form>`,
      ],
    })),
  })}
<p class="hint" data-testid="removal-explained">${t.removalExplained[lang]}</p>`;
}

/** The portal home: common ID, verification, what waits for the resident, linked services. */
export function accountPage(p: {
  lang: Lang; resident: Resident; links: ConnectedService[]; csrf: string; unlinked?: boolean;
  pending?: { dataUse: DataUseView; reason: 'new' | 'terms_changed' }[];
  /** How many notices (お知らせ) the notices page lists. */
  noticeCount?: number;
  /** The identity verification lapsed: the resident is asked for the new card. */
  lapse?: { reason: 'revoked' | 'expired' };
}): SafeHtml {
  const { lang, resident } = p;
  const pending = p.pending ?? [];
  return portalPage({
    lang, title: t.title[lang], path: '/account', section: 'home',
    body: html`<h1>${t.title[lang]}</h1>
<p data-testid="purpose">${purposeText[lang]}</p>
<p class="${p.noticeCount ? 'notice' : ''}" data-testid="notice-count" data-count="${p.noticeCount ?? 0}"><a href="/portal/notices">${p.noticeCount ? t.notices[lang].replace('{n}', String(p.noticeCount)) : t.noNotices[lang]}</a></p>
${p.unlinked ? html`<div class="notice" role="status">${t.unlinked[lang]}</div>` : ''}
${p.lapse ? html`<div class="alert" role="alert" data-testid="verification-lapsed"><p><strong>${verifyText.lapsedTitle[lang]}</strong></p>
<p>${p.lapse.reason === 'revoked' ? verifyText.lapsedRevoked[lang] : verifyText.lapsedExpired[lang]} ${verifyText.lapsedPaused[lang]}</p>
<p><a class="button" href="/account/verify">${t.verifyNow[lang]}</a></p></div>` : ''}
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
<h2 id="security">${securityText.title[lang]}</h2>
<ul>
<li><a href="/account/sessions" data-testid="sessions-link">${securityText.sessions[lang]}</a></li>
<li><a href="/account/email" data-testid="email-link">${securityText.email[lang]}</a></li>
</ul>
<h2 id="links">${t.links[lang]}</h2>
${linksTable(lang, p.links, p.csrf)}
<div class="actions"><a class="button secondary" href="/account/logout">${t.logout[lang]}</a></div>
<p><a href="/portal/leave" data-action="leave">${leaveText.link[lang]}</a></p>`,
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
