import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { csrfRequired, submittedCsrfToken, wantsJson } from '@tsunagu/web';
import { AdminAccountsService } from '../auth/admin-accounts.service';
import type { AdminPrincipal, AdminRequest } from '../../platform/access/admin-principal';
import { AdminSessionService } from '../auth/admin-session.service';
import { AdminException } from '../../platform/access/admin.exception';
import { sendAdminError } from '../web/admin-errors';
import { AdminNetworksService } from './admin-networks.service';

/** Admin routes that need no session: the sign-in page and the static scripts of the screens. */
export function isPublicAdminPath(path: string): boolean {
  return path === '/admin/login' || path.startsWith('/admin/assets/');
}

/** Paths the tenant screens serve to a system admin who has not chosen a tenant. */
const SYSTEM_ADMIN_TENANT_FREE = new Set(['/admin/account', '/admin/account/password', '/admin/logout']);

/**
 * The gate in front of every route under `/admin` and `/system`, bound by path so that a new
 * route is covered without anyone remembering to: it runs before guards, pipes and handlers.
 *
 * 1. Network: `/system` only from the system admins' networks; `/admin` only from a network some
 *    admin may use (the sign-in page cannot know whose yet).
 * 2. Session: every non-public route needs a live session (idle timeout, maximum lifetime).
 * 3. Network again, now per account: a tenant admin only from the tenant's networks, a system
 *    admin only from the system networks.
 * 4. Area: `/system` is for system admins; `/admin` needs a tenant in scope (a tenant admin's own,
 *    or the one a system admin chose).
 * 5. CSRF on every state-changing request.
 * Refusals are answered here (403, or sign-in); nothing of the route runs.
 */
@Injectable()
export class AdminAccessMiddleware implements NestMiddleware {
  constructor(
    private readonly networks: AdminNetworksService,
    private readonly sessions: AdminSessionService,
    private readonly accounts: AdminAccountsService,
  ) {}

  async use(req: AdminRequest, res: Response, next: NextFunction): Promise<void> {
    try {
      if ((await this.check(req, res)) === 'next') next();
    } catch (error) {
      sendAdminError(req, res, error);
    }
  }

  private async check(req: AdminRequest, res: Response): Promise<'next' | 'answered'> {
    // Express matches routes case-insensitively: /SYSTEM/tenants reaches the system screens too.
    const path = req.path.toLowerCase();
    const systemArea = path === '/system' || path.startsWith('/system/');
    const address = this.networks.clientAddress(req);
    const gateOpen = systemArea ? this.networks.systemAllows(address) : await this.networks.anyAllows(address);
    if (!gateOpen) throw this.accounts.ipNotAllowed();
    if (!systemArea && isPublicAdminPath(path)) return 'next';

    const session = await this.sessions.resume(req);
    if (!session) {
      if (this.sessions.hasCookie(req)) {
        this.sessions.clear(res);
        throw new AdminException('admin_session_expired');
      }
      throw new AdminException('admin_sign_in_required');
    }
    const kind = session.tenant_id ? 'tenant' : 'system';
    const ownNetworkOk = kind === 'tenant' ? this.networks.tenantAllows(address, session.tenant_allowed_cidrs) : this.networks.systemAllows(address);
    if (!ownNetworkOk) throw this.accounts.ipNotAllowed();

    const ownTenant = session.tenant_id
      ? { id: session.tenant_id, code: session.tenant_code!, nameJa: session.tenant_name_ja!, nameEn: session.tenant_name_en! }
      : undefined;
    const acting = !session.tenant_id && session.acting_tenant_id
      ? { id: session.acting_tenant_id, code: session.acting_tenant_code!, nameJa: session.acting_tenant_name_ja!, nameEn: session.acting_tenant_name_en! }
      : undefined;
    const principal: AdminPrincipal = {
      sessionId: session.session_id, adminId: session.admin_id, loginId: session.login_id, displayName: session.display_name,
      kind, ownTenant, tenant: ownTenant ?? acting, csrf: await this.sessions.csrfToken(session.session_id), clientIp: address?.toString() ?? '',
    };
    req.admin = principal;

    if (systemArea && kind !== 'system') {
      throw new AdminException('admin_area_forbidden');
    }
    if (!systemArea && !principal.tenant && !SYSTEM_ADMIN_TENANT_FREE.has(path)) {
      if (req.method === 'GET' && !wantsJson(req)) {
        res.redirect(303, '/system/tenants');
        return 'answered';
      }
      throw new AdminException('admin_tenant_not_chosen');
    }
    if (csrfRequired(req.method)) {
      if (!(await this.sessions.checkCsrf(session.session_id, submittedCsrfToken(req)))) {
        throw new AdminException('admin_csrf_invalid');
      }
    }
    return 'next';
  }
}
