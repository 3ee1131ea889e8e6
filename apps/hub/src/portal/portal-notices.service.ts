import { Injectable } from '@nestjs/common';
import type { PortalNoticeView } from '@tsunagu/contracts';
import { IncidentsService } from '../compliance/incidents/incidents.service';
import { NoticesService } from './notices.service';

/** What the resident was told of an incident that concerns their data (本人への通知). */
export interface IncidentNoticeView {
  title: string;
  summary: string;
  items: string;
  response: string;
  discoveredAt: Date;
  notifiedAt: Date;
}

/** The notices page's content: what changed for the resident's consents, and incidents they were told of. */
@Injectable()
export class PortalNoticesService {
  constructor(private readonly notices: NoticesService, private readonly incidents: IncidentsService) {}

  async forResident(residentId: string): Promise<{ notices: PortalNoticeView[]; incidents: IncidentNoticeView[] }> {
    const [notices, incidents] = await Promise.all([this.notices.list(residentId), this.incidents.forResident(residentId)]);
    return {
      notices,
      incidents: incidents.map((i) => ({ title: i.title, summary: i.summary, items: i.items, response: i.resident_response, discoveredAt: new Date(i.discovered_at), notifiedAt: new Date(i.notified_at) })),
    };
  }
}
