import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type ipaddr from 'ipaddr.js';
import { setLogClientIp } from '@tsunagu/logger';
import { inNetworks, type Network, parseAddress, parseCidrList } from './cidr';

/**
 * The address an admin request comes from, for the allow-lists. `X-Forwarded-For` is believed
 * only when the TCP peer is a configured proxy, and then only hop by hop from the right: each
 * entry added by a trusted proxy is skipped, and the first one that is not a trusted proxy is the
 * client. Anything a client wrote further left is never reached. Express's `trust proxy` is not
 * used: it is a boolean in this hub and would believe any peer.
 */
export class ClientIpResolver {
  constructor(private readonly trustedProxies: Network[]) {}

  /** The client address, or undefined when it cannot be told (then no allow-list matches). */
  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
    let current = parseAddress(peer);
    if (!current || !inNetworks(current, this.trustedProxies) || forwardedFor === undefined) return current;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((h) => h.trim()).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parseAddress(hops[i]);
      // A malformed entry where a client address should be: refuse rather than guess.
      if (!hop) return undefined;
      current = hop;
      if (!inNetworks(hop, this.trustedProxies)) return hop;
    }
    return current;
  }
}

/**
 * Puts the client address on every log line of the request: the TCP peer, or — only when that
 * peer is one of `trustedProxies` — the first X-Forwarded-For hop from the right that is not a
 * proxy (the rule of the admin allow-lists and /metrics). Mount right after correlationMiddleware.
 */
export function clientAddressForLogs(trustedProxies: string | undefined): RequestHandler {
  const resolver = new ClientIpResolver(parseCidrList(trustedProxies ?? '').networks);
  return (req: Request, _res: Response, next: NextFunction) => {
    setLogClientIp(resolver.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for'])?.toString());
    next();
  };
}
