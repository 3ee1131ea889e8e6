import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type Provider from 'oidc-provider';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { LinkException } from './link.exception';
import type { TokenSubject } from './links.service';
import { OIDC_PROVIDER } from '../identity/oidc/oidc-provider.factory';
import { DpopProofError, verifyDpopProof } from '../identity/oidc/dpop-proof';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';

export type RequestWithSubject = Request & { tokenSubject?: TokenSubject };

/**
 * Accepts an access token issued by this hub and still valid (not expired, not revoked), and
 * attaches the service (client) and resident it was issued for. A token bound to a key (DPoP,
 * RFC 9449) is accepted only as `Authorization: DPoP <token>` with a proof of that key for this
 * request; sent as `Bearer` it is refused, as the userinfo endpoint refuses it — a stolen bound
 * token is worth nothing without the key.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly logger = new AppLogger(BearerTokenGuard.name);

  constructor(@Inject(OIDC_PROVIDER) private readonly provider: Provider, @Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<RequestWithSubject>();
    const match = /^(Bearer|DPoP) ([A-Za-z0-9._~+/=-]{10,2048})$/i.exec(req.header('authorization') ?? '');
    const token = match ? await this.provider.AccessToken.find(match[2]) : undefined;
    if (!match || !token?.accountId || !token.clientId || token.isExpired) {
      throw new LinkException('invalid_token');
    }
    const scheme = match[1].toLowerCase();
    if (token.jkt) {
      if (scheme !== 'dpop') throw new LinkException('invalid_dpop_proof');
      try {
        await verifyDpopProof({
          provider: this.provider, proof: req.header('dpop'), method: req.method, url: `${this.config.PUBLIC_URL}${req.originalUrl}`,
          accessToken: match[2], jkt: token.jkt,
        });
      } catch (error) {
        if (!(error instanceof DpopProofError)) throw error;
        this.logger.warn(LogKind.Authentication, 'DPoP proof refused', { clientId: token.clientId, problem: error.message });
        throw new LinkException('invalid_dpop_proof');
      }
    } else if (scheme === 'dpop' || token.isSenderConstrained()) {
      // An unbound token sent with the DPoP scheme, or bound some other way the hub does not check.
      throw new LinkException('invalid_token');
    }
    req.tokenSubject = { clientId: token.clientId, residentId: token.accountId };
    return true;
  }
}
