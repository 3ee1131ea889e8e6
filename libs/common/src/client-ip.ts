import type ipaddr from 'ipaddr.js';
import { inNetworks, type Network, parseAddress } from './cidr';

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
