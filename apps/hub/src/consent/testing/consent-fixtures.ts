import type { Clock } from '@tsunagu/common';
import type { DataSource } from 'typeorm';
import { KeysRepository } from '../../platform/keys/keys.repository';
import { KeysService } from '../../platform/keys/keys.service';
import { SecretBox } from '../../platform/keys/secret-box';
import { ConsentRepository } from '../consent.repository';
import { ConsentService } from '../consent.service';
import { AuditCheckpointsService } from '../../audit/audit-checkpoints.service';
import { AuditRepository } from '../../audit/audit.repository';
import { AuditService } from '../../audit/audit.service';
import { AgreementsRepository } from '../../catalog/agreements.repository';
import { AgreementsService } from '../../catalog/agreements.service';
import { CatalogSeeder } from '../../catalog/catalog-seeder';
import { SEED_DATA_OFFERS, seedDataUses } from '../../catalog/catalog.seed';
import { DataUsesRepository } from '../../catalog/data-uses.repository';
import { DataUsesService } from '../../catalog/data-uses.service';
import { OffersRepository } from '../../catalog/offers.repository';
import { OffersService } from '../../catalog/offers.service';
import { CatalogChangesService } from '../catalog-changes.service';
import { DataCatalogRepository } from '../../catalog/data-catalog.repository';
import { DataCatalogService } from '../../catalog/data-catalog.service';
import { ReceiptSigner } from '../receipt.signer';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-12-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

export const TEST_ISSUER = 'https://hub.test.example';

/**
 * The consent services wired by hand on a migrated test database, with the two demo services,
 * their catalog, and `residents` residents (fixtures for integration specs and the benchmark),
 * marked verified with the My Number card (`unverified`: not) — the seed's `cashless.health-points`
 * requires a verified identity.
 */
export async function consentFixture(db: DataSource, options: { residents?: number; clock?: Clock; unverified?: boolean } = {}) {
  const clock = options.clock ?? new TestClock();
  await db.query(
    `INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, redirect_uris)
     SELECT t.id, v.client_id, v.name_ja, v.name_en, v.sector, '{}' FROM (VALUES
       ('tottori-pref', 'demo-cashless', 'とっとりキャッシュレス決済基盤（デモ）', 'Tottori cashless payment base (demo)', 'cashless.tottori-pref'),
       ('misasa', 'demo-misasa-health', '三朝温泉ヘルスケアアプリ（デモ）', 'Misasa onsen health app (demo)', 'health.misasa')
     ) AS v(tenant, client_id, name_ja, name_en, sector) JOIN tenants t ON t.code = v.tenant
     ON CONFLICT (client_id) DO NOTHING`);
  const keys = new KeysService(new KeysRepository(db), new SecretBox(SecretBox.generateKey()));
  const catalogRepo = new DataCatalogRepository(db);
  const catalog = new DataCatalogService(catalogRepo);
  const audit = new AuditService(new AuditRepository(db), { afterAppend: () => undefined } as unknown as AuditCheckpointsService);
  const agreementsRepo = new AgreementsRepository(db);
  const dataUses = new DataUsesService(db, new DataUsesRepository(db), agreementsRepo, catalog, audit);
  const agreements = new AgreementsService(db, agreementsRepo, catalog, audit);
  const offers = new OffersService(db, new OffersRepository(db), audit);
  const seeder = new CatalogSeeder(db, catalog, offers, dataUses, agreements);
  await seeder.seed(SEED_DATA_OFFERS, seedDataUses({ cashless: 'https://cashless.test.example', misasa: 'https://misasa.test.example' }));
  const repo = new ConsentRepository(db);
  const signer = new ReceiptSigner(keys, repo, { PUBLIC_URL: TEST_ISSUER });
  const service = new ConsentService(repo, catalog, signer, clock);
  const changes = new CatalogChangesService(dataUses, agreements, service);
  const residents: string[] = [];
  const count = options.residents ?? 3;
  if (count > 0) {
    const rows: { id: string }[] = await db.query(
      `INSERT INTO residents (common_id, login_id, password_hash, display_name, identity_verified_at)
       SELECT lpad((1000000000000000 + (random() * 8e15)::bigint + g)::text, 16, '0'), 'fixture-' || gen_random_uuid(), 'x', 'Fixture ' || g,
         CASE WHEN $2 THEN NULL ELSE now() END
       FROM generate_series(1, $1) g RETURNING id`, [count, options.unverified === true]);
    residents.push(...rows.map((r) => r.id));
  }
  const uses: { id: string; code: string }[] = await db.query(`SELECT id, code FROM data_uses ORDER BY code`);
  const useId = (code: string) => uses.find((u) => u.code === code)!.id;
  return { clock, keys, catalog, offers, seeder, dataUses, agreements, changes, audit, repo, signer, service, residents, useId };
}

/** The public half of the hub's keys, as /oidc/jwks publishes them. */
export async function publicJwks(keys: KeysService): Promise<{ keys: Record<string, unknown>[] }> {
  return { keys: (await keys.privateJwks()).map(({ d: _d, ...pub }) => pub as Record<string, unknown>) };
}
