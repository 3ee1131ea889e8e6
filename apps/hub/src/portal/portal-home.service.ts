import { Injectable } from '@nestjs/common';
import type { LinkedServiceView, PortalHomeView } from '@tsunagu/contracts';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { ConsentService } from '../consent/consent.service';
import type { ResidentLinkRow } from '../links/links.repository';
import { LinksService } from '../links/links.service';
import { ResidentsService } from '../identity/residents/residents.service';
import { NoticesService } from './notices.service';
import { PortalException } from './portal.exception';

export function linkedServiceView(l: ResidentLinkRow): LinkedServiceView {
  return { id: l.id, clientId: l.client_id, name: { ja: l.name_ja, en: l.name_en }, localId: l.local_id, linkedAt: new Date(l.linked_at).toISOString() };
}

/** What the portal home shows, for the JSON API (`GET /api/v1/portal/me`). */
@Injectable()
export class PortalHomeService {
  constructor(
    private readonly residents: ResidentsService,
    private readonly links: LinksService,
    private readonly consents: ConsentService,
    private readonly sessions: ResidentSessionService,
    private readonly notices: NoticesService,
  ) {}

  async home(session: ResidentSession): Promise<PortalHomeView> {
    const [resident, links, pending, notices, csrfToken] = await Promise.all([
      this.residents.findById(session.accountId),
      this.links.listForResident(session.accountId),
      this.consents.pendingRequests(session.accountId),
      this.notices.list(session.accountId),
      this.sessions.csrfToken(session),
    ]);
    // A session can outlive its account (removed by an administrator): treat it as signed out.
    if (!resident) throw new PortalException('not_signed_in');
    return {
      commonId: resident.commonId,
      displayName: resident.displayName,
      identityVerifiedAt: resident.identityVerifiedAt ? new Date(resident.identityVerifiedAt).toISOString() : null,
      linkedServices: links.map(linkedServiceView),
      pendingRequests: pending.map((p) => ({ dataUse: p.dataUse.code, title: p.dataUse.title, reason: p.reason })),
      noticeCount: notices.length,
      csrfToken,
    };
  }
}
