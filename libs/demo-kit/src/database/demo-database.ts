import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OnApplicationShutdown } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { DemoSettings } from '../demo-settings';

/**
 * What a repository needs to run SQL: the database itself or an open transaction.
 * Inside `transaction(work)`, run every statement on the `tx` given to `work`: the database
 * itself waits until the transaction ends.
 */
export interface SqlExecutor {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** A database error as PostgreSQL reported it (SQLSTATE code, constraint name). */
export class DemoDatabaseError extends Error {
  constructor(message: string, readonly code?: string, readonly constraint?: string) {
    super(message);
    this.name = 'DemoDatabaseError';
  }
}

/*
 * PGlite runs in a worker thread. Its Node loader does `await import('module')`, which Jest's VM
 * refuses without --experimental-vm-modules; in a worker it is plain Node, in tests as in
 * production. The worker is a few lines of plain JavaScript (no build step needed).
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const opening = PGlite.create(workerData.dataDir || undefined);
opening.catch(() => undefined);
parentPort.on('message', async (message) => {
  try {
    const db = await opening;
    if (message.op === 'query') {
      const result = await db.query(message.sql, message.params);
      parentPort.postMessage({ id: message.id, rows: result.rows });
    } else if (message.op === 'close') {
      await db.close();
      parentPort.postMessage({ id: message.id });
    } else {
      parentPort.postMessage({ id: message.id });
    }
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: {
      message: String(error && error.message || error), code: error && error.code, constraint: error && error.constraint,
    } });
  }
});
`;

interface Reply { id: number; rows?: unknown[]; error?: { message: string; code?: string; constraint?: string } }

/**
 * The demo service's own small database: PGlite (PostgreSQL in WASM), persisted in a folder or
 * kept in memory. One per demo process; repositories take it (or a transaction) to run SQL.
 * PGlite is a single backend, so statements run one at a time and a transaction holds the
 * database until it ends.
 */
export class DemoDatabase implements SqlExecutor, OnApplicationShutdown {
  private readonly logger = new AppLogger(DemoDatabase.name);
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private tail: Promise<unknown> = Promise.resolve();
  private closing?: Promise<void>;

  private constructor(private readonly worker: Worker, readonly location: string) {
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      waiter.resolve(reply);
    });
    const failAll = (error: Error) => {
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => failAll(error));
    worker.on('exit', () => failAll(new DemoDatabaseError('The database worker has stopped')));
  }

  static async open(settings: Pick<DemoSettings, 'store' | 'dataDir' | 'serviceName'>): Promise<DemoDatabase> {
    let dataDir: string | undefined;
    if (settings.store === 'pglite') {
      dataDir = resolve(join(settings.dataDir, settings.serviceName));
      mkdirSync(dataDir, { recursive: true });
    }
    const worker = new Worker(workerSource, { eval: true, workerData: { pglitePath: require.resolve('@electric-sql/pglite'), dataDir } });
    const db = new DemoDatabase(worker, dataDir ?? '(memory)');
    try {
      await db.query('SELECT 1');
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    db.logger.log(LogKind.Event, 'Demo database opened', { location: db.location });
    return db;
  }

  private send(message: { op: 'query'; sql: string; params: unknown[] } | { op: 'close' }): Promise<Reply> {
    if (this.closing && message.op === 'query') return Promise.reject(new DemoDatabaseError('The database is closed'));
    return new Promise<Reply>((resolvePromise, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolvePromise, reject });
      this.worker.ref();
      this.worker.postMessage({ ...message, id });
    }).then((reply) => {
      if (reply.error) throw new DemoDatabaseError(reply.error.message, reply.error.code, reply.error.constraint);
      return reply;
    });
  }

  private async run<T>(sql: string, params: unknown[]): Promise<{ rows: T[] }> {
    const reply = await this.send({ op: 'query', sql, params });
    return { rows: (reply.rows ?? []) as T[] };
  }

  /** Runs `work` after everything queued before it, alone. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  query<T>(sql: string, params: unknown[] = []): Promise<{ rows: T[] }> {
    return this.exclusive(() => this.run<T>(sql, params));
  }

  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      let open = true;
      const tx: SqlExecutor = {
        query: <R>(sql: string, params: unknown[] = []) => {
          if (!open) return Promise.reject(new DemoDatabaseError('The transaction has ended'));
          return this.run<R>(sql, params);
        },
      };
      await this.run('BEGIN', []);
      try {
        const result = await work(tx);
        open = false;
        await this.run('COMMIT', []);
        return result;
      } catch (error) {
        open = false;
        await this.run('ROLLBACK', []).catch(() => undefined);
        throw error;
      }
    });
  }

  close(): Promise<void> {
    this.closing ??= this.exclusive(async () => {
      await this.send({ op: 'close' }).catch(() => undefined);
      await this.worker.terminate();
    });
    return this.closing;
  }

  get isClosed(): boolean {
    return this.closing !== undefined;
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

/**
 * Base of the demo repositories: each owns its tables and creates them once, at module start
 * or when a seeder asks first.
 */
export abstract class SchemaOwningRepository {
  private readonly schemaOnce: SchemaOnce;

  protected constructor(protected readonly db: DemoDatabase, statements: string[]) {
    this.schemaOnce = new SchemaOnce(db, statements);
  }

  onModuleInit(): Promise<void> {
    return this.ensureSchema();
  }

  ensureSchema(): Promise<void> {
    return this.schemaOnce.ensure();
  }
}
