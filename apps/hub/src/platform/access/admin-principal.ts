import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** A tenant as the admin screens name it. */
export interface TenantRef {
  id: string;
  code: string;
  nameJa: string;
  nameEn: string;
}

/** The signed-in admin of a request, resolved by the admin access middleware. */
export interface AdminPrincipal {
  sessionId: string;
  adminId: string;
  loginId: string;
  displayName: string;
  /** `tenant`: an admin of one tenant; `system`: a system admin. */
  kind: 'tenant' | 'system';
  /** The admin's own tenant (tenant admins only). */
  ownTenant?: TenantRef;
  /**
   * The tenant the tenant screens (`/admin/…`) work on: the admin's own, or the one a system admin
   * chose. Every tenant-owned query of those screens is scoped by its ID.
   */
  tenant?: TenantRef;
  /** The session's CSRF token, for forms. */
  csrf: string;
  /** The client address the allow-lists saw. */
  clientIp: string;
}

export interface AdminRequest extends Request {
  admin?: AdminPrincipal;
}

/** The signed-in admin; the middleware guarantees one on every non-public admin route. */
export function principalOf(req: AdminRequest): AdminPrincipal {
  if (!req.admin) throw new Error('AdminAccessMiddleware did not run for this route');
  return req.admin;
}

/** The tenant the tenant screens act on (the middleware refuses /admin routes without one). */
export function tenantOf(req: AdminRequest): TenantRef {
  const tenant = principalOf(req).tenant;
  if (!tenant) throw new Error('No tenant in scope: AdminAccessMiddleware should have refused this request');
  return tenant;
}

/** `@Principal() principal: AdminPrincipal` — the signed-in admin ({@link principalOf}) as a handler parameter. */
export const Principal = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminPrincipal => principalOf(ctx.switchToHttp().getRequest<AdminRequest>()));

/** `@Tenant() tenant: TenantRef` — the tenant in scope ({@link tenantOf}) as a handler parameter. */
export const Tenant = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantRef => tenantOf(ctx.switchToHttp().getRequest<AdminRequest>()));
