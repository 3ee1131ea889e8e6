import ipaddr from 'ipaddr.js';

/** A parsed network: address and prefix length, IPv4 or IPv6. */
export type Network = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Most networks one list may hold (a tenant's admin networks, the system admins', the proxies). */
export const MAX_NETWORKS = 50;

/**
 * Splits a list typed by a person or set in the environment: commas, spaces or new lines.
 * Blank entries are dropped.
 */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/**
 * Parses one CIDR (`192.0.2.0/24`, `2001:db8::/32`) or a single address (taken as /32 or /128).
 * Returns the canonical text, or why it is refused: host bits set (a typo more often than not, so
 * the network meant is suggested), the whole address space (an allow-list that allows everything
 * is no allow-list), or not an address at all.
 */
export function parseCidr(text: string): { cidr: string; network: Network } | { problem: string } {
  const value = text.trim();
  const [addressText, bitsText, extra] = value.split('/');
  const address = strictAddress(addressText);
  const max = address?.kind() === 'ipv4' ? 32 : 128;
  const bits = bitsText === undefined ? max : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!address || extra !== undefined || !(bits >= 0 && bits <= max)) return { problem: `${value}: not an IPv4 or IPv6 network in CIDR notation` };
  if (bits === 0) return { problem: `${value}: allows every address` };
  const network = address.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  if (network.toString() !== address.toString()) return { problem: `${value}: host bits are set (did you mean ${network.toString()}/${bits}?)` };
  return { cidr: `${address.toString()}/${bits}`, network: [address, bits] };
}

/** Dotted-quad IPv4 or IPv6 only (ipaddr.js alone also takes classful forms such as "10"). */
function strictAddress(text: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!text) return undefined;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** Parses a whole list; `problems` names every bad entry (empty when all are good). */
export function parseCidrList(text: string | string[]): { cidrs: string[]; networks: Network[]; problems: string[] } {
  const entries = Array.isArray(text) ? text : splitList(text);
  const cidrs: string[] = [];
  const networks: Network[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const parsed = parseCidr(entry);
    if ('problem' in parsed) problems.push(parsed.problem);
    else if (!cidrs.includes(parsed.cidr)) {
      cidrs.push(parsed.cidr);
      networks.push(parsed.network);
    }
  }
  if (cidrs.length > MAX_NETWORKS) problems.push(`at most ${MAX_NETWORKS} networks`);
  return { cidrs, networks, problems };
}

/** Config check: every problem of a comma-separated list, prefixed with the variable's name. */
export function cidrListProblems(variable: string, text: string): string[] {
  return parseCidrList(text).problems.map((p) => `${variable}: ${p}`);
}

/**
 * Parses an address as it comes from a socket or a header; IPv4-mapped IPv6 (`::ffff:192.0.2.1`)
 * becomes IPv4, so that IPv4 networks match it. Undefined when it is not an address.
 */
export function parseAddress(text: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const address = strictAddress(text?.trim().replace(/^\[(.*)\]$/, '$1'));
  if (!address) return undefined;
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

/** True when `address` lies in one of `networks`. */
export function inNetworks(address: ipaddr.IPv4 | ipaddr.IPv6 | undefined, networks: Network[]): boolean {
  if (!address) return false;
  return networks.some(([range, bits]) => range.kind() === address.kind() && address.match(range as never, bits));
}
