import type { JWK } from 'jose';
import { type ChainBreak, ChainWalker, type CheckpointPayload, verifyCheckpoint } from './audit-chain';
import { GENESIS_HASH } from './audit-hash';
import type { AuditRepository, CheckpointRow } from './audit.repository';

/** What `npm run audit:verify` reports. */
export interface AuditVerification {
  ok: boolean;
  /** Rows walked. */
  rows: number;
  firstSeq?: number;
  lastSeq?: number;
  /** Hash of the newest row (compare it with the last "Audit checkpoint signed" log line, kept outside the database). */
  headHash?: string;
  /** Checkpoints whose signature and hash were checked against the rows (older ones, over pruned rows, are skipped). */
  checkpointsVerified: number;
  /** The seq the chain starts from after pruning (0 when nothing was pruned). */
  cutSeq: number;
  /** The first broken link, when `ok` is false. */
  break?: ChainBreak;
}

const PAGE = 2000;

/**
 * Walks the whole chain in seq order and checks, for each row, that no seq is missing, that it
 * links to the row before (or to the signed cut checkpoint / genesis for the first row) and that
 * its hash matches its content; and, for each checkpoint over a kept row, that the hub signed it
 * and that it matches the row. Stops at the first broken link.
 */
export class AuditVerifier {
  constructor(private readonly repo: AuditRepository, private readonly publicJwks: () => Promise<JWK[]>) {}

  async verify(): Promise<AuditVerification> {
    const keys = new Map((await this.publicJwks()).filter((k) => k.kid).map((k) => [k.kid!, k]));
    const bySeq = new Map<number, CheckpointRow[]>();
    const checkpoints = await this.repo.listCheckpoints();
    for (const c of checkpoints) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
    let verified = 0;

    /** A checkpoint's signature, and that its row agrees with what was signed. */
    const check = async (c: CheckpointRow): Promise<CheckpointPayload | ChainBreak> => {
      const payload = await verifyCheckpoint(c.jws, keys);
      if ('invalid' in payload) {
        const hint = payload.invalid.includes('does not have') ? ' (a retired key purged too early? keep retired keys at least as long as audit rows: docs/audit.md)' : '';
        return { seq: c.seq, reason: `checkpoint #${c.id} at this seq is not valid: ${payload.invalid}${hint}` };
      }
      if (payload.seq !== c.seq || payload.hash !== c.hash || payload.kind !== c.kind || c.kid !== keyId(c.jws)) {
        return { seq: c.seq, reason: `checkpoint #${c.id} was altered: its columns differ from its signed payload` };
      }
      verified++;
      return payload;
    };

    const result = (walker: ChainWalker | undefined, cutSeq: number, brk?: ChainBreak, firstSeq?: number): AuditVerification => ({
      ok: !brk, rows: walker?.rows ?? 0, firstSeq, lastSeq: walker && walker.rows ? walker.lastSeq : undefined,
      headHash: walker && walker.rows ? walker.lastHash : undefined, checkpointsVerified: verified, cutSeq, break: brk,
    });

    // The anchor: genesis, or the signed cut checkpoint just below the first kept row.
    let page = await this.repo.page(0, PAGE);
    const latestCut = [...checkpoints].reverse().find((c) => c.kind === 'cut');
    const firstSeq = page[0]?.seq ?? (latestCut ? latestCut.seq + 1 : 1);
    let anchor = { seq: 0, hash: GENESIS_HASH };
    if (firstSeq > 1) {
      // The retention job re-signs the cut after a key rotation, so there may be several: one valid one suffices.
      const cuts = (bySeq.get(firstSeq - 1) ?? []).filter((c) => c.kind === 'cut');
      if (!cuts.length) {
        const from = latestCut && latestCut.seq < firstSeq ? latestCut.seq + 1 : 1;
        return result(undefined, latestCut?.seq ?? 0, {
          seq: from, reason: `${from === firstSeq - 1 ? `row ${from} is` : `rows ${from}–${firstSeq - 1} are`} missing and no signed cut checkpoint covers them: deleted outside the retention job`,
        }, firstSeq);
      }
      let failure: ChainBreak | undefined;
      for (const cut of cuts.reverse()) {
        const payload = await check(cut);
        if ('reason' in payload) failure ??= payload;
        else if (!page[0] || payload.hash === page[0].prevHash) {
          anchor = { seq: cut.seq, hash: payload.hash };
          break;
        } else failure ??= { seq: firstSeq, reason: `it does not link to the signed cut checkpoint #${cut.id} at seq ${cut.seq}` };
      }
      if (anchor.seq === 0) return result(undefined, firstSeq - 1, failure, firstSeq);
    }
    const cutSeq = anchor.seq;

    const walker = new ChainWalker(anchor);
    while (page.length) {
      for (const row of page) {
        const brk = walker.step(row);
        if (brk) return result(walker, cutSeq, brk, firstSeq);
        for (const c of bySeq.get(row.seq) ?? []) {
          const payload = await check(c);
          if ('reason' in payload) return result(walker, cutSeq, payload, firstSeq);
          if (payload.hash !== row.hash) return result(walker, cutSeq, { seq: row.seq, reason: `it differs from signed checkpoint #${c.id}: the row was replaced` }, firstSeq);
        }
      }
      page = await this.repo.page(page[page.length - 1].seq, PAGE);
    }

    // A checkpoint beyond the last row: the newest rows were removed.
    for (const c of checkpoints.filter((x) => x.seq > walker.lastSeq)) {
      const payload = await check(c);
      if ('reason' in payload) return result(walker, cutSeq, payload, firstSeq);
      return result(walker, cutSeq, {
        seq: walker.lastSeq + 1,
        reason: `rows ${walker.lastSeq + 1}–${c.seq} are missing: signed checkpoint #${c.id} covers seq ${c.seq}, the chain ends at ${walker.lastSeq}`,
      }, firstSeq);
    }
    return result(walker, cutSeq, undefined, firstSeq);
  }
}

function keyId(jws: string): string | undefined {
  try {
    return (JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8')) as { kid?: string }).kid;
  } catch {
    return undefined;
  }
}
