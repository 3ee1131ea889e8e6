import type { Clock } from '@tsunagu/common';
import type { DataSource } from 'typeorm';
import type { HubConfig } from '../../platform/config/hub.config';
import { ConnectorsRepository } from '../connectors/connectors.repository';
import { AcknowledgementWait } from '../enforcement/enforcement-bounds';
import { RevocationSignals } from '../enforcement/revocation-signals';

/**
 * Rows and parts the connector API's specs build on, besides the catalog they start from
 * (connect-catalog.ts): connectors, an admin, grant records, a revocation as the admin's action
 * makes it, and the enforcement's wait with a test's bounds.
 */

/** A public key shape for connector rows the specs insert (never used to verify anything). */
export const TEST_CONNECTOR_JWK = { kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) };

async function id(db: DataSource, sql: string, params: unknown[] = []): Promise<string> {
  return (await db.query(sql, params))[0].id;
}

/** A connector row of the tenant beside `service` (approved, asking for no feed extension, unless told). */
export async function insertConnector(db: DataSource, tenant: string, c: { service: string; name: string; status?: string; feedExtensions?: string[] }): Promise<string> {
  return id(db, `INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, status, base_url, feed_extensions)
    VALUES ($1, $2, $3, $4, $4, $5, 'http://127.0.0.1:1', $6) RETURNING id`,
  [tenant, c.service, c.name, JSON.stringify(TEST_CONNECTOR_JWK), c.status ?? 'approved', c.feedExtensions ?? []]);
}

/** Signals listening to the test database's notifications (call onApplicationShutdown after). */
export async function listeningSignals(db: DataSource): Promise<RevocationSignals> {
  const signals = new RevocationSignals({ DATABASE_URL: (db.options as { url: string }).url } as HubConfig);
  await signals.onApplicationBootstrap();
  return signals;
}

/** The enforcement's wait with a test's bounds and clock. */
export function acknowledgementWait(signals: RevocationSignals, clock: Clock, bounds: { waitMs: number; stalenessSeconds: number }): AcknowledgementWait {
  return new AcknowledgementWait(signals, { REVOCATION_ACK_WAIT_MS: bounds.waitMs, REVOCATION_STALENESS_SECONDS: bounds.stalenessSeconds }, clock);
}

/** An admin account of the tenant (the one who revokes connectors). */
export function insertAdmin(db: DataSource, tenant: string, loginId: string): Promise<string> {
  return id(db, `INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc) VALUES ($1, $2, 'Admin', 'x', 'x') RETURNING id`, [tenant, loginId]);
}

/** A grant record: `consumer` was issued a 30 s grant under the consent version, served by `provider`, that expires in `expiresInMs`. */
export async function insertGrantRecord(db: DataSource, g: { consentId: string; version: number; consumer: string; provider: string; resident: string; expiresInMs: number }): Promise<void> {
  await db.query(`INSERT INTO grant_records (grant_id, consent_id, consent_version, consumer_connector_id, provider_connector_id, resident_id, items, data_use, purpose,
      issued_at, expires_at)
    VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, '{prov.steps}', 'cons.use', 'p',
      now() + make_interval(secs => $6::float / 1000 - 30), now() + make_interval(secs => $6::float / 1000))`,
  [g.consentId, g.version, g.consumer, g.provider, g.resident, g.expiresInMs]);
}

/** Revokes a connector as the admin's action does: its row locked, then revoked with its outbox row, in one transaction. */
export function revokeConnector(db: DataSource, tenant: string, connectorId: string, adminId: string): Promise<{ connector_id: string; revoked_at: Date }[]> {
  const connectors = new ConnectorsRepository(db);
  return db.transaction(async (tx) => {
    await connectors.lock(tx, tenant, connectorId);
    return connectors.revoke(tx, tenant, [connectorId], adminId);
  });
}
