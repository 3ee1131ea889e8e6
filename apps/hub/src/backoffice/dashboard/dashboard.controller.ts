import { Controller, Get, UseFilters } from '@nestjs/common';
import { Lang, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal, Tenant, type TenantRef } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { adminReply } from '../web/admin.layout';
import { DashboardService } from './dashboard.service';
import { dashboardPage } from './dashboard.views';

/** The tenant's dashboard: counts, charts (Chart.js) and the same figures as tables. */
@Controller('admin')
@UseFilters(AdminPageFilter)
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef): Promise<WebReply> {
    return adminReply(dashboardPage({ lang, principal, figures: await this.dashboard.figures(tenant.id) }));
  }
}
