import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { html, page, pickLang } from '@tsunagu/web';

const t = {
  title: { ja: 'Tsunagu（つなぐ）', en: 'Tsunagu' },
  lead: { ja: '鳥取県と県内市町村のパーソナル系データ連携基盤です。ひとつの Tottori ID で各サービスにログインでき、どのデータをどのサービスに提供するかをご自身で決められます。', en: 'The personal-data linkage platform of Tottori prefecture and its municipalities. One Tottori ID signs you in to every service, and you decide which data goes to which service.' },
  account: { ja: 'マイページへ', en: 'Go to my account' },
};

@Controller()
export class HomeController {
  @Get()
  home(@Req() req: Request, @Res() res: Response): void {
    const lang = pickLang(req);
    res.type('html').send(page({
      lang, title: t.title[lang], path: '/',
      body: html`<h1>${t.title[lang]}</h1><p>${t.lead[lang]}</p><div class="actions"><a class="button" href="/account">${t.account[lang]}</a></div>`,
    }).value);
  }
}
