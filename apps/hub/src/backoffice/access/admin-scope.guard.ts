import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminRequest } from '../../platform/access/admin-principal';
import { AdminScopeRepository, isTenantResourceParam, isWellFormedResourceId } from './admin-scope.repository';

/**
 * Path parameters of tenant-screen routes that name no tenant resource by themselves: an asset's
 * path, and an offer's version number, which only means something under the `offerCode` beside it
 * (that one is checked, and the service reads the version within that offer).
 */
const NEUTRAL_PARAMS = new Set(['path', 'version']);

/**
 * Global guard (runs before pipes and handlers): on `/admin/…` routes, every path parameter that
 * names a tenant resource must name one of the tenant in scope, or the answer is 404 — before the
 * body is even validated, so that another tenant's IDs learn nothing. A parameter this guard does
 * not know refuses the route (deny by default): a new route with a new kind of ID must be
 * registered in AdminScopeRepository to work at all. Repositories scope every query by tenant as well.
 */
@Injectable()
export class AdminScopeGuard implements CanActivate {
  constructor(private readonly scope: AdminScopeRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AdminRequest>();
    // Express matches routes case-insensitively: /ADMIN/… is an admin route too.
    const path = (req.path ?? '').toLowerCase();
    if (!(path === '/admin' || path.startsWith('/admin/'))) return true;
    const params = Object.entries((req.params ?? {}) as Record<string, unknown>);
    if (params.length === 0) return true;
    const tenantId = req.admin?.tenant?.id;
    for (const [name, value] of params) {
      if (NEUTRAL_PARAMS.has(name)) continue;
      if (!isTenantResourceParam(name)) throw new Error(`Admin route parameter "${name}" is not registered in AdminScopeRepository: refused`);
      if (!tenantId || typeof value !== 'string' || !isWellFormedResourceId(name, value) || !(await this.scope.belongsToTenant(name, value, tenantId))) {
        throw new AdminException('admin_not_found');
      }
    }
    return true;
  }
}
