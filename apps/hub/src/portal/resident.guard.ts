import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { csrfRequired, submittedCsrfToken } from '@tsunagu/web';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { PortalException } from './portal.exception';

export interface PortalRequest extends Request {
  resident?: ResidentSession;
}

/**
 * The portal's rule for every page and API call: a signed-in resident (the hub's SSO session),
 * and on every state-changing request the session's CSRF token — a `csrf` form field from a page,
 * or the `x-csrf-token` header from the JSON API.
 */
@Injectable()
export class ResidentGuard implements CanActivate {
  constructor(private readonly sessions: ResidentSessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<PortalRequest>();
    const session = await this.sessions.current(req, http.getResponse<Response>());
    if (!session) throw new PortalException('not_signed_in');
    if (csrfRequired(req.method)) {
      if (!(await this.sessions.checkCsrf(session, submittedCsrfToken(req)))) {
        throw new PortalException('csrf_invalid');
      }
    }
    req.resident = session;
    return true;
  }
}

/** The signed-in resident of a request that passed {@link ResidentGuard}. */
export function residentOf(req: PortalRequest): ResidentSession {
  if (!req.resident) throw new Error('ResidentGuard did not run');
  return req.resident;
}

/** `@Resident() session: ResidentSession` — the resident of a request that passed {@link ResidentGuard}. */
export const Resident = createParamDecorator((_: unknown, ctx: ExecutionContext): ResidentSession => residentOf(ctx.switchToHttp().getRequest<PortalRequest>()));
