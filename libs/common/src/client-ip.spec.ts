import { inNetworks, parseAddress, parseCidr, parseCidrList } from './cidr';
import { ClientIpResolver } from './client-ip';

describe(ClientIpResolver.name, () => {
  const resolver = new ClientIpResolver(parseCidrList('10.0.0.0/8, 127.0.0.1').networks);
  const ip = (peer: string | undefined, xff?: string) => resolver.resolve(peer, xff)?.toString();

  it('takes the TCP peer when it is not a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(ip('203.0.113.7', '127.0.0.1')).toBe('203.0.113.7');
    expect(ip('::ffff:203.0.113.7', '10.1.1.1')).toBe('203.0.113.7');
  });

  it('walks X-Forwarded-For from the right, skipping trusted proxies', () => {
    expect(ip('127.0.0.1', '198.51.100.9')).toBe('198.51.100.9');
    expect(ip('127.0.0.1', '192.0.2.1, 198.51.100.9, 10.2.3.4')).toBe('198.51.100.9');
  });

  it('never reaches what a client wrote to the left of the first untrusted hop', () => {
    // The client forged "10.0.0.5" (a trusted range) in front of its real address.
    expect(ip('127.0.0.1', '10.0.0.5, 198.51.100.9')).toBe('198.51.100.9');
  });

  it('gives up on a malformed hop rather than guessing', () => {
    expect(ip('127.0.0.1', 'unknown, 198.51.100.9, garbage')).toBeUndefined();
  });

  it('keeps the peer when a trusted proxy sends no header', () => {
    expect(ip('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe(parseCidr.name, () => {
  it('accepts IPv4 and IPv6 networks and single addresses', () => {
    expect(parseCidr('192.0.2.0/24')).toMatchObject({ cidr: '192.0.2.0/24' });
    expect(parseCidr('2001:db8::/32')).toMatchObject({ cidr: '2001:db8::/32' });
    expect(parseCidr('192.0.2.10')).toMatchObject({ cidr: '192.0.2.10/32' });
  });

  it('refuses what is not a network, the whole address space, and host bits', () => {
    expect(parseCidr('10')).toHaveProperty('problem');
    expect(parseCidr('192.0.2.0/33')).toHaveProperty('problem');
    expect(parseCidr('example.jp')).toHaveProperty('problem');
    expect(parseCidr('0.0.0.0/0')).toEqual({ problem: '0.0.0.0/0: allows every address' });
    expect(parseCidr('192.0.2.5/24')).toEqual({ problem: '192.0.2.5/24: host bits are set (did you mean 192.0.2.0/24?)' });
  });

  it('matches IPv4-mapped IPv6 peers against IPv4 networks', () => {
    const { networks } = parseCidrList('127.0.0.1/32\n::1/128');
    expect(inNetworks(parseAddress('::ffff:127.0.0.1'), networks)).toBe(true);
    expect(inNetworks(parseAddress('::1'), networks)).toBe(true);
    expect(inNetworks(parseAddress('127.0.0.2'), networks)).toBe(false);
    expect(inNetworks(undefined, networks)).toBe(false);
  });
});
