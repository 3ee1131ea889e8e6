import { Injectable } from '@nestjs/common';
import type { InquiryForm, InquiryLookupForm } from '@tsunagu/contracts';
import { type InquiryView, InquiriesService } from '../compliance/inquiries/inquiries.service';
import { ResidentSessionService, type ResidentSession } from '../identity/session/resident-session.service';

/** The portal's side of inquiries: the form (with the CSRF token when signed in), sending, reading answers. */
@Injectable()
export class PortalInquiriesService {
  constructor(private readonly inquiries: InquiriesService, private readonly sessions: ResidentSessionService) {}

  async formFor(session: ResidentSession | undefined): Promise<{ desks: Awaited<ReturnType<InquiriesService['desks']>>; csrf?: string }> {
    const [desks, csrf] = await Promise.all([this.inquiries.desks(), session ? this.sessions.csrfToken(session) : undefined]);
    return { desks, csrf };
  }

  send(form: InquiryForm, session: ResidentSession | undefined, ip: string | undefined): Promise<{ receiptNo: string; key: string }> {
    return this.inquiries.submitFromResident(form, session?.accountId, ip);
  }

  lookup(form: InquiryLookupForm, ip: string | undefined): Promise<InquiryView> {
    return this.inquiries.lookup(form, ip);
  }

  mine(session: ResidentSession): Promise<InquiryView[]> {
    return this.inquiries.forResident(session.accountId);
  }
}
