import type { KoaContextWithOIDC } from 'oidc-provider';
import { html, type Lang, raw, supportDetails } from '@tsunagu/web';
import { sitePage } from '../../platform/site/site-page';
import { oidcText as text } from './oidc.messages';

/** Language for pages oidc-provider renders itself: ui_locales, then the lang cookie, else Japanese. */
function langOf(ctx: KoaContextWithOIDC): Lang {
  const uiLocales = String((ctx.oidc?.params as { ui_locales?: string } | undefined)?.ui_locales ?? '');
  if (uiLocales.split(' ')[0]?.startsWith('en')) return 'en';
  return ctx.cookies.get('lang') === 'en' ? 'en' : 'ja';
}

/** Pages oidc-provider renders (logout confirmation, post-logout, errors), in the hub's look. */
export const oidcViews = {
  async logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
    const lang = langOf(ctx);
    ctx.type = 'html';
    ctx.body = sitePage({
      lang,
      title: text.logoutTitle[lang],
      body: html`<h1>${text.logoutTitle[lang]}</h1>
<p>${text.logoutQuestion[lang]}</p>
${raw(form)}
<div class="actions">
<button class="button" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${text.logoutYes[lang]}</button>
<button class="button secondary" type="submit" form="op.logoutForm">${text.logoutNo[lang]}</button>
</div>`,
    }).value;
  },

  async postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
    const lang = langOf(ctx);
    ctx.type = 'html';
    ctx.body = sitePage({ lang, title: text.logoutTitle[lang], body: html`<h1>${text.loggedOut[lang]}</h1><p>${text.loggedOutDetail[lang]}</p>` }).value;
  },

  async renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<void> {
    const lang = langOf(ctx);
    ctx.type = 'html';
    ctx.body = sitePage({
      lang,
      title: text.errorTitle[lang],
      body: html`<h1>${text.errorTitle[lang]}</h1>
<div class="alert" role="alert"><p>${text.errorLead[lang]}</p>
</div>
${supportDetails(lang, html`<p class="mono" data-code>${out.error}${out.error_description ? html`: ${out.error_description}` : ''}</p>`)}`,
    }).value;
  },
};
