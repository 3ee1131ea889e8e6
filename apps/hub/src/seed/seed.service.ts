import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { PORTAL_CALLBACK_PATH, PORTAL_CLIENT_ID, PORTAL_SIGNED_OUT_PATH } from '../identity/session/portal-client';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { ResidentsService } from '../identity/residents/residents.service';
import { ServicesService } from '../tenancy/services/services.service';
import { TenantsRepository } from '../tenancy/tenants/tenants.repository';
import { DEMO_RESIDENTS } from './demo-seed';

/**
 * Idempotent seeding at boot: the portal's first-party client always; the two demo services and
 * three demo residents when SEED_DEMO is on. Tenants come from the first migration.
 */
@Injectable()
export class SeedService {
  private readonly logger = new AppLogger(SeedService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly tenants: TenantsRepository,
    private readonly services: ServicesService,
    private readonly residents: ResidentsService,
  ) {}

  async run(): Promise<void> {
    const pref = await this.tenantId('tottori-pref');
    await this.services.seed(pref, {
      client_id: PORTAL_CLIENT_ID, name_ja: '県民等向けポータル', name_en: 'Resident portal', sector_identifier: 'tsunagu-portal',
      subject_type: 'public', first_party: true, redirect_uris: [`${this.config.PUBLIC_URL}${PORTAL_CALLBACK_PATH}`],
      post_logout_redirect_uris: [`${this.config.PUBLIC_URL}${PORTAL_SIGNED_OUT_PATH}`], token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'], scopes: ['openid', 'profile'],
    });
    if (!this.config.SEED_DEMO) return;
    await this.services.seed(pref, {
      client_id: 'demo-cashless', name_ja: 'とっとりキャッシュレス決済基盤（デモ）', name_en: 'Tottori cashless payment base (demo)',
      sector_identifier: 'cashless.tottori-pref', subject_type: 'pairwise', first_party: false,
      redirect_uris: [`${this.config.DEMO_CASHLESS_URL}/auth/callback`], post_logout_redirect_uris: [`${this.config.DEMO_CASHLESS_URL}/`],
      backchannel_logout_uri: `${this.config.DEMO_CASHLESS_URL}/auth/backchannel-logout`,
      token_endpoint_auth_method: 'client_secret_basic', client_secret: this.config.DEMO_CASHLESS_CLIENT_SECRET,
      grant_types: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'offline_access'],
    });
    await this.services.seed(await this.tenantId('misasa'), {
      client_id: 'demo-misasa-health', name_ja: '三朝温泉ヘルスケアアプリ（デモ）', name_en: 'Misasa onsen health app (demo)',
      sector_identifier: 'health.misasa', subject_type: 'pairwise', first_party: false,
      redirect_uris: [`${this.config.DEMO_MISASA_URL}/auth/callback`], post_logout_redirect_uris: [`${this.config.DEMO_MISASA_URL}/`],
      backchannel_logout_uri: `${this.config.DEMO_MISASA_URL}/auth/backchannel-logout`,
      token_endpoint_auth_method: 'client_secret_basic', client_secret: this.config.DEMO_MISASA_CLIENT_SECRET,
      grant_types: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'offline_access'],
    });
    for (const demo of DEMO_RESIDENTS) {
      if (await this.residents.findByLoginId(demo.loginId)) continue;
      // Replicas booting together may race to seed the same resident; the loser's insert is refused.
      await this.residents.register(demo).catch((error) => {
        if ((error as { code?: string }).code !== 'login_id_unavailable') throw error;
      });
    }
    this.logger.log(LogKind.Operation, 'Demo data seeded', { residents: DEMO_RESIDENTS.length });
  }

  private async tenantId(code: string): Promise<string> {
    const tenant = await this.tenants.findByCode(code);
    if (!tenant) throw new Error(`Seed tenant ${code} is missing: run the migrations`);
    return tenant.id;
  }
}
