import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, EmbeddedPostgres, guardTransactions } from '@tsunagu/database';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { hubMigrations } from '../../../../../migrations';
import type { HubConfig } from '../config/hub.config';

const logger = new AppLogger('HubDatabase');
/** Any constant: the advisory lock that serialises migrations when replicas boot together. */
const MIGRATION_LOCK = 7_361_001;

export interface HubDatabase {
  dataSource: DataSource;
  embedded?: EmbeddedPostgres;
}

/**
 * Opens the hub's database — the configured server, or the embedded PGlite one under DATA_DIR —
 * and applies pending migrations under an advisory lock (several replicas may start at once).
 */
export async function openHubDatabase(config: Pick<HubConfig, 'DATABASE_URL' | 'DATA_DIR' | 'NODE_ENV'>): Promise<HubDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = new EmbeddedPostgres(resolve(join(config.DATA_DIR, 'pglite')));
    url = await embedded.start();
  }
  const dataSource = new DataSource(dataSourceOptions({ url, embedded: !!embedded, entities: [], migrations: hubMigrations }));
  // A second connection taken inside a transaction freezes the embedded database: refuse it
  // outright everywhere but a production server, where it is reported and let through.
  guardTransactions(dataSource, embedded || config.NODE_ENV !== 'production' ? 'throw' : 'report',
    (error) => logger.error('Second connection inside a transaction', error));
  await dataSource.initialize();
  await migrate(dataSource, !!embedded);
  return { dataSource, embedded };
}

async function migrate(dataSource: DataSource, embedded: boolean): Promise<void> {
  if (embedded) {
    // One process owns the embedded database, and its single connection cannot hold a lock
    // while the migrations run on it.
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) logger.log(LogKind.Operation, 'Migrations applied', { migrations: applied.map((m) => m.name) });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

export async function closeHubDatabase(db: HubDatabase): Promise<void> {
  if (db.dataSource.isInitialized) await db.dataSource.destroy();
  await db.embedded?.stop();
}
