import { Controller, Get } from '@nestjs/common';
import { Lang, WebReply } from '@tsunagu/web';
import { homePage } from './home.views';

/** The hub's front page: what the platform is for, and the way to the resident's account. */
@Controller()
export class HomeController {
  @Get()
  home(@Lang() lang: Lang): WebReply {
    return WebReply.page(homePage(lang));
  }
}
