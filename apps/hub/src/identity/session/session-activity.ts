import type { IncomingMessage } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { ClientIpResolver, parseCidrList } from '@tsunagu/common';
import { AppLogger } from '@tsunagu/logger';
import type { SessionDevicesRepository } from './session-devices.repository';

/** The client address of a request, read through the trusted proxies only (libs/common client-ip.ts). */
export function clientAddressOf(trustedProxies: string | undefined): (req: IncomingMessage) => string | undefined {
  const resolver = new ClientIpResolver(parseCidrList(trustedProxies ?? '').networks);
  return (req) => resolver.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for'])?.toString();
}

/**
 * oidc-provider middleware: every sign-in (the `resume` step after a login) records the device of
 * its session — User-Agent, client address, time — for the portal's list of sessions; an
 * authorization answered from an existing session (single sign-on to a service) is "last seen".
 * A failure to record never fails the sign-in.
 */
export function sessionActivity(devices: SessionDevicesRepository, addressOf: (req: IncomingMessage) => string | undefined) {
  const logger = new AppLogger('SessionActivity');
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    const oidc = ctx.oidc as KoaContextWithOIDC['oidc'] | undefined;
    const session = oidc?.session as { uid?: string; accountId?: string } | undefined;
    if (!oidc || !session?.uid || !session.accountId) return;
    try {
      const route = oidc.route ?? '';
      if (route.endsWith('resume') && (oidc.result as { login?: unknown } | undefined)?.login) {
        await devices.recordSignIn(session.uid, session.accountId, String(ctx.req.headers['user-agent'] ?? ''), addressOf(ctx.req));
      } else if (route === 'authorization' || route.endsWith('resume')) {
        await devices.touch(session.uid, session.accountId, addressOf(ctx.req));
      }
    } catch (error) {
      logger.error('Recording a session’s device failed', error);
    }
  };
}
