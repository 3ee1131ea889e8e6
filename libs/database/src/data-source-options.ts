import type { DataSourceOptions } from 'typeorm';

export interface DatabaseSettings {
  url: string;
  /** True when the URL points at the embedded PGlite server (one connection only). */
  embedded: boolean;
  /** Entity classes of the app. */
  entities: DataSourceOptions['entities'];
  /** Migration classes, in order (see migrations/index.ts). */
  migrations: DataSourceOptions['migrations'];
  /** How long a query may wait for a free pool connection (default POOL_WAIT_MS). */
  poolWaitMs?: number;
  /** Print SQL (development only). */
  logging?: boolean;
}

/** How long a query may wait for a free pool connection before it fails. */
export const POOL_WAIT_MS = 10_000;

/**
 * TypeORM options shared by the hub, the migration CLI and the tests. The schema is owned by the
 * migrations in /migrations — `synchronize` stays off everywhere.
 */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // TypeORM's own error log prints query parameters (password hashes, sealed keys): errors are
    // thrown to the caller and logged there without them.
    logging: settings.logging ? ['query'] : false,
    // A request never waits for a connection without end: past POOL_WAIT_MS it fails with a clear
    // error (mapped to 503 database_busy) instead of hanging — on the embedded database's single
    // connection a wait that long means a bug (see guardTransactions), on a server an exhausted pool.
    extra: { max: settings.embedded ? 1 : 10, application_name: 'tsunagu', connectionTimeoutMillis: settings.poolWaitMs ?? POOL_WAIT_MS },
  };
}
