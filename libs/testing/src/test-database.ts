import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { dataSourceOptions, guardTransactions } from '@tsunagu/database';
import { hubMigrations } from '../../../migrations';

function adminUrl(): string {
  return process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * A fresh, empty database on the machine's real PostgreSQL, named after the test run so that the
 * global teardown drops it. Use one per test file that needs isolation from others (e2e hubs).
 */
export async function createTestDatabase(label = 'db'): Promise<string> {
  const runId = process.env.TEST_RUN_ID ?? 'adhoc';
  const name = `tsunagu_test_${runId}_${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A TypeORM DataSource on a fresh migrated database (real PostgreSQL, real migrations).
 * Pass the entities the test needs.
 */
export async function openTestDataSource(entities: DataSourceOptions['entities'] = [], label = 'int'): Promise<DataSource> {
  const url = await createTestDatabase(label);
  const ds = guardTransactions(new DataSource(dataSourceOptions({ url, embedded: false, entities, migrations: hubMigrations })), 'throw');
  await ds.initialize();
  await ds.runMigrations();
  return ds;
}

/** The Redis URL and a key prefix unique to this test run. */
export function testRedis(): { url: string; prefix: string } {
  return {
    url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `${process.env.TEST_REDIS_PREFIX ?? 'tsunagu-test-adhoc:'}${randomBytes(3).toString('hex')}:`,
  };
}
