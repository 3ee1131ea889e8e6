import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import { SITE_LINKS, sitePage } from '../platform/site/site-page';
import { homeText as t, purposeText } from './portal.messages';

/** The hub's front page: what the platform is for, in one sentence, and the way in. */
export function homePage(lang: Lang): SafeHtml {
  return sitePage({
    lang, title: t.title[lang], path: '/',
    body: html`<h1>${t.title[lang]}</h1><p data-testid="purpose">${purposeText[lang]}</p>
<div class="actions"><a class="button" href="/account">${t.account[lang]}</a><a class="button secondary" href="${SITE_LINKS.manual}">${t.manual[lang]}</a></div>`,
  });
}
