import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminRequest } from '../../platform/access/admin-principal';

/**
 * Tenant-owned resources a tenant-screen route may name in its path, and the query that says
 * whether one belongs to a tenant. The parameter's name says what it is.
 */
export const TENANT_RESOURCE_PARAMS: Record<string, string> = {
  serviceId: `SELECT 1 FROM services WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
  connectorId: `SELECT 1 FROM connectors WHERE id = $1 AND tenant_id = $2`,
  permissionId: `SELECT 1 FROM api_permissions WHERE id = $1 AND tenant_id = $2`,
};

/** Path parameters of tenant-screen routes that name no tenant resource. */
const NEUTRAL_PARAMS = new Set(['path']);

/**
 * Global guard (runs before pipes and handlers): on `/admin/…` routes, every path parameter that
 * names a tenant resource must name one of the tenant in scope, or the answer is 404 — before the
 * body is even validated, so that another tenant's IDs learn nothing. A parameter this guard does
 * not know refuses the route (deny by default): a new route with a new kind of ID must be
 * registered above to work at all. Repositories scope every query by tenant as well.
 */
@Injectable()
export class AdminScopeGuard implements CanActivate {
  constructor(private readonly db: DataSource) {}

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
      const sql = TENANT_RESOURCE_PARAMS[name];
      if (!sql) throw new Error(`Admin route parameter "${name}" is not registered in AdminScopeGuard: refused`);
      if (!tenantId || !isUuid(value) || (await this.db.query(sql, [value, tenantId])).length === 0) {
        throw new AdminException('admin_not_found');
      }
    }
    return true;
  }
}
