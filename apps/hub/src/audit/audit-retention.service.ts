import { createWriteStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import type { JWK } from 'jose';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { Queryable } from '@tsunagu/common';
import { type AuditConfig, HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { ChainWalker, verifyCheckpoint } from './audit-chain';
import { GENESIS_HASH } from './audit-hash';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditRepository } from './audit.repository';

/** The procurement spec's floor: every action traceable for at least a year (400 days with margin). */
export const MIN_AUDIT_RETENTION_DAYS = 400;
const DAY_MS = 86_400_000;
const PAGE = 2000;

export interface PruneResult {
  /** Rows deleted from the database (0 when nothing was older than the retention). */
  pruned: number;
  /** The seq of the cut: every row up to it was exported and deleted, and a cut checkpoint signed over it. */
  cutSeq?: number;
  /** The gzip'd NDJSON export holding the pruned rows. */
  file?: string;
  /** Why nothing was done although rows might be due (another replica was pruning). */
  skipped?: string;
  /** Nothing was due, but the newest cut was signed again with the active key (after a key rotation). */
  resignedCutSeq?: number;
}

/**
 * Retention of the audit chain: rows older than AUDIT_RETENTION_DAYS (≥ 400) are exported,
 * checked, pinned by a signed cut checkpoint and only then deleted — all by the daily
 * `prune-audit` job. The export is NDJSON (one row per line, as hashed) compressed with gzip,
 * under DATA_DIR/AUDIT_EXPORT_DIR, named after the seq range it holds.
 */
@Injectable()
export class AuditRetentionService {
  private readonly logger = new AppLogger(AuditRetentionService.name);

  constructor(
    private readonly repo: AuditRepository,
    private readonly checkpoints: AuditCheckpointsService,
    @Inject(HUB_CONFIG) private readonly config: AuditConfig & Pick<HubConfig, 'DATA_DIR'>,
  ) {}

  exportDir(): string {
    return resolve(this.config.DATA_DIR, this.config.AUDIT_EXPORT_DIR);
  }

  /**
   * Exports and prunes every row older than `retentionDays` before `now`. Refuses (throws) when
   * the rows to prune do not form an intact chain: pruning them would hide the tampering.
   */
  async pruneExpired(now = new Date(), retentionDays = this.config.AUDIT_RETENTION_DAYS): Promise<PruneResult> {
    const days = Math.max(MIN_AUDIT_RETENTION_DAYS, retentionDays);
    const before = new Date(now.getTime() - days * DAY_MS);
    // Fetched before the transaction: the embedded database has a single connection.
    const { signing: signingKey, publicKeys } = await this.checkpoints.keyRing();
    const result = await this.repo.transaction(async (q): Promise<PruneResult> => {
      if (!(await this.repo.tryLockForPrune(q))) return { pruned: 0, skipped: 'another replica is pruning' };
      const range = await this.repo.prunableRange(before, q);
      if (!range) {
        const resigned = await this.resignCut(q, signingKey, publicKeys);
        return resigned === undefined ? { pruned: 0 } : { pruned: 0, resignedCutSeq: resigned };
      }
      const anchor = await this.anchor(q, range.fromSeq);
      const file = await this.export(q, anchor, range.toSeq);
      await this.checkpoints.writeCut(q, signingKey, range.toSeq, file.lastHash);
      const pruned = await this.repo.deleteUpTo(q, range.toSeq);
      return { pruned, cutSeq: range.toSeq, file: file.path };
    });
    if (result.pruned) {
      this.logger.log(LogKind.Operation, 'Audit rows exported and pruned', { pruned: result.pruned, cutSeq: result.cutSeq, file: result.file, retentionDays: days });
    }
    if (result.resignedCutSeq !== undefined) this.logger.log(LogKind.Operation, 'Audit cut checkpoint signed again with the active key', { cutSeq: result.resignedCutSeq });
    return result;
  }

  /**
   * After a key rotation, signs the newest cut again with the active key, so the chain's anchor
   * stays verifiable when the retired key is eventually purged. Only a cut whose old signature
   * still verifies is re-signed. Returns the seq re-signed, if any.
   */
  private async resignCut(q: Queryable, signingKey: JWK, publicKeys: Map<string, JWK>): Promise<number | undefined> {
    const cut = await this.repo.latestCut(q);
    if (!cut || cut.kid === signingKey.kid) return undefined;
    const payload = await verifyCheckpoint(cut.jws, publicKeys);
    if ('invalid' in payload || payload.seq !== cut.seq || payload.hash !== cut.hash) {
      throw new Error(`Audit retention refused: the cut checkpoint at seq ${cut.seq} does not verify; run npm run audit:verify`);
    }
    await this.checkpoints.writeCut(q, signingKey, payload.seq, payload.hash);
    return payload.seq;
  }

  /** Where the rows to prune chain from: genesis, or the previous cut. */
  private async anchor(q: Queryable, fromSeq: number): Promise<{ seq: number; hash: string }> {
    if (fromSeq === 1) return { seq: 0, hash: GENESIS_HASH };
    const cut = await this.repo.latestCut(q);
    if (!cut || cut.seq !== fromSeq - 1) {
      throw new Error(`Audit retention refused: the chain starts at ${fromSeq} without a cut checkpoint at ${fromSeq - 1}; run npm run audit:verify`);
    }
    return { seq: cut.seq, hash: cut.hash };
  }

  /** Writes the rows up to `toSeq` to a gzip'd NDJSON file, checking the chain as it goes. */
  private async export(q: Queryable, anchor: { seq: number; hash: string }, toSeq: number): Promise<{ path: string; lastHash: string }> {
    const dir = this.exportDir();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = `audit-${String(anchor.seq + 1).padStart(12, '0')}-${String(toSeq).padStart(12, '0')}.ndjson.gz`;
    const path = join(dir, name);
    const partial = `${path}.partial`;
    const walker = new ChainWalker(anchor);
    const repo = this.repo;
    async function* lines(): AsyncGenerator<string> {
      let after = anchor.seq;
      for (;;) {
        const page = await repo.page(after, PAGE, toSeq, q);
        if (!page.length) break;
        for (const row of page) {
          const brk = walker.step(row);
          if (brk) throw new Error(`Audit retention refused: the chain is broken at seq ${brk.seq} (${brk.reason}); run npm run audit:verify`);
          yield `${JSON.stringify(row)}\n`;
        }
        after = page[page.length - 1].seq;
      }
    }
    try {
      await pipeline(lines, createGzip(), createWriteStream(partial, { mode: 0o600 }));
      if (walker.lastSeq !== toSeq) throw new Error(`Audit retention refused: rows ${walker.lastSeq + 1}–${toSeq} are missing`);
      const handle = await open(partial, 'r+');
      await handle.sync().finally(() => handle.close());
      await chmod(partial, 0o600);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      this.logger.error('Audit export failed: nothing was pruned', error);
      throw error;
    }
    return { path, lastHash: walker.lastHash };
  }
}
