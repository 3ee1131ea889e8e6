import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { type AdminSection, adminPage, csrfField } from './admin.layout';
import { confirmText } from './web.messages';

/** What a confirmation page says and where its button posts. */
export interface ConfirmPageOptions {
  lang: Lang;
  principal: AdminPrincipal;
  area: 'tenant' | 'system';
  section: AdminSection;
  /** The action's path: GET shows this page, POST (with `confirm`) does it. */
  path: string;
  /** The action's name, sent as `confirm` (see ConfirmedAction). */
  action: string;
  title: string;
  lead: string;
  /** What the action is done to, as label/value pairs. */
  facts: [string, SafeHtml | string | number][];
  /** What will happen, in words, one sentence each. */
  consequences: string[];
  /** False for the few confirmed actions that can be undone (deactivating a tenant). */
  irreversible?: boolean;
  button: string;
  cancel: string;
  /** Why the action is not possible now: shown instead of the button. */
  blocked?: string;
  /** A label for an optional free-text reason, kept in the audit chain. */
  reason?: string;
  /** The reason must be given (the action's service refuses it without one: reason_required). */
  reasonRequired?: boolean;
  /** Why the last post of this page was refused (shown above the form, which stays filled in). */
  error?: string;
  /** The reason typed before a refusal, to put back. */
  reasonValue?: string;
}

/**
 * The confirmation step of an action that cannot be undone: what it is done to, what will happen,
 * and a danger-styled button that posts the action with its `confirm` field. A plain form: works
 * without JavaScript. When the action is not possible now, the page says why and has no button.
 */
export function confirmPage(o: ConfirmPageOptions): SafeHtml {
  const { lang } = o;
  return adminPage({
    lang, title: o.title, path: o.path, principal: o.principal, area: o.area, section: o.section,
    body: html`<h1>${o.title}</h1>
<p>${o.lead}</p>
<dl class="props card" data-testid="confirm-facts">${o.facts.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>
<section class="confirm" aria-labelledby="confirm-what" data-testid="confirm-consequences">
<h2 id="confirm-what">${confirmText.what[lang]}</h2>
<ul>${o.consequences.map((c) => html`<li>${c}</li>`)}</ul>
${o.irreversible ?? true ? html`<p><strong>${confirmText.irreversible[lang]}</strong></p>` : ''}
</section>
${o.error ? html`<div class="alert" role="alert" data-testid="confirm-error"><p>${o.error}</p></div>` : ''}
${o.blocked ? html`<div class="alert" role="alert" data-testid="confirm-blocked"><p><strong>${confirmText.notPossible[lang]}</strong></p><p>${o.blocked}</p></div>
<div class="actions"><a class="button secondary" href="${o.cancel}">${confirmText.back[lang]}</a></div>` : html`<form method="post" action="${o.path}">
${csrfField(o.principal)}
<input type="hidden" name="confirm" value="${o.action}">
${o.reason ? html`<label for="reason">${o.reason}</label><input type="text" id="reason" name="reason" maxlength="500"${o.reasonRequired ? html` required` : ''}${o.error ? html` aria-invalid="true"` : ''} value="${o.reasonValue ?? ''}">` : ''}
<div class="actions"><button class="button danger" type="submit" data-testid="confirm-button">${o.button}</button>
<a class="button secondary" href="${o.cancel}">${confirmText.cancel[lang]}</a></div>
</form>`}`,
  });
}
