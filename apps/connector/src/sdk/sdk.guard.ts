import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { connectorError } from '../connector.exception';
import { CONNECTOR_SECRETS, type ConnectorSecrets } from '../connector.tokens';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may call `/sdk/v1/*`: with `CONNECTOR_SDK_TOKEN` set, whoever presents it as a bearer token
 * (compared in constant time); without it, only callers on this machine (loopback), so that a
 * connector started without a token is never an open door on the network.
 */
@Injectable()
export class SdkGuard implements CanActivate {
  private readonly logger = new AppLogger(SdkGuard.name);
  private readonly expected?: Buffer;

  constructor(@Inject(CONNECTOR_SECRETS) secrets: ConnectorSecrets) {
    this.expected = secrets.sdkToken ? digest(secrets.sdkToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!this.expected) {
      if (LOOPBACK.has(req.socket.remoteAddress ?? '')) return true;
      this.logger.warn(LogKind.Authentication, 'SDK call from a non-local address without a configured SDK token refused');
      throw connectorError('sdk_unauthorized');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    if (match && timingSafeEqual(digest(match[1]), this.expected)) return true;
    this.logger.warn(LogKind.Authentication, 'SDK call with a missing or wrong token refused');
    throw connectorError('sdk_unauthorized');
  }
}
