import type { DataSource } from 'typeorm';
import type { ConsentService } from '../../consent/consent.service';
import { LedgerRepository } from '../../exchange/ledger/ledger.repository';

/**
 * A card-verified resident (the health-points data use asks for it) linked to both demo services,
 * consenting to both data uses, with data provided both ways in the provision ledger: what a
 * departure or a tenant's exit has to withdraw and have erased. Returns the resident's ID.
 */
export async function sharingResident(
  db: DataSource, consents: ConsentService, services: { cashless: string; misasa: string }, displayName = '鳥取 花子',
): Promise<string> {
  const [row] = await db.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name, identity_verified_at)
    VALUES (lpad((random() * 1e15)::bigint::text, 16, '7'), 'resident-' || gen_random_uuid(), 'argon2-hash', $1, now()) RETURNING id`, [displayName]);
  const resident = row.id as string;
  await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id) SELECT tenant_id, id, $1, $2 FROM services WHERE client_id = 'demo-cashless'`, [resident, `C-2026-${resident.slice(0, 4)}`]);
  await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id) SELECT tenant_id, id, $1, $2 FROM services WHERE client_id = 'demo-misasa-health'`, [resident, `M-${resident.slice(0, 8)}`]);
  const ledger = new LedgerRepository(db);
  for (const [use, provider] of [['cashless.health-points', services.misasa], ['misasa-health.onsen-spending', services.cashless]]) {
    const { consent } = await consents.give(resident, { dataUse: use }, 'portal-form');
    const [version] = await db.query(`SELECT id FROM consents WHERE consent_id = $1 AND version = $2`, [consent.consentId, consent.version]);
    await ledger.append({ consentVersionId: version.id, providerServiceId: provider, items: consent.items, outcome: 'provided', grantId: crypto.randomUUID(), occurredAt: new Date(), side: 'provider' });
  }
  return resident;
}
