import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { pickLang } from '@tsunagu/web';
import { type AdminRequest, principalOf, tenantOf } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { sendPage } from '../web/admin.layout';
import { DashboardService } from './dashboard.service';
import { dashboardPage } from './dashboard.views';

/** The tenant's dashboard: counts, charts (Chart.js) and the same figures as tables. */
@Controller('admin')
@UseFilters(AdminPageFilter)
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  async show(@Req() req: AdminRequest, @Res() res: Response): Promise<void> {
    const figures = await this.dashboard.figures(tenantOf(req).id);
    sendPage(res, dashboardPage({ lang: pickLang(req), principal: principalOf(req), figures }));
  }
}
