import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WASM) persisted in a folder and
 * served over the PostgreSQL wire protocol on loopback. The hub then connects with the very same
 * `pg` driver, TypeORM options and migrations it uses against a real server — one code path.
 * See docs/adr/2026-11-22-embedded-database.md.
 */
export class EmbeddedPostgres {
  private readonly logger = new AppLogger(EmbeddedPostgres.name);
  private db?: PGlite;
  private server?: PGLiteSocketServer;
  private url?: string;

  /** @param dataDir folder for the database files, or undefined for a throw-away in-memory database */
  constructor(private readonly dataDir: string | undefined) {}

  async start(port = 0): Promise<string> {
    if (this.dataDir) mkdirSync(this.dataDir, { recursive: true });
    this.db = await PGlite.create(this.dataDir);
    // PGlite is one backend: a second connection's statements would run inside the first one's
    // transaction. The server therefore admits one connection; the pool is sized to match.
    this.server = new PGLiteSocketServer({ db: this.db, host: '127.0.0.1', port: port || await freePort(), maxConnections: 1 });
    await this.server.start();
    const conn = this.server.getServerConn();
    this.url = `postgres://postgres@${conn}/postgres?sslmode=disable`;
    this.logger.log(LogKind.Event, 'Embedded PostgreSQL (PGlite) started', { dataDir: this.dataDir ?? '(memory)', address: conn });
    return this.url;
  }

  /**
   * A gzip'd tar of the database folder, taken by PGlite itself between statements (it runs one
   * at a time), so that the running hub can back up its embedded database; restore by starting
   * PGlite on an empty folder with it (docs/backup.md).
   */
  async dumpDataDir(): Promise<Buffer> {
    if (!this.db) throw new Error('the embedded database is not running');
    const blob = await this.db.dumpDataDir('gzip');
    return Buffer.from(await blob.arrayBuffer());
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.db?.close();
    this.server = undefined;
    this.db = undefined;
  }
}
