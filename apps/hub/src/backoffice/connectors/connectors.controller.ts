import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema } from '@tsunagu/contracts';
import { Lang, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal, Tenant, type TenantRef } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { adminReply, doneNotice } from '../web/admin.layout';
import { type ConnectorAction, ConnectorsService } from '../../exchange/connectors/connectors.service';
import { connectorText } from './connectors.messages';
import { connectorPage, connectorsPage, revokeConfirmPage } from './connectors.views';
import { ConfirmedAction, type ConfirmedActionForm } from '../web/confirm';

/** What the connector's page says after a decision (`?done=`). */
const notices = { 1: connectorText.done, revoked: connectorText.revoked };

/**
 * The tenant's connectors: status columns, and approve / suspend / resume / revoke (revoking
 * through its confirmation page; its answer waits until the providers refuse the connector's grants).
 */
@Controller('admin/connectors')
@UseFilters(AdminPageFilter)
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsService) {}

  @Get()
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Query('done') done?: string): Promise<WebReply> {
    return adminReply(connectorsPage({ lang, principal, connectors: await this.connectors.list(tenant), notice: done ? connectorText.done[lang] : undefined }));
  }

  @Get(':connectorId')
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('connectorId') id: string, @Query('done') done?: string): Promise<WebReply> {
    return adminReply(connectorPage({ lang, principal, connector: await this.connectors.detail(tenant, id), notice: doneNotice(lang, done, notices) }));
  }

  @Post(':connectorId/approve')
  approve(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('connectorId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) form: AdminActionForm): Promise<WebReply> {
    return this.act(principal, tenant, id, 'approve', form);
  }

  @Post(':connectorId/suspend')
  suspend(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('connectorId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) form: AdminActionForm): Promise<WebReply> {
    return this.act(principal, tenant, id, 'suspend', form);
  }

  @Post(':connectorId/resume')
  resume(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('connectorId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) form: AdminActionForm): Promise<WebReply> {
    return this.act(principal, tenant, id, 'resume', form);
  }

  /** The confirmation step of revoking (final). */
  @Get(':connectorId/revoke')
  async revokeForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('connectorId') id: string): Promise<WebReply> {
    return adminReply(revokeConfirmPage({ lang, principal, connector: await this.connectors.detail(tenant, id) }));
  }

  /** Revokes, and answers once the providers refuse the connector's grants (or with by when they will): its page shows which. */
  @Post(':connectorId/revoke')
  async revoke(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('connectorId') id: string, @Body(new ConfirmedAction('revoke')) form: ConfirmedActionForm): Promise<WebReply> {
    await this.connectors.revoke(principal, tenant, id, form.reason);
    return WebReply.seeOther(`/admin/connectors/${id}?done=revoked`);
  }

  private async act(principal: AdminPrincipal, tenant: TenantRef, id: string, action: ConnectorAction, form: AdminActionForm): Promise<WebReply> {
    await this.connectors.act(principal, tenant, id, action, form.reason);
    return WebReply.seeOther(`/admin/connectors/${id}?done=1`);
  }
}
