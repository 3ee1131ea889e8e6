import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { AuditRecord } from './audit-event';
import { hashRecord } from './audit-hash';
import type { CheckpointKind } from './audit.repository';

/** `typ` of a checkpoint JWS, so it can never be mistaken for (or replayed as) a token. */
export const CHECKPOINT_TYP = 'tsunagu-audit-checkpoint+jws';

/** What a checkpoint signs: the chain reached `seq`, whose row hash was `hash`, at `time`. */
export interface CheckpointPayload {
  seq: number;
  hash: string;
  /** ISO 8601, when the checkpoint was signed. */
  time: string;
  /** `periodic` (every N rows or M minutes) or `cut` (the retention job pruned every row up to `seq`). */
  kind: CheckpointKind;
}

/** The first broken link found: the row's seq and a sentence saying why. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/** Signs a checkpoint with one of the hub's private JWKs (ES256), its kid in the header. */
export async function signCheckpoint(privateJwk: JWK, payload: CheckpointPayload): Promise<string> {
  const alg = privateJwk.alg ?? 'ES256';
  const key = await importJWK(privateJwk, alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg, kid: privateJwk.kid, typ: CHECKPOINT_TYP })
    .sign(key);
}

/**
 * Checks a checkpoint JWS against the hub's public keys; returns its payload, or why it is not
 * to be trusted.
 */
export async function verifyCheckpoint(jws: string, publicKeys: Map<string, JWK>): Promise<CheckpointPayload | { invalid: string }> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jws);
    kid = header.kid;
    if (header.typ !== CHECKPOINT_TYP) return { invalid: `its JWS type is ${String(header.typ)}` };
  } catch {
    return { invalid: 'it is not a JWS' };
  }
  const jwk = kid ? publicKeys.get(kid) : undefined;
  if (!jwk) return { invalid: `it names a signing key the hub does not have (kid ${kid ?? 'none'})` };
  try {
    const alg = jwk.alg ?? 'ES256';
    const { payload } = await compactVerify(jws, await importJWK(jwk, alg), { algorithms: [alg] });
    const parsed = JSON.parse(new TextDecoder().decode(payload)) as CheckpointPayload;
    if (!Number.isSafeInteger(parsed.seq) || typeof parsed.hash !== 'string' || typeof parsed.time !== 'string') return { invalid: 'its payload is malformed' };
    return parsed;
  } catch {
    return { invalid: 'its signature does not verify' };
  }
}

/**
 * Walks rows in seq order from a known anchor and reports the first broken link. Used by the
 * verifier and by the retention job, which refuses to prune (and so bless) a broken segment.
 */
export class ChainWalker {
  private expectedSeq: number;
  private prevHash: string;
  rows = 0;

  constructor(anchor: { seq: number; hash: string }) {
    this.expectedSeq = anchor.seq + 1;
    this.prevHash = anchor.hash;
  }

  get lastSeq(): number {
    return this.expectedSeq - 1;
  }

  get lastHash(): string {
    return this.prevHash;
  }

  step(row: AuditRecord): ChainBreak | undefined {
    if (row.seq !== this.expectedSeq) {
      const missing = row.seq - 1 === this.expectedSeq ? `row ${this.expectedSeq} is missing` : `rows ${this.expectedSeq}–${row.seq - 1} are missing`;
      return { seq: this.expectedSeq, reason: `${missing} (the next row is ${row.seq}): deleted` };
    }
    if (row.prevHash !== this.prevHash) {
      return {
        seq: row.seq,
        reason: row.seq === 1
          ? 'the first row does not start from the genesis hash'
          : `it does not link to row ${row.seq - 1}: its previous-row hash differs from that row's hash (a row was inserted, replaced or re-hashed before it)`,
      };
    }
    if (hashRecord(row) !== row.hash) {
      return { seq: row.seq, reason: 'its content does not match its hash: the row was altered' };
    }
    this.expectedSeq = row.seq + 1;
    this.prevHash = row.hash;
    this.rows++;
    return undefined;
  }
}
