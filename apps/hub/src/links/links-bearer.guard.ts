import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type Provider from 'oidc-provider';
import { LinkException } from './link.exception';
import type { TokenSubject } from './links.service';
import { OIDC_PROVIDER } from '../identity/oidc/oidc-provider.factory';

export type RequestWithSubject = Request & { tokenSubject?: TokenSubject };

/**
 * Accepts `Authorization: Bearer <access token>` issued by this hub and still valid (not expired,
 * not revoked), and attaches the service (client) and resident it was issued for.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(@Inject(OIDC_PROVIDER) private readonly provider: Provider) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<RequestWithSubject>();
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,2048})$/.exec(req.header('authorization') ?? '');
    const token = match ? await this.provider.AccessToken.find(match[1]) : undefined;
    if (!token?.accountId || !token.clientId || token.isExpired) {
      throw new LinkException('invalid_token');
    }
    req.tokenSubject = { clientId: token.clientId, residentId: token.accountId };
    return true;
  }
}
