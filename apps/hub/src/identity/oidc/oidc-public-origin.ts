import type { IncomingMessage } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';

/**
 * oidc-provider builds every absolute URL it publishes (discovery's endpoints, redirects to its
 * own pages) from the request's origin: Host, and X-Forwarded-Host / -Proto behind a proxy. A
 * forged header would then change discovery's endpoints, and a cache in front could keep the
 * poisoned copy for everyone. The hub's public address is configured (PUBLIC_URL), so this pins
 * it: before oidc-provider sees a request, Host and X-Forwarded-Proto are set from PUBLIC_URL,
 * X-Forwarded-Host is dropped, and X-Forwarded-For becomes the client address resolved with the
 * hub's `trust proxy` setting (`expressClientAddress`). The provider then trusts these headers
 * (`proxy = true`), which now say only what the hub decided.
 */
export function publicOriginPin(publicUrl: string): (req: IncomingMessage, clientAddress: string) => void {
  const { host, protocol } = new URL(publicUrl);
  const proto = protocol.slice(0, -1);
  return (req, clientAddress) => {
    req.headers.host = host;
    req.headers['x-forwarded-proto'] = proto;
    delete req.headers['x-forwarded-host'];
    delete req.headers.forwarded;
    req.headers['x-forwarded-for'] = clientAddress;
  };
}

/**
 * The client address as Express's `req.ip` gives it for the hub's boolean `trust proxy`: with
 * it, the left-most X-Forwarded-For entry (every proxy is believed, as configured), else the
 * TCP peer.
 */
export function expressClientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const peer = req.socket.remoteAddress ?? '';
  if (!trustProxy) return peer;
  const header = req.headers['x-forwarded-for'];
  if (!header) return peer;
  for (const entry of String(header).split(',')) {
    const address = entry.trim();
    if (address) return address;
  }
  return peer;
}

/** Routes whose answer is the same for everyone and changes only with a deployment or a key rotation. */
const PUBLIC_DOCUMENTS = new Set(['discovery', 'jwks']);

/**
 * Discovery and JWKS may be cached by anyone for five minutes (oidc-provider leaves them without
 * Cache-Control). Key rotation publishes a key a day before it signs (docs/key-rotation.md), far
 * longer than this. Since the origin is pinned, the documents do not depend on the request.
 */
export async function publicDocumentCaching(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  if (ctx.status === 200 && PUBLIC_DOCUMENTS.has(ctx.oidc?.route ?? '')) ctx.set('cache-control', 'public, max-age=300');
}
