import { Body, Controller, Get, Ip, Param, Post, Query, UseFilters } from '@nestjs/common';
import { DomainException, statusFor, TooManyAttemptsException } from '@tsunagu/common';
import { inquiryFormSchema, inquiryReplyFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { InquiriesService } from '../../compliance/inquiries/inquiries.service';
import { type AdminPrincipal, Principal } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { submitted, validForm } from '../web/admin-forms';
import { adminReply } from '../web/admin.layout';
import { Area, type ComplianceArea } from './compliance-scope';
import { inquiriesPage, inquiryAdminText, inquiryPage } from './inquiries.views';

/** Inquiry inboxes: `/admin/inquiries` (the tenant's, and its staff's form), `/system/inquiries` (every inbox). */
@Controller(['admin/inquiries', 'system/inquiries'])
@UseFilters(AdminPageFilter)
export class InquiriesAdminController {
  constructor(private readonly inquiries: InquiriesService) {}

  @Get()
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Query('sent') sent?: string): Promise<WebReply> {
    const notice = sent && /^Q-\d{8}-[0-9A-Z]{6}$/.test(sent) ? `${inquiryAdminText.sent[lang]}${sent}` : undefined;
    return adminReply(inquiriesPage({ lang, principal, where, inquiries: await this.inquiries.list(where), notice }));
  }

  /** A tenant's staff asking the platform desk. */
  @Post()
  async ask(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @WantsJson() json: boolean, @Ip() ip: string, @Body() body: unknown): Promise<WebReply> {
    try {
      const { receiptNo } = await this.inquiries.submitFromStaff(principal, where, validForm(inquiryFormSchema, body), ip);
      if (json) return WebReply.json({ receiptNo }, 201);
      return WebReply.seeOther(`${where.base}/inquiries?sent=${receiptNo}`);
    } catch (error) {
      if (!(error instanceof DomainException) || json || error instanceof TooManyAttemptsException) throw error;
      return adminReply(inquiriesPage({ lang, principal, where, inquiries: await this.inquiries.list(where), error }), statusFor(error.reason));
    }
  }

  @Get(':inquiryId')
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Param('inquiryId') id: string, @Query('done') done?: string): Promise<WebReply> {
    return adminReply(inquiryPage({ lang, principal, where, inquiry: await this.inquiries.get(where, id, principal), notice: done === 'saved' ? inquiryAdminText.saved[lang] : undefined }));
  }

  @Post(':inquiryId')
  async answer(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @WantsJson() json: boolean, @Param('inquiryId') id: string, @Body() body: unknown): Promise<WebReply> {
    try {
      await this.inquiries.answer(principal, where, id, validForm(inquiryReplyFormSchema, body));
      if (json) return WebReply.json({ ok: true });
      return WebReply.seeOther(`${where.base}/inquiries/${id}?done=saved`);
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code === 'inquiry_not_found') throw error;
      return adminReply(inquiryPage({ lang, principal, where, inquiry: await this.inquiries.get(where, id, principal), error, values: submitted(body) }), statusFor(error.reason));
    }
  }
}
