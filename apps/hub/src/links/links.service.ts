import { Injectable } from '@nestjs/common';
import type { LinkView } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../audit/audit.service';
import { ServicesService } from '../tenancy/services/services.service';
import { LinkException } from './link.exception';
import { type LinkRow, LinksRepository, type ResidentLinkRow } from './links.repository';

/** The service and resident a bearer access token speaks for. */
export interface TokenSubject {
  clientId: string;
  residentId: string;
}

function view(clientId: string, row: LinkRow): LinkView {
  return { serviceId: clientId, localId: row.local_id, linkedAt: new Date(row.linked_at).toISOString() };
}

/** Linking a service's local account ID to a resident's common ID, and undoing it. */
@Injectable()
export class LinksService {
  private readonly logger = new AppLogger(LinksService.name);

  constructor(private readonly repo: LinksRepository, private readonly services: ServicesService, private readonly audit: AuditService) {}

  async link(subject: TokenSubject, localId: string): Promise<{ link: LinkView; created: boolean }> {
    const service = await this.services.findActiveByClientId(subject.clientId);
    if (!service) throw new LinkException('invalid_token');
    const result = await this.repo.insert({ tenantId: service.tenant_id, serviceId: service.id, residentId: subject.residentId, localId });
    if (result === 'local_id_taken' || result === 'resident_linked') {
      await this.audit.record({
        type: 'link.created', actor: { kind: 'service', id: subject.clientId }, tenantId: service.tenant_id, subject: subject.residentId,
        outcome: 'failure', reason: result === 'local_id_taken' ? 'link_conflict' : 'resident_already_linked',
      });
    }
    if (result === 'local_id_taken') {
      this.logger.warn(LogKind.Operation, 'Link refused: local ID linked to another resident', { clientId: subject.clientId });
      throw new LinkException('link_conflict');
    }
    if (result === 'resident_linked') {
      throw new LinkException('resident_already_linked');
    }
    if (result.created) {
      this.logger.log(LogKind.Operation, 'Local ID linked', { clientId: subject.clientId, residentId: subject.residentId });
      // The local ID itself is the service's account number: the link's own ID identifies it instead.
      await this.audit.record({
        type: 'link.created', actor: { kind: 'service', id: subject.clientId }, tenantId: service.tenant_id, subject: subject.residentId,
        outcome: 'success', details: { linkId: result.row.id },
      });
    }
    return { link: view(subject.clientId, result.row), created: result.created };
  }

  async linkOf(subject: TokenSubject): Promise<LinkView> {
    const service = await this.services.findActiveByClientId(subject.clientId);
    const row = service && await this.repo.findForResidentAtService(service.id, subject.residentId);
    if (!row) throw new LinkException('link_not_found');
    return view(subject.clientId, row);
  }

  listForResident(residentId: string): Promise<ResidentLinkRow[]> {
    return this.repo.listForResident(residentId);
  }

  findForResidentByClient(residentId: string, clientId: string): Promise<ResidentLinkRow | undefined> {
    return this.repo.findForResidentByClient(residentId, clientId);
  }

  findOfResident(residentId: string, linkId: string): Promise<ResidentLinkRow | undefined> {
    return this.repo.findOfResident(residentId, linkId);
  }

  async unlink(residentId: string, linkId: string): Promise<void> {
    if (!(await this.repo.deleteForResident(residentId, linkId))) {
      throw new LinkException('link_not_found');
    }
    this.logger.log(LogKind.Operation, 'Local ID unlinked', { residentId });
    await this.audit.record({ type: 'link.removed', actor: { kind: 'resident', id: residentId }, subject: residentId, outcome: 'success', details: { linkId } });
  }
}
