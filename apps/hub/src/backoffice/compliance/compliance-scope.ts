import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type AdminRequest, tenantOf } from '../../platform/access/admin-principal';

/**
 * Where a compliance screen works: `/admin/…` on the tenant in scope (its own records only),
 * `/system/…` on the platform (`tenantId: null`: platform-wide records, and every tenant's to read).
 * The access middleware has already refused tenant admins on `/system`.
 */
export interface ComplianceArea {
  area: 'tenant' | 'system';
  /** `/admin/incidents` or `/system/incidents` (without the feature): `/admin` or `/system`. */
  base: '/admin' | '/system';
  tenantId: string | null;
}

/** `@Area() where: ComplianceArea` — the compliance screens' scope, read from the path. */
export const Area = createParamDecorator((_: unknown, ctx: ExecutionContext): ComplianceArea => {
  const req = ctx.switchToHttp().getRequest<AdminRequest>();
  if ((req.path ?? '').toLowerCase().startsWith('/system')) return { area: 'system', base: '/system', tenantId: null };
  return { area: 'tenant', base: '/admin', tenantId: tenantOf(req).id };
});
