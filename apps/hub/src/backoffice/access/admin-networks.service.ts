import { Inject, Injectable } from '@nestjs/common';
import type ipaddr from 'ipaddr.js';
import type { Request } from 'express';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { TenantsRepository } from '../../tenancy/tenants/tenants.repository';
import { ClientIpResolver, inNetworks, type Network, parseCidrList } from '@tsunagu/common';

/**
 * Which networks may reach the admin screens: the system admins' from configuration
 * (ADMIN_SYSTEM_ALLOWED_CIDRS), each tenant's from its row (tenants.admin_allowed_cidrs, edited by
 * the system admin). Read from the database on each request, so a change holds on every replica
 * at once; parsed lists are memoised by their text.
 */
@Injectable()
export class AdminNetworksService {
  private readonly resolver: ClientIpResolver;
  private readonly system: Network[];
  private readonly parsed = new Map<string, Network[]>();

  constructor(@Inject(HUB_CONFIG) config: HubConfig, private readonly tenants: TenantsRepository) {
    this.resolver = new ClientIpResolver(parseCidrList(config.ADMIN_TRUSTED_PROXIES ?? '').networks);
    this.system = parseCidrList(config.ADMIN_SYSTEM_ALLOWED_CIDRS).networks;
  }

  /** The client address of a request (X-Forwarded-For only via trusted proxies). */
  clientAddress(req: Request): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
    return this.resolver.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for']);
  }

  systemAllows(address: ipaddr.IPv4 | ipaddr.IPv6 | undefined): boolean {
    return inNetworks(address, this.system);
  }

  tenantAllows(address: ipaddr.IPv4 | ipaddr.IPv6 | undefined, cidrs: string[] | null | undefined): boolean {
    return inNetworks(address, this.networks(cidrs ?? []));
  }

  /** Whether any admin at all may work from here: the gate in front of the sign-in page. */
  async anyAllows(address: ipaddr.IPv4 | ipaddr.IPv6 | undefined): Promise<boolean> {
    if (!address) return false;
    if (this.systemAllows(address)) return true;
    return inNetworks(address, this.networks(await this.tenants.allAdminNetworks()));
  }

  private networks(cidrs: string[]): Network[] {
    const key = cidrs.join(',');
    let networks = this.parsed.get(key);
    if (!networks) {
      networks = parseCidrList(cidrs).networks;
      if (this.parsed.size > 1000) this.parsed.clear();
      this.parsed.set(key, networks);
    }
    return networks;
  }
}
