import type { DataSourceOptions } from 'typeorm';

export interface DatabaseSettings {
  url: string;
  /** True when the URL points at the embedded PGlite server (one connection only). */
  embedded: boolean;
  /** Entity classes of the app. */
  entities: DataSourceOptions['entities'];
  /** Migration classes, in order (see migrations/index.ts). */
  migrations: DataSourceOptions['migrations'];
  /** Print SQL (development only). */
  logging?: boolean;
}

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
    extra: { max: settings.embedded ? 1 : 10, application_name: 'tsunagu' },
  };
}
