import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OnApplicationShutdown } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { DemoSettings } from '../demo-settings';

/** What a repository needs to run SQL: the database itself or an open transaction. */
export interface SqlExecutor {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * The demo service's own small database: PGlite (PostgreSQL in WASM), persisted in a folder or
 * kept in memory. One per demo process; repositories take it (or a transaction) to run SQL.
 */
export class DemoDatabase implements SqlExecutor, OnApplicationShutdown {
  private readonly logger = new AppLogger(DemoDatabase.name);
  private closed = false;

  private constructor(private readonly pg: PGlite, readonly location: string) {}

  static async open(settings: Pick<DemoSettings, 'store' | 'dataDir' | 'serviceName'>): Promise<DemoDatabase> {
    if (settings.store === 'memory') {
      return new DemoDatabase(await PGlite.create(), '(memory)');
    }
    const dir = resolve(join(settings.dataDir, settings.serviceName));
    mkdirSync(dir, { recursive: true });
    const db = new DemoDatabase(await PGlite.create(dir), dir);
    db.logger.log(LogKind.Event, 'Demo database opened', { location: dir });
    return db;
  }

  query<T>(sql: string, params: unknown[] = []): Promise<{ rows: T[] }> {
    return this.pg.query<T>(sql, params);
  }

  /** Runs `work` in one transaction; PGlite serialises transactions, so this is also a lock. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => work(tx));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pg.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/**
 * Runs a repository's DDL once per database, however many callers ask (the app's seeder needs the
 * shared tables before Nest would have created them).
 */
export class SchemaOnce {
  private done?: Promise<void>;
  constructor(private readonly db: SqlExecutor, private readonly statements: string[]) {}

  ensure(): Promise<void> {
    this.done ??= (async () => {
      for (const statement of this.statements) await this.db.query(statement);
    })().catch((error: unknown) => {
      this.done = undefined;
      throw error;
    });
    return this.done;
  }
}
