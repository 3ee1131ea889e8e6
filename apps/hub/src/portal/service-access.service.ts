import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ResidentAccessService } from '../identity/oidc/resident-access.service';
import { LinkException } from '../links/link.exception';
import { LinksService } from '../links/links.service';
import { ServicesService } from '../tenancy/services/services.service';

/** One row of 連携サービス: a service with access to the resident's sign-in, or with a linked local ID, or both. */
export interface ConnectedService {
  clientId: string;
  name: { ja: string; en: string };
  /** The service holds an OIDC grant (it may sign the resident in and use its tokens). */
  access: boolean;
  grantedAt?: Date;
  link?: { id: string; localId: string; linkedAt: Date };
}

/**
 * The services connected to a resident (OIDC grants and ID links together), and removing one:
 * its grants and every token are revoked, it is signed out by back-channel logout, and its ID link
 * is removed. Unlinking alone would leave the service's refresh token working (review finding 9).
 */
@Injectable()
export class ServiceAccessService {
  constructor(
    private readonly access: ResidentAccessService,
    private readonly links: LinksService,
    private readonly services: ServicesService,
    private readonly audit: AuditService,
  ) {}

  async list(residentId: string): Promise<ConnectedService[]> {
    const [grants, links] = await Promise.all([this.access.list(residentId), this.links.listForResident(residentId)]);
    const rows = new Map<string, ConnectedService>();
    for (const l of links) {
      rows.set(l.client_id, { clientId: l.client_id, name: { ja: l.name_ja, en: l.name_en }, access: false, link: { id: l.id, localId: l.local_id, linkedAt: new Date(l.linked_at) } });
    }
    for (const g of grants) {
      const row = rows.get(g.clientId);
      if (row) Object.assign(row, { access: true, grantedAt: g.grantedAt });
      else {
        const service = await this.services.findActiveByClientId(g.clientId);
        if (service) rows.set(g.clientId, { clientId: g.clientId, name: { ja: service.name_ja, en: service.name_en }, access: true, grantedAt: g.grantedAt });
      }
    }
    return [...rows.values()];
  }

  /** Removes a service by its client ID: access revoked, signed out, unlinked. */
  async remove(residentId: string, clientId: string): Promise<void> {
    const link = await this.links.findForResidentByClient(residentId, clientId);
    const revoked = await this.access.revoke(residentId, clientId);
    if (!link && revoked.grants === 0) throw new LinkException('link_not_found');
    if (revoked.grants > 0) {
      await this.audit.record({
        type: 'service.access_revoked', actor: { kind: 'resident', id: residentId }, subject: residentId, outcome: 'success',
        details: { clientId, grants: revoked.grants, backchannelLogout: revoked.backchannelLogout },
      });
    }
    if (link) await this.links.unlink(residentId, link.id);
  }

  /** Removes the service of one of the resident's ID links (the home page and the JSON API name links by ID). */
  async removeByLink(residentId: string, linkId: string): Promise<void> {
    const link = await this.links.findOfResident(residentId, linkId);
    if (!link) throw new LinkException('link_not_found');
    await this.remove(residentId, link.client_id);
  }
}
