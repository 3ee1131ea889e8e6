import { Controller, Get, UseFilters } from '@nestjs/common';
import { type AdminRoute, AdminRouteCatalog } from '../access/admin-routes';
import { AdminPageFilter } from '../web/admin-errors';

/**
 * The admin routes as Nest registered them (JSON, system admins only): what an operator checks
 * against the network rules, and what the isolation test walks so that new routes are covered.
 */
@Controller('system')
@UseFilters(AdminPageFilter)
export class SystemRoutesController {
  constructor(private readonly catalog: AdminRouteCatalog) {}

  @Get('routes')
  routes(): { routes: AdminRoute[] } {
    return { routes: this.catalog.list() };
  }
}
