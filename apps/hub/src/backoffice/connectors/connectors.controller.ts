import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema } from '@tsunagu/contracts';
import { pickLang } from '@tsunagu/web';
import { type AdminRequest, principalOf, tenantOf } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { sendPage } from '../web/admin.layout';
import { type ConnectorAction, ConnectorsService } from '../../exchange/connectors/connectors.service';
import { connectorText } from './connectors.messages';
import { connectorPage, connectorsPage } from './connectors.views';

/** The tenant's connectors: status columns, and approve / suspend / resume / revoke. */
@Controller('admin/connectors')
@UseFilters(AdminPageFilter)
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsService) {}

  @Get()
  async list(@Req() req: AdminRequest, @Res() res: Response, @Query('done') done?: string): Promise<void> {
    const lang = pickLang(req);
    sendPage(res, connectorsPage({ lang, principal: principalOf(req), connectors: await this.connectors.list(tenantOf(req)), notice: done ? connectorText.done[lang] : undefined }));
  }

  @Get(':connectorId')
  async show(@Req() req: AdminRequest, @Res() res: Response, @Param('connectorId') id: string, @Query('done') done?: string): Promise<void> {
    const lang = pickLang(req);
    sendPage(res, connectorPage({ lang, principal: principalOf(req), connector: await this.connectors.detail(tenantOf(req), id), notice: done ? connectorText.done[lang] : undefined }));
  }

  @Post(':connectorId/approve')
  approve(@Req() req: AdminRequest, @Res() res: Response, @Param('connectorId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) form: AdminActionForm): Promise<void> {
    return this.act(req, res, id, 'approve', form);
  }

  @Post(':connectorId/suspend')
  suspend(@Req() req: AdminRequest, @Res() res: Response, @Param('connectorId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) form: AdminActionForm): Promise<void> {
    return this.act(req, res, id, 'suspend', form);
  }

  @Post(':connectorId/resume')
  resume(@Req() req: AdminRequest, @Res() res: Response, @Param('connectorId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) form: AdminActionForm): Promise<void> {
    return this.act(req, res, id, 'resume', form);
  }

  @Post(':connectorId/revoke')
  revoke(@Req() req: AdminRequest, @Res() res: Response, @Param('connectorId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) form: AdminActionForm): Promise<void> {
    return this.act(req, res, id, 'revoke', form);
  }

  private async act(req: AdminRequest, res: Response, id: string, action: ConnectorAction, form: AdminActionForm): Promise<void> {
    await this.connectors.act(principalOf(req), tenantOf(req), id, action, form.reason);
    res.redirect(303, `/admin/connectors/${id}?done=1`);
  }
}
