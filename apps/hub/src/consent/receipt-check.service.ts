import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import { decodeProtectedHeader, type JSONWebKeySet, type JWK } from 'jose';
import {
  type ChainFinding, type ConsentReceipt, parseReceiptDocument, ReceiptVerificationError, verifyReceipt, verifyReceiptChain,
} from '@tsunagu/contracts';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { KeysService } from '../platform/keys/keys.service';
import { ConsentService } from './consent.service';

/** The most receipts one file may hold (a resident's chain is far shorter; 1 MB of receipts is about 300). */
export const MAX_RECEIPTS_PER_CHECK = 1000;

/**
 * Why a receipt (or a place in a chain) did not verify, in terms a resident can be told:
 * - `empty`: nothing was given; `not_receipt_file`: neither a receipt, a receipt file nor a chain;
 *   `too_many`: more than {@link MAX_RECEIPTS_PER_CHECK} receipts;
 * - `malformed`: damaged or cut short; `header`: not signed as the hub signs receipts (e.g. `alg: none`);
 * - `altered`: the signature does not match the content; `unknown_key`: signed with a key that is
 *   not one of the hub's; `other_hub`: issued by another hub; `schema`: signed, but not a consent receipt;
 * - `copy_altered`: the readable copy next to the signature in the file was changed;
 * - chain only: `missing_start` (receipts 1 … N−1 are missing), `missing` (receipts between two are
 *   missing), `order` (out of order or twice), `link` (not chained to the receipt before it).
 */
export type ReceiptCheckProblem =
  | 'empty' | 'not_receipt_file' | 'too_many'
  | 'malformed' | 'header' | 'altered' | 'unknown_key' | 'other_hub' | 'schema' | 'copy_altered'
  | 'missing_start' | 'missing' | 'order' | 'link';

export interface ReceiptCheckFinding {
  problem: ReceiptCheckProblem;
  /** 1-based place in the file, for a file of several receipts. */
  position?: number;
  /** The receipt's own sequence number, when its signature verified. */
  sequence?: number;
  /** The missing sequence numbers (`missing`, `missing_start`), inclusive. */
  from?: number;
  to?: number;
  /** The issuer the file names (`other_hub`): text from the file, not checked. */
  issuer?: string;
  /** The verifier's technical message, for the page's 「詳細」. */
  detail: string;
}

/** What a check of an uploaded receipt file found. Only what the file itself says is returned. */
export type ReceiptCheck =
  | { result: 'receipt'; receipt: ConsentReceipt; kid: string }
  | { result: 'chain'; receipts: ConsentReceipt[] }
  | { result: 'invalid'; count: number; findings: ReceiptCheckFinding[] };

const CHAIN_PROBLEMS = new Set(['sequence', 'previous_hash']);

