import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import type { JWK } from 'jose';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tsunagu/database';
import { correlationMiddleware, rootLogger } from '@tsunagu/logger';
import { openTestDataSource } from '@tsunagu/testing';
import { KeysRepository } from '../platform/keys/keys.repository';
import { KeysService } from '../platform/keys/keys.service';
import { SecretBox } from '../platform/keys/secret-box';
import type { AuditEvent, AuditRecord } from './audit-event';
import { hashRecord } from './audit-hash';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditRetentionService } from './audit-retention.service';
import { AuditVerifier } from './audit-verifier';
import type { AuditConfig } from '../platform/config/hub.config';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

const DAY_MS = 86_400_000;
const event = (n: number, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  type: 'auth.sign_in', actor: { kind: 'resident', id: `resident-${n}` }, subject: `resident-${n}`, outcome: 'success', details: { n }, ...extra,
});

interface Hub {
  audit: AuditService;
  checkpoints: AuditCheckpointsService;
  repo: AuditRepository;
  ds: DataSource;
}

/** The audit chain against the real PostgreSQL: one fresh migrated database per test. */
describe(AuditService.name, () => {
  let ds: DataSource;
  let hub: Hub;
  let verifier: AuditVerifier;
  let retention: AuditRetentionService;
  let dataDir: string;
  const extra: Hub[] = [];
  const box = new SecretBox(SecretBox.generateKey());
  const config: AuditConfig = { AUDIT_CHECKPOINT_EVERY_ROWS: 1000, AUDIT_CHECKPOINT_EVERY_MINUTES: 60, AUDIT_RETENTION_DAYS: 400, AUDIT_EXPORT_DIR: 'exports' };

  function hubOn(db: DataSource, settings: AuditConfig = config): Hub {
    const repo = new AuditRepository(db);
    const checkpoints = new AuditCheckpointsService(repo, new KeysService(new KeysRepository(db), box), settings);
    return { audit: new AuditService(repo, checkpoints), checkpoints, repo, ds: db };
  }

  /** Another replica: its own pool on the same database. */
  async function replica(): Promise<Hub> {
    const db = new DataSource(dataSourceOptions({ url: (ds.options as { url: string }).url, embedded: false, entities: [], migrations: [] }));
    await db.initialize();
    const h = hubOn(db);
    extra.push(h);
    return h;
  }

  async function seed(n: number, h = hub): Promise<void> {
    for (let i = 1; i <= n; i++) await h.audit.record(event(i));
  }

  /** What an attacker with database access does: switch off the append-only triggers and edit. */
  async function tamper(sql: string, params: unknown[] = []): Promise<void> {
    await ds.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await ds.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER USER');
    await ds.query(sql, params);
    await ds.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    await ds.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER USER');
  }

  beforeEach(async () => {
    ds = await openTestDataSource([], 'audit');
    hub = hubOn(ds);
    verifier = new AuditVerifier(hub.repo, async () => (await new KeysRepository(ds).listSigningKeys()).map((k) => k.public_jwk as JWK));
    dataDir = mkdtempSync(join(tmpdir(), 'tsunagu-audit-'));
    retention = new AuditRetentionService(hub.repo, hub.checkpoints, { ...config, DATA_DIR: dataDir });
  });

  afterEach(async () => {
    for (const h of [hub, ...extra.splice(0)]) {
      await h.checkpoints.onApplicationShutdown();
      if (h.ds !== ds) await h.ds.destroy();
    }
    await ds.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('chains every row to the one before and verifies the whole chain with its checkpoints', async () => {
    await seed(12);
    await hub.checkpoints.checkpointIfDue('now');
    await seed(3);
    const rows = await hub.repo.page(0, 100);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(rows[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    const result = await verifier.verify();
    expect(result).toMatchObject({ ok: true, rows: 15, firstSeq: 1, lastSeq: 15, headHash: rows[14].hash, cutSeq: 0 });
    expect(result.checkpointsVerified).toBeGreaterThanOrEqual(1);
  });

  it('stores the event as given, with the correlation ID, and mirrors it to the log with its kind', async () => {
    const spy = jest.spyOn(rootLogger(), 'log');
    // Inside a request: the correlation middleware sets the ID the row and the log line carry.
    const req = { headers: { 'x-correlation-id': 'corr-0001-abcd' } } as unknown as Request;
    const res = { setHeader: () => undefined } as unknown as Response;
    const row = await new Promise<AuditRecord>((resolve, reject) => correlationMiddleware(req, res, () => {
      hub.audit.record({ type: 'auth.sign_in_failed', actor: { kind: 'resident', id: 'r-9' }, tenantId: 't-1', subject: 'r-9', outcome: 'failure', reason: 'invalid_credentials', details: { password: 'hunter2', attempt: 3 } })
        .then(resolve, reject);
    }));
    expect(row).toMatchObject({ seq: 1, type: 'auth.sign_in_failed', outcome: 'failure', correlationId: 'corr-0001-abcd', details: { password: '[redacted]', attempt: 3 } });
    expect(await hub.repo.findEvent(1)).toEqual(row);
    const calls = spy.mock.calls as unknown as [string, string, Record<string, unknown>][];
    const line = calls.find((c) => String(c[1]).startsWith('Audit: auth.sign_in_failed'));
    expect(line?.[2]).toMatchObject({ kind: 'authentication', correlationId: 'corr-0001-abcd', auditSeq: 1, outcome: 'failure', reason: 'invalid_credentials' });
    expect(JSON.stringify(spy.mock.calls)).not.toContain('hunter2');
    spy.mockRestore();
    await expect(hub.audit.record({ type: 'Sign In', actor: { kind: 'nobody' as 'system' }, outcome: 'maybe' as 'success' })).rejects.toThrow(/Malformed audit event/);
  });

  it('detects an altered row at its seq', async () => {
    await seed(10);
    await tamper(`UPDATE audit_events SET outcome = 'failure' WHERE seq = 7`);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 7, reason: expect.stringContaining('altered') } });
  });

  it('detects an altered and re-hashed row at the link after it', async () => {
    await seed(10);
    const row = (await hub.repo.findEvent(7))!;
    const forged: AuditRecord = { ...row, actor: { kind: 'resident', id: 'someone-else' } };
    await tamper(`UPDATE audit_events SET actor_id = $1, hash = $2 WHERE seq = 7`, ['someone-else', hashRecord(forged)]);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 8, reason: expect.stringContaining('does not link to row 7') } });
  });

  it('detects a deleted row', async () => {
    await seed(10);
    await tamper(`DELETE FROM audit_events WHERE seq = 4`);
    expect(await verifier.verify()).toMatchObject({ ok: false, rows: 3, break: { seq: 4, reason: expect.stringContaining('row 4 is missing') } });
  });

  it('detects the first row deleted, and the newest rows deleted below a signed checkpoint', async () => {
    await seed(10);
    await hub.checkpoints.checkpointIfDue('now');
    await tamper(`DELETE FROM audit_events WHERE seq >= 9`);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 9, reason: expect.stringContaining('signed checkpoint') } });
    await tamper(`DELETE FROM audit_events WHERE seq = 1`);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 1, reason: expect.stringContaining('no signed cut checkpoint') } });
  });

  it('detects a row inserted into the chain, even one hashed correctly', async () => {
    await seed(10);
    const before = (await hub.repo.findEvent(4))!;
    const unhashed = { ...before, seq: 5, type: 'admin.change', actor: { kind: 'admin' as const, id: 'intruder' }, prevHash: before.hash };
    const forged = { ...unhashed, hash: hashRecord(unhashed) };
    // Make room at seq 5 (two steps: the primary key is checked row by row) and slip the forged row in.
    await tamper(`UPDATE audit_events SET seq = seq + 1000000 WHERE seq >= 5`);
    await tamper(`UPDATE audit_events SET seq = seq - 999999 WHERE seq >= 1000000`);
    await tamper(
      `INSERT INTO audit_events (seq, occurred_at, type, actor_kind, actor_id, subject, outcome, details, prev_hash, hash) VALUES (5, $1, 'admin.change', 'admin', 'intruder', $2, 'success', $3, $4, $5)`,
      [forged.time, forged.subject, JSON.stringify(forged.details), forged.prevHash, forged.hash]);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 6, reason: expect.stringContaining('does not link to row 5') } });
  });

  it('detects a row appended behind the hub\'s back', async () => {
    await seed(5);
    await tamper(`INSERT INTO audit_events (seq, occurred_at, type, actor_kind, outcome, prev_hash, hash) VALUES (6, now(), 'admin.change', 'admin', 'success', $1, $1)`, ['e'.repeat(64)]);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 6 } });
  });

  it('detects a checkpoint altered or signed by a key the hub does not have', async () => {
    await seed(5);
    await hub.checkpoints.checkpointIfDue('now');
    await tamper(`UPDATE audit_checkpoints SET hash = $1`, ['a'.repeat(64)]);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 5, reason: expect.stringContaining('altered') } });
    await tamper(`UPDATE audit_checkpoints SET hash = (SELECT hash FROM audit_events WHERE seq = 5), jws = regexp_replace(jws, '\\.[^.]+$', '.AAAA')`);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 5, reason: expect.stringContaining('signature does not verify') } });
  });

  it('refuses UPDATE, DELETE and TRUNCATE through the append-only triggers', async () => {
    await seed(2);
    await expect(ds.query(`UPDATE audit_events SET outcome = 'failure'`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    expect(await hub.repo.countEvents()).toBe(2);
  });

  it('appends inside the caller\'s transaction and rolls back with it', async () => {
    await expect(ds.transaction(async (manager) => {
      await hub.audit.record(event(1), manager);
      throw new Error('decision failed');
    })).rejects.toThrow('decision failed');
    expect(await hub.repo.countEvents()).toBe(0);
    const runner = ds.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await hub.audit.record(event(1), runner);
    await hub.audit.record(event(2), runner);
    await runner.commitTransaction();
    await runner.release();
    await ds.transaction((manager) => hub.audit.record(event(3), manager));
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 3 });
  });

  it('keeps one valid chain when several replicas append at once', async () => {
    const replicas = [hub, await replica(), await replica(), await replica()];
    await Promise.all(replicas.flatMap((r, i) => Array.from({ length: 60 }, (_, n) => r.audit.record(event(i * 100 + n)))));
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 240, firstSeq: 1, lastSeq: 240 });
  });

  it('signs a checkpoint every N rows and after M minutes, once across replicas', async () => {
    const h = hubOn(ds, { ...config, AUDIT_CHECKPOINT_EVERY_ROWS: 5 });
    extra.push(h);
    for (let i = 1; i <= 11; i++) {
      await h.audit.record(event(i));
      await h.checkpoints.onApplicationShutdown(); // let the background checkpoint finish, to count them
    }
    const seqs = (await h.repo.listCheckpoints()).map((c) => c.seq);
    expect(seqs).toEqual([5, 10]);
    await h.audit.record(event(12));
    await h.checkpoints.onApplicationShutdown();
    expect(await h.checkpoints.checkpointIfDue('time', new Date())).toBeUndefined();
    const later = new Date(Date.now() + 61 * 60_000);
    const [a, b] = await Promise.all([h.checkpoints.checkpointIfDue('time', later), hub.checkpoints.checkpointIfDue('time', later)]);
    expect([a, b].filter(Boolean)).toEqual([expect.objectContaining({ seq: 12, kind: 'periodic' })]);
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 12, checkpointsVerified: 3 });
  });

  it('prunes old rows only after exporting them and signing a cut, and the chain stays verifiable', async () => {
    await seed(10);
    const tenth = (await hub.repo.findEvent(10))!;
    await new Promise((r) => setTimeout(r, 10));
    await seed(5);
    // "Now" is 400 days after row 10 was written: rows 1–10 are due.
    const now = new Date(new Date(tenth.time).getTime() + 1 + 400 * DAY_MS);
    const first = await retention.pruneExpired(now);
    expect(first).toMatchObject({ pruned: 10, cutSeq: 10 });
    const lines = gunzipSync(readFileSync(first.file!)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(lines.every((l) => hashRecord(l) === l.hash)).toBe(true);
    expect(lines[9].hash).toBe(tenth.hash);
    expect(first.file!.startsWith(join(dataDir, 'exports'))).toBe(true);
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 5, firstSeq: 11, lastSeq: 15, cutSeq: 10 });

    // Nothing more is due at the same moment; a later run prunes everything, and appends continue from the cut.
    expect(await retention.pruneExpired(now)).toEqual({ pruned: 0 });
    expect(await retention.pruneExpired(new Date(Date.now() + 401 * DAY_MS))).toMatchObject({ pruned: 5, cutSeq: 15 });
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 0, cutSeq: 15 });
    await seed(3);
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 3, firstSeq: 16, lastSeq: 18, cutSeq: 15 });

    // A row deleted right after the cut is still caught.
    await tamper(`DELETE FROM audit_events WHERE seq = 16`);
    expect(await verifier.verify()).toMatchObject({ ok: false, break: { seq: 16, reason: expect.stringContaining('no signed cut checkpoint') } });
  });

  it('signs the cut again after a key rotation, so the chain still verifies once the old key is purged', async () => {
    await seed(5);
    expect(await retention.pruneExpired(new Date(Date.now() + 401 * DAY_MS))).toMatchObject({ pruned: 5, cutSeq: 5 });
    const keys = new KeysService(new KeysRepository(ds), box);
    await keys.createKey('next');
    await keys.activateNext();
    expect(await retention.pruneExpired()).toEqual({ pruned: 0, resignedCutSeq: 5 });
    expect(await retention.pruneExpired()).toEqual({ pruned: 0 });
    expect(await keys.purgeRetired(new Date(Date.now() + 60_000))).toBe(1);
    await seed(2);
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 2, firstSeq: 6, cutSeq: 5 });
  });

  it('never keeps less than 400 days, and refuses to prune (and bless) a broken segment', async () => {
    await seed(6);
    expect(await retention.pruneExpired(new Date(Date.now() + 30 * DAY_MS), 30)).toEqual({ pruned: 0 });
    await tamper(`UPDATE audit_events SET reason = 'edited' WHERE seq = 3`);
    await expect(retention.pruneExpired(new Date(Date.now() + 401 * DAY_MS))).rejects.toThrow(/broken at seq 3/);
    expect(await hub.repo.countEvents()).toBe(6);
    expect(existsSync(join(dataDir, 'exports', 'audit-000000000001-000000000006.ndjson.gz'))).toBe(false);
    expect(await hub.repo.listCheckpoints()).toEqual([]);
  });
});
