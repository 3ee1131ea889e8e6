import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { DemoRuntime } from '../demo-settings';
import { DemoException } from '../demo.exception';

/** Where the internal API (docs/connector.md §3) lives on every demo service. */
export const INTERNAL_API_PREFIX = '/internal/';

export function isInternalApiPath(path: string): boolean {
  return path.startsWith(INTERNAL_API_PREFIX);
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read the internal API, which is for the service's own connector only: with a service
 * token configured (CONNECTOR_SERVICE_TOKEN), whoever presents it as `Authorization: Bearer …`
 * (compared in constant time); without one, only callers on this machine — judged by the socket,
 * never by X-Forwarded-For, and a request a proxy forwarded is not local. Its answers are never cached.
 */
@Injectable()
export class InternalApiGuard implements CanActivate {
  private readonly logger = new AppLogger(InternalApiGuard.name);
  private readonly expected?: Buffer;

  constructor(runtime: DemoRuntime) {
    this.expected = runtime.settings.serviceToken ? digest(runtime.settings.serviceToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    res.setHeader('cache-control', 'no-store');
    if (!this.expected) {
      const proxied = req.header('forwarded') !== undefined || req.header('x-forwarded-for') !== undefined;
      if (!proxied && LOOPBACK.has(req.socket.remoteAddress ?? '')) return true;
      this.logger.warn(LogKind.Authentication, 'Internal API call from another machine refused (no service token configured)', { path: req.path });
      throw new DemoException('service_forbidden', {
        ja: 'この API は同じマシン上のコネクタだけが利用できます。',
        en: 'This API answers the connector on the same machine only.',
      });
    }
    const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
    if (match && timingSafeEqual(digest(match[1]), this.expected)) return true;
    this.logger.warn(LogKind.Authentication, 'Internal API call with a missing or wrong service token refused', { path: req.path });
    res.setHeader('www-authenticate', 'Bearer realm="internal"');
    throw new DemoException('service_unauthorized', {
      ja: 'サービストークンがないか、正しくありません。',
      en: 'The service token is missing or wrong.',
    });
  }
}
