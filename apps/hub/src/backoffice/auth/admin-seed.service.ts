import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { KeysService } from '../../platform/keys/keys.service';
import { TenantsRepository } from '../../tenancy/tenants/tenants.repository';
import { AdminAccountsRepository } from './admin-accounts.repository';
import { totpContext } from './admin-accounts.service';
import { DEMO_ADMIN_NETWORKS, DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET, DEMO_ADMINS } from './admin-demo-seed';
import { hashPassword } from './admin-password';

/**
 * Development seeding of the demo admins and of loopback-only admin networks for the seeded
 * tenants (docs/manuals/system-admin.md). Runs only with SEED_DEMO (which the config refuses in
 * production) and, belt and braces, never with NODE_ENV=production. Idempotent across replicas.
 */
@Injectable()
export class AdminSeedService implements OnApplicationBootstrap {
  private readonly logger = new AppLogger(AdminSeedService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly accounts: AdminAccountsRepository,
    private readonly tenants: TenantsRepository,
    private readonly keys: KeysService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_DEMO || this.config.NODE_ENV === 'production') return;
    let created = 0;
    let passwordHash: string | undefined;
    for (const demo of DEMO_ADMINS) {
      if (demo.tenantCode) await this.tenants.setNetworksIfEmpty(demo.tenantCode, DEMO_ADMIN_NETWORKS);
      if (await this.accounts.exists(demo.loginId)) continue;
      const tenantId = demo.tenantCode ? (await this.tenants.findByCode(demo.tenantCode))?.id : null;
      if (tenantId === undefined) continue;
      passwordHash ??= await hashPassword(DEMO_ADMIN_PASSWORD);
      if (await this.accounts.insertSeedIfAbsent({
        tenantId, loginId: demo.loginId, displayName: demo.displayName, passwordHash,
        totpSecretEnc: this.keys.seal(DEMO_ADMIN_TOTP_SECRET, totpContext(demo.loginId)),
      })) created++;
    }
    if (created) this.logger.log(LogKind.Operation, 'Demo admins seeded (development only)', { created });
  }
}
