import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { html, pickLang, raw } from '@tsunagu/web';
import { portalPage } from './portal.layout';
import { ManualService } from './manual.service';

const t = {
  title: { ja: '操作マニュアル（県民等向け）', en: 'Resident manual' },
  contents: { ja: '目次', en: 'Contents' },
  missing: { ja: 'マニュアルを表示できません。時間をおいて再度お試しください。', en: 'The manual cannot be shown right now. Please try again later.' },
};

/** The table of contents goes right after the manual's title. */
function withContents(manual: string, contents: string) {
  const end = manual.indexOf('</h1>');
  return raw(end < 0 ? contents + manual : manual.slice(0, end + 5) + contents + manual.slice(end + 5));
}

/** The resident manual: public (no sign-in), linked from every portal page's footer. */
@Controller('portal/manual')
export class ManualController {
  constructor(private readonly manuals: ManualService) {}

  @Get()
  show(@Req() req: Request, @Res() res: Response): void {
    const lang = pickLang(req);
    const manual = this.manuals.manual(lang);
    const toc = manual?.headings.filter((h) => h.level === 2) ?? [];
    res.status(manual ? 200 : 503).type('html').send(portalPage({
      lang, title: t.title[lang], path: '/portal/manual', section: 'manual', signedIn: false,
      body: manual
        ? withContents(manual.html, toc.length ? html`<nav aria-label="${t.contents[lang]}" class="card"><h2>${t.contents[lang]}</h2><ol>${toc.map((h) => html`<li><a href="#${h.id}">${h.text}</a></li>`)}</ol></nav>`.value : '')
        : html`<h1>${t.title[lang]}</h1><p class="alert">${t.missing[lang]}</p>`,
    }).value);
  }
}
