import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainException } from '@tsunagu/common';
import type { ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { type PortalRequest, RefuseResidentWith, residentOf, ResidentGuard } from './resident.guard';

const taro: ResidentSession = { accountId: 'resident-1', uid: 'browser-1' };

class TeapotException extends Error {}

class PortalRoutes {
  page(): void {}
}

@RefuseResidentWith({ notSignedIn: () => new TeapotException('sign in'), csrfInvalid: () => new TeapotException('csrf') })
class ApiRoutes {
  call(): void {}
}

function contextFor(routes: { prototype: object; name: string }, handler: string, req: Partial<PortalRequest>): ExecutionContext {
  return {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}) }),
    getHandler: () => (routes.prototype as Record<string, unknown>)[handler],
    getClass: () => routes,
  } as unknown as ExecutionContext;
}

function request(method: string, session: ResidentSession | undefined, csrf: { header?: string; field?: string } = {}): Partial<PortalRequest> {
  return { method, body: csrf.field === undefined ? {} : { csrf: csrf.field }, header: ((name: string) => (name === 'x-csrf-token' ? csrf.header : undefined)) as PortalRequest['header'], __session: session } as Partial<PortalRequest>;
}

describe(ResidentGuard.name, () => {
  const sessions = {
    current: async (req: { __session?: ResidentSession }) => req.__session,
    checkCsrf: async (_: ResidentSession, token: unknown) => token === 'good-token',
  } as unknown as ResidentSessionService;
  const guard = new ResidentGuard(sessions, new Reflector());

  it('puts the signed-in resident on the request, for @Resident()', async () => {
    const req = request('GET', taro);
    await expect(guard.canActivate(contextFor(PortalRoutes, 'page', req))).resolves.toBe(true);
    expect(residentOf(req as PortalRequest)).toEqual(taro);
  });

  it('takes the CSRF token of a state-changing request from the header or the form field', async () => {
    await expect(guard.canActivate(contextFor(PortalRoutes, 'page', request('POST', taro, { header: 'good-token' })))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor(PortalRoutes, 'page', request('DELETE', taro, { field: 'good-token' })))).resolves.toBe(true);
  });

  it('refuses with the portal codes: not_signed_in, csrf_invalid', async () => {
    await expect(guard.canActivate(contextFor(PortalRoutes, 'page', request('GET', undefined)))).rejects.toMatchObject({ code: 'not_signed_in' });
    await expect(guard.canActivate(contextFor(PortalRoutes, 'page', request('POST', taro, { field: 'forged' })))).rejects.toMatchObject({ code: 'csrf_invalid' });
    await expect(guard.canActivate(contextFor(PortalRoutes, 'page', request('POST', taro)))).rejects.toBeInstanceOf(DomainException);
  });

  it('refuses with the route\'s own errors where @RefuseResidentWith names them', async () => {
    await expect(guard.canActivate(contextFor(ApiRoutes, 'call', request('POST', undefined, { header: 'good-token' })))).rejects.toThrow(new TeapotException('sign in'));
    await expect(guard.canActivate(contextFor(ApiRoutes, 'call', request('POST', taro, { header: 'forged' })))).rejects.toThrow(new TeapotException('csrf'));
  });
});
