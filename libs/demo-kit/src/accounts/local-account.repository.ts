import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DemoDatabase, SchemaOwningRepository, type SqlExecutor } from '../database/demo-database';

/** A local account's PIN credential and its lockout state. */
export interface LocalCredential {
  localId: string;
  pinHash: string;
  failedPinAttempts: number;
  pinLockedUntil: Date | null;
}

interface CredentialRow {
  local_id: string;
  pin_hash: string;
  failed_pin_attempts: number;
  pin_locked_until: Date | null;
}

const schema = [
  `CREATE TABLE IF NOT EXISTS local_accounts (
    local_id text CONSTRAINT local_accounts_pk PRIMARY KEY,
    pin_hash text NOT NULL,
    failed_pin_attempts integer NOT NULL DEFAULT 0 CONSTRAINT local_accounts_failed_pin_attempts_ck CHECK (failed_pin_attempts >= 0),
    pin_locked_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // The service's own copy of the hub link: which pairwise subject is which local account.
  `CREATE TABLE IF NOT EXISTS hub_links (
    sub text CONSTRAINT hub_links_pk PRIMARY KEY,
    local_id text NOT NULL CONSTRAINT hub_links_local_id_uq UNIQUE
      CONSTRAINT hub_links_local_id_fk REFERENCES local_accounts (local_id) ON DELETE CASCADE,
    linked_at timestamptz NOT NULL
  )`,
];

/** Every query on local accounts (PIN credentials) and on the local copy of hub links. */
@Injectable()
export class LocalAccountRepository extends SchemaOwningRepository implements OnModuleInit {
  constructor(db: DemoDatabase) {
    super(db, schema);
  }

  /** Creates an account unless it exists (seeding is idempotent). */
  async insert(localId: string, pinHash: string, tx: SqlExecutor = this.db): Promise<void> {
    await tx.query(
      `INSERT INTO local_accounts (local_id, pin_hash) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT local_accounts_pk DO NOTHING`,
      [localId, pinHash],
    );
  }

  async exists(localId: string, tx: SqlExecutor = this.db): Promise<boolean> {
    const { rows } = await tx.query<{ one: number }>(`SELECT 1 AS one FROM local_accounts WHERE local_id = $1`, [localId]);
    return rows.length > 0;
  }

  /** Reads a credential and locks its row until the transaction ends. */
  async findForUpdate(localId: string, tx: SqlExecutor): Promise<LocalCredential | undefined> {
    const { rows } = await tx.query<CredentialRow>(
      `SELECT local_id, pin_hash, failed_pin_attempts, pin_locked_until FROM local_accounts WHERE local_id = $1 FOR UPDATE`,
      [localId],
    );
    const row = rows[0];
    return row && {
      localId: row.local_id,
      pinHash: row.pin_hash,
      failedPinAttempts: row.failed_pin_attempts,
      pinLockedUntil: row.pin_locked_until,
    };
  }

  async updateLockout(localId: string, failedPinAttempts: number, pinLockedUntil: Date | null, tx: SqlExecutor = this.db): Promise<void> {
    await tx.query(
      `UPDATE local_accounts SET failed_pin_attempts = $2, pin_locked_until = $3 WHERE local_id = $1`,
      [localId, failedPinAttempts, pinLockedUntil],
    );
  }

  /** Records that a hub subject is this local account, replacing any older link of either side. */
  async upsertHubLink(sub: string, localId: string, linkedAt: Date, tx: SqlExecutor = this.db): Promise<void> {
    await tx.query(`DELETE FROM hub_links WHERE local_id = $1 AND sub <> $2`, [localId, sub]);
    await tx.query(
      `INSERT INTO hub_links (sub, local_id, linked_at) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT hub_links_pk DO UPDATE SET local_id = EXCLUDED.local_id, linked_at = EXCLUDED.linked_at
       WHERE hub_links.local_id <> EXCLUDED.local_id`,
      [sub, localId, linkedAt],
    );
  }

  async findLocalIdBySub(sub: string, tx: SqlExecutor = this.db): Promise<string | undefined> {
    const { rows } = await tx.query<{ local_id: string }>(`SELECT local_id FROM hub_links WHERE sub = $1`, [sub]);
    return rows[0]?.local_id;
  }
}
