import { html, type Lang, page, type SafeHtml } from '@tsunagu/web';
import { homeText as t } from './portal.messages';

export function homePage(lang: Lang): SafeHtml {
  return page({
    lang, title: t.title[lang], path: '/',
    body: html`<h1>${t.title[lang]}</h1><p>${t.lead[lang]}</p><div class="actions"><a class="button" href="/account">${t.account[lang]}</a></div>`,
  });
}