/** The `iss` a JWS payload claims, read without trusting it (to say "issued by another hub"). */
function claimedIssuer(jws: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { issuer?: unknown };
    return typeof payload?.issuer === 'string' ? payload.issuer.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the JWS names the `kid` of one of the keys. */
function ourKid(jws: string, keys: JSONWebKeySet): boolean {
  try {
    const { kid } = decodeProtectedHeader(jws);
    return keys.keys.some((k) => k.kid === kid);
  } catch {
    return false;
  }
}

/** The readable copies (`receipt`) a downloaded file carries beside each JWS, in file order. */
function readableCopies(text: string): unknown[] {
  try {
    const doc = JSON.parse(text.trim()) as unknown;
    const entries = Array.isArray(doc) ? doc : Array.isArray((doc as { receipts?: unknown })?.receipts) ? (doc as { receipts: unknown[] }).receipts : [doc];
    return entries.map((e) => (e && typeof e === 'object' ? (e as { receipt?: unknown }).receipt : undefined));
  } catch {
    return [];
  }
}

/**
 * Checks consent receipt files against this hub's own keys (every key that signed a receipt, and
 * the current ones) and this hub as issuer: one receipt, or a resident's whole chain. Nothing of
 * the file is stored or logged; a bad file is a finding, never an error.
 */
@Injectable()
export class ReceiptCheckService {
  constructor(
    private readonly consents: ConsentService,
    private readonly keys: KeysService,
    @Inject(HUB_CONFIG) private readonly config: Pick<HubConfig, 'PUBLIC_URL'>,
  ) {}

  async check(text: string): Promise<ReceiptCheck> {
    if (!text.trim()) return invalid(0, [{ problem: 'empty', detail: 'empty input' }]);
    let list: string[];
    try {
      list = parseReceiptDocument(text);
    } catch (error) {
      return invalid(0, [{ problem: 'not_receipt_file', detail: (error as Error).message }]);
    }
    if (!list.length) return invalid(0, [{ problem: 'empty', detail: 'the file holds no receipts' }]);
    if (list.length > MAX_RECEIPTS_PER_CHECK) return invalid(list.length, [{ problem: 'too_many', detail: `${list.length} receipts` }]);
    const keys = await this.keySet();
    const copies = readableCopies(text);
    try {
      return list.length === 1 ? await this.one(list[0], keys, copies[0]) : await this.chain(list, keys, copies);
    } catch (error) {
      // A JWS that jose refuses in a way verifyReceipt does not name: still the file's fault.
      return invalid(list.length, [{ problem: 'malformed', detail: (error as Error).message ?? String(error) }]);
    }
  }

  private async one(jws: string, keys: JSONWebKeySet, copy: unknown): Promise<ReceiptCheck> {
    try {
      const verified = await verifyReceipt(jws, keys, { issuer: this.issuer });
      if (copy !== undefined && !isDeepStrictEqual(copy, verified.receipt)) {
        return invalid(1, [{ problem: 'copy_altered', detail: 'the "receipt" copy differs from the signed payload' }]);
      }
      return { result: 'receipt', receipt: verified.receipt, kid: verified.kid };
    } catch (error) {
      if (!(error instanceof ReceiptVerificationError)) throw error;
      return invalid(1, [this.classify(jws, keys, error.problem, error.message)]);
    }
  }

  private async chain(list: string[], keys: JSONWebKeySet, copies: unknown[]): Promise<ReceiptCheck> {
    const result = await verifyReceiptChain(list, keys, { issuer: this.issuer });
    const byIndex = new Map<number, ChainFinding[]>();
    for (const f of result.findings) byIndex.set(f.index, [...(byIndex.get(f.index) ?? []), f]);
    // Which receipt verified at which place (result.receipts holds only those, in file order).
    const verifiedAt: (ConsentReceipt | undefined)[] = [];
    let next = 0;
    for (const index of list.keys()) {
      const signatureOk = !(byIndex.get(index) ?? []).some((f) => !CHAIN_PROBLEMS.has(f.problem));
      verifiedAt.push(signatureOk ? result.receipts[next++].receipt : undefined);
    }
    const findings: ReceiptCheckFinding[] = [];
    for (const [index, jws] of list.entries()) {
      const position = index + 1;
      const receipt = verifiedAt[index];
      const own = byIndex.get(index) ?? [];
      if (!receipt) {
        const f = own.find((x) => !CHAIN_PROBLEMS.has(x.problem))!;
        findings.push({ ...this.classify(jws, keys, f.problem, f.message), position });
        continue;
      }
      const sequence = receipt.chain.sequence;
      if (copies[index] !== undefined && !isDeepStrictEqual(copies[index], receipt)) {
        findings.push({ problem: 'copy_altered', position, sequence, detail: 'the "receipt" copy differs from the signed payload' });
      }
      const seqFinding = own.find((x) => x.problem === 'sequence');
      const hashFinding = own.find((x) => x.problem === 'previous_hash');
      const before = index > 0 ? verifiedAt[index - 1] : undefined;
      if (seqFinding) {
        if (index === 0) findings.push({ problem: 'missing_start', position, sequence, from: 1, to: sequence - 1, detail: seqFinding.message });
        else if (before && sequence > before.chain.sequence + 1) {
          findings.push({ problem: 'missing', position, sequence, from: before.chain.sequence + 1, to: sequence - 1, detail: seqFinding.message });
        } else if (before) findings.push({ problem: 'order', position, sequence, detail: seqFinding.message });
      } else if (hashFinding && (index === 0 || before)) {
        // After a receipt that itself failed, the broken link says nothing new.
        findings.push({ problem: 'link', position, sequence, detail: hashFinding.message });
      }
    }
    if (!findings.length) return { result: 'chain', receipts: result.receipts.map((r) => r.receipt) };
    return invalid(list.length, findings);
  }

  /** A verification failure in a resident's terms; a receipt of another hub is told apart from a forged one. */
  private classify(jws: string, keys: JSONWebKeySet, problem: string, message: string): ReceiptCheckFinding {
    if (problem === 'issuer') return { problem: 'other_hub', issuer: claimedIssuer(jws), detail: `${problem}: ${message}` };
    if (problem === 'signature' && !ourKid(jws, keys)) {
      const issuer = claimedIssuer(jws);
      if (issuer !== undefined && issuer !== this.issuer) return { problem: 'other_hub', issuer, detail: `${problem}: ${message}` };
      return { problem: 'unknown_key', detail: `${problem}: ${message}` };
    }
    if (problem === 'signature') return { problem: 'altered', detail: `${problem}: ${message}` };
    if (problem === 'header' || problem === 'schema') return { problem, detail: `${problem}: ${message}` };
    return { problem: 'malformed', detail: `${problem}: ${message}` };
  }

  private get issuer(): string {
    return this.config.PUBLIC_URL;
  }

  /** The hub's keys as one local JWKS: those that signed receipts (kept after rotation) and the current ones. */
  private async keySet(): Promise<JSONWebKeySet> {
    const [archived, current] = await Promise.all([this.consents.archivedReceiptKeys(), this.keys.publicJwks()]);
    const byKid = new Map<string, JWK>();
    for (const key of [...(archived as JWK[]), ...current]) if (key.kid && !byKid.has(key.kid)) byKid.set(key.kid, key);
    return { keys: [...byKid.values()] };
  }
}

/** Messages may quote the file (an `alg` header, say): kept short, whatever the file holds. */
function invalid(count: number, findings: ReceiptCheckFinding[]): ReceiptCheck {
  return { result: 'invalid', count, findings: findings.map((f) => ({ ...f, detail: f.detail.slice(0, 300) })) };
}
