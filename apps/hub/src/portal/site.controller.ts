import { join } from 'node:path';
import { Controller, Get, Inject } from '@nestjs/common';
import { Lang, WebReply } from '@tsunagu/web';
import { platformNoticeJson } from '../platform/site/site-notices';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { SITE_LINKS } from '../platform/site/site-page';
import { siteDocumentText as t } from './portal.messages';
import { BilingualDocument } from './site-documents';
import { contactPage, documentPage, noticesPage } from './site.views';
import { MaintenanceNoticeService } from '../operations/maintenance/maintenance-notice.service';

/** The site pages every footer links to: privacy policy, terms of use, inquiries. Public. */
@Controller()
export class SiteController {
  private readonly privacy = new BilingualDocument(join('docs', 'policies', 'privacy.md'));
  private readonly terms = new BilingualDocument(join('docs', 'policies', 'terms.md'));

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig, private readonly notices: MaintenanceNoticeService) {}

  /** Every current platform notice: the domain end (its own section, 2-3(7)イ) and planned stops. */
  @Get(SITE_LINKS.notices.slice(1))
  async noticesPage(@Lang() lang: Lang): Promise<WebReply> {
    return WebReply.page(noticesPage({ lang, notices: await this.notices.current() }));
  }

  /** The same notices for connected services (public JSON, nothing personal; not cached, so a cancellation shows at once). */
  @Get('api/v1/notices')
  async noticesApi(): Promise<WebReply> {
    return WebReply.json({ notices: (await this.notices.current()).map(platformNoticeJson) }).noStore();
  }

  /** 503 when the document is missing from the deployment: the page says so. */
  @Get(SITE_LINKS.privacy.slice(1))
  privacyPolicy(@Lang() lang: Lang): WebReply {
    const document = this.privacy.render(lang);
    return WebReply.page(documentPage({ lang, path: SITE_LINKS.privacy, title: t.privacy[lang], document }), document ? 200 : 503);
  }

  @Get(SITE_LINKS.terms.slice(1))
  termsOfUse(@Lang() lang: Lang): WebReply {
    const document = this.terms.render(lang);
    return WebReply.page(documentPage({ lang, path: SITE_LINKS.terms, title: t.terms[lang], document }), document ? 200 : 503);
  }

  @Get(SITE_LINKS.contact.slice(1))
  contact(@Lang() lang: Lang): WebReply {
    return WebReply.page(contactPage({ lang, contact: this.config }));
  }
}
