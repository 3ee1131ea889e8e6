import { Body, Controller, Get, Ip, Post, UseFilters, UseGuards } from '@nestjs/common';
import { AjvBodyPipe, DomainException, statusFor, TooManyAttemptsException } from '@tsunagu/common';
import { type InquiryForm, inquiryFormSchema, type InquiryLookupForm, inquiryLookupFormSchema } from '@tsunagu/contracts';
import { Lang } from '@tsunagu/web';
import type { WebReply } from '@tsunagu/web';
import type { ResidentSession } from '../identity/session/resident-session.service';
import { PortalPageFilter } from './portal-page.filter';
import { portalReply } from './portal.layout';
import { PortalInquiriesService } from './portal-inquiries.service';
import { MaybeResident, Resident, ResidentGuard, ResidentOptional } from './resident.guard';
import { inquiryFormPage, inquiryReceivedPage, inquiryStatusPage, myInquiriesPage } from './inquiry.views';

/**
 * Inquiries from residents (問い合わせ): the form at `/inquiry` needs no sign-in (signed in, the
 * account is attached and the answer shows under `/portal/inquiries`); `/inquiry/status` reads
 * the answer with the receipt number and the key.
 */
@Controller()
@UseGuards(ResidentGuard)
@UseFilters(PortalPageFilter)
export class InquiryController {
  constructor(private readonly inquiries: PortalInquiriesService) {}

  @Get('inquiry')
  @ResidentOptional()
  async form(@Lang() lang: Lang, @MaybeResident() session?: ResidentSession): Promise<WebReply> {
    return portalReply(inquiryFormPage({ lang, ...(await this.inquiries.formFor(session)) }));
  }

  @Post('inquiry')
  @ResidentOptional()
  async send(@Lang() lang: Lang, @Ip() ip: string, @Body(new AjvBodyPipe(inquiryFormSchema)) form: InquiryForm, @MaybeResident() session?: ResidentSession): Promise<WebReply> {
    try {
      return portalReply(inquiryReceivedPage({ lang, ...(await this.inquiries.send(form, session, ip)), signedIn: Boolean(session) }));
    } catch (error) {
      if (!(error instanceof DomainException) || error instanceof TooManyAttemptsException) throw error;
      const values = { category: form.category, tenant: form.tenant ?? '', message: form.message, name: form.name ?? '', contact: form.contact ?? '' };
      return portalReply(inquiryFormPage({ lang, ...(await this.inquiries.formFor(session)), error: error.bilingual[lang], values }), statusFor(error.reason));
    }
  }

  @Get('inquiry/status')
  @ResidentOptional()
  status(@Lang() lang: Lang): WebReply {
    return portalReply(inquiryStatusPage({ lang }));
  }

  /** A post, so that the key stays out of addresses and logs. */
  @Post('inquiry/status')
  @ResidentOptional()
  async lookup(@Lang() lang: Lang, @Ip() ip: string, @Body(new AjvBodyPipe(inquiryLookupFormSchema)) form: InquiryLookupForm): Promise<WebReply> {
    return portalReply(inquiryStatusPage({ lang, inquiry: await this.inquiries.lookup(form, ip) }));
  }

  @Get('portal/inquiries')
  async mine(@Lang() lang: Lang, @Resident() session: ResidentSession): Promise<WebReply> {
    return portalReply(myInquiriesPage({ lang, inquiries: await this.inquiries.mine(session) }));
  }
}
