import { Controller, Get } from '@nestjs/common';
import { Lang, WebReply } from '@tsunagu/web';
import { ManualService } from './manual.service';
import { manualPage } from './manual.views';

/** The resident manual: public (no sign-in), linked from every portal page's footer. */
@Controller('portal/manual')
export class ManualController {
  constructor(private readonly manuals: ManualService) {}

  /** 503 when the manual file is missing from the deployment: the page says so. */
  @Get()
  show(@Lang() lang: Lang): WebReply {
    const manual = this.manuals.manual(lang);
    return WebReply.page(manualPage(lang, manual), manual ? 200 : 503);
  }
}
