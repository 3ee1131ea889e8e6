import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { csrfRequired, submittedCsrfToken } from '@tsunagu/web';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { PortalException } from './portal.exception';

export interface PortalRequest extends Request {
  resident?: ResidentSession;
}

/** The errors a route answers when {@link ResidentGuard} turns a request away. */
export interface ResidentRefusals {
  notSignedIn(): Error;
  csrfInvalid(): Error;
}

/** The portal's own refusals (codes and words in libs/contracts consent-portal.ts). */
export const portalRefusals: ResidentRefusals = {
  notSignedIn: () => new PortalException('not_signed_in'),
  csrfInvalid: () => new PortalException('csrf_invalid'),
};

const REFUSALS = 'tsunagu:resident-refusals';
const OPTIONAL = 'tsunagu:resident-optional';

/**
 * `@ResidentOptional()` on a handler: a signed-out visitor passes {@link ResidentGuard} too, and
 * `@MaybeResident()` tells the handler which it is (a page whose words depend on it).
 */
export const ResidentOptional = () => SetMetadata(OPTIONAL, true);

/**
 * `@RefuseResidentWith(refusals)` on a controller or handler: the errors {@link ResidentGuard}
 * throws there instead of the portal's (an API with its own published error codes).
 */
export const RefuseResidentWith = (refusals: ResidentRefusals) => SetMetadata(REFUSALS, refusals);

/**
 * The portal's rule for every page and API call: a signed-in resident (the hub's SSO session),
 * and on every state-changing request the session's CSRF token — a `csrf` form field from a page,
 * or the `x-csrf-token` header from the JSON API. The session is then the handler's
 * `@Resident()` parameter.
 */
@Injectable()
export class ResidentGuard implements CanActivate {
  constructor(private readonly sessions: ResidentSessionService, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<PortalRequest>();
    const refusals = this.reflector.getAllAndOverride<ResidentRefusals | undefined>(REFUSALS, [context.getHandler(), context.getClass()]) ?? portalRefusals;
    // oidc-provider reads (and may refresh) its session cookie through the response.
    const session = await this.sessions.current(req, http.getResponse<Response>());
    if (!session) {
      if (this.reflector.getAllAndOverride<boolean | undefined>(OPTIONAL, [context.getHandler(), context.getClass()])) return true;
      throw refusals.notSignedIn();
    }
    if (csrfRequired(req.method)) {
      if (!(await this.sessions.checkCsrf(session, submittedCsrfToken(req)))) throw refusals.csrfInvalid();
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

/** The signed-in resident, or undefined for a signed-out visitor of a `@ResidentOptional()` handler. */
export const MaybeResident = createParamDecorator((_: unknown, ctx: ExecutionContext): ResidentSession | undefined => ctx.switchToHttp().getRequest<PortalRequest>().resident);
