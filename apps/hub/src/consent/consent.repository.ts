import { Injectable } from '@nestjs/common';
import type { CollectionMethod, ConsentChangeReason, ConsentEventType, ConsentState } from '@tsunagu/contracts';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';

export interface ConsentRow {
  id: string;
  consent_id: string;
  version: number;
  tenant_id: string;
  resident_id: string;
  data_use_id: string;
  data_use_revision: number;
  state: ConsentState;
  event: ConsentEventType;
  items: string[];
  purpose_code: string;
  valid_from: Date;
  valid_until: Date | null;
  collection_method: CollectionMethod;
  language: 'ja' | 'en';
  /** Why the system paused or ended the consent; null for the resident's own decisions and expiry. */
  reason: ConsentChangeReason | null;
  created_at: Date;
  superseded_at: Date | null;
}

/** A consent version with its receipt's record ID (every version has exactly one receipt). */
export interface ConsentWithReceiptRow extends ConsentRow {
  receipt_id: string;
}

export interface ReceiptRow {
  id: string;
  resident_id: string;
  consent_version_id: string;
  seq: number;
  kid: string;
  jws: string;
  hash: string;
  prev_hash: string | null;
  created_at: Date;
}

export type NewConsentVersion = Omit<ConsentRow, 'id' | 'superseded_at'>;
export type NewReceipt = Omit<ReceiptRow, 'resident_id' | 'consent_version_id' | 'created_at'>;

/** What the grant path needs to know of the consent that covers a request. */
export interface CoveringConsentRow {
  id: string;
  consent_id: string;
  version: number;
  items: string[];
  valid_until: Date | null;
}

const VERSION_COLUMNS = `c.*, r.id AS receipt_id`;
/** The uniqueness rules that decide between two decisions racing for the same resident. */
const CONFLICT_CONSTRAINTS = new Set(['consents_one_current', 'consents_one_active', 'consents_version_key', 'consent_receipts_seq_key', 'consent_receipts_version_key']);

/** What a decision needs to know, read in one statement. */
export interface DecisionState {
  /** The current version of the consent, if any. */
  current?: ConsentRow;
  dataUseId: string;
  /** The data use's revision as of now (the caller's copy may be a few seconds old). */
  useRevision: number;
  /** The head of the resident's receipt chain. */
  head?: { seq: number; hash: string };
  /** The receipt of the current version (its terms are restated when the consent ends). */
  currentReceiptJws?: string;
}

const STATE_COLUMNS = `c.*, u.id AS use_id, u.revision AS use_revision, h.seq AS head_seq, h.hash AS head_hash, r.jws AS current_receipt_jws`;
const STATE_JOINS = `LEFT JOIN LATERAL (SELECT seq, hash FROM consent_receipts WHERE resident_id = $1 ORDER BY seq DESC LIMIT 1) h ON true
  LEFT JOIN consent_receipts r ON r.consent_version_id = c.id`;

type StateRow = ConsentRow & { use_id: string; use_revision: number; head_seq: number | null; head_hash: string | null; current_receipt_jws: string | null };

function decisionState(row: StateRow | undefined): DecisionState | undefined {
  if (!row) return undefined;
  const { use_id, use_revision, head_seq, head_hash, current_receipt_jws, ...consent } = row;
  return {
    current: consent.id ? consent : undefined,
    dataUseId: use_id,
    useRevision: use_revision,
    head: head_seq === null ? undefined : { seq: head_seq, hash: head_hash! },
    currentReceiptJws: current_receipt_jws ?? undefined,
  };
}

/**
 * SQL for consent versions and receipts. Residents read only their own rows (every read takes the
 * resident ID); tenant-level figures will read by tenant_id (the data use owner's tenant).
 *
 * A decision is two statements and no lock: read the state, then write the new version and its
 * receipt in one statement that only succeeds if nothing changed in between — the current
 * version is still current (conditional UPDATE) and the chain head is still the head (unique
 * (resident, seq)). The database's constraints decide between racing decisions; the loser reads
 * again (ConsentService).
 */
/** Where a resident's identity verification stands (what an opt-in to a data use that requires one checks). */
export type IdentityStatus = 'verified' | 'lapsed' | 'never';

@Injectable()
export class ConsentRepository {
  constructor(private readonly db: DataSource) {}

  /** The resident's current consent to a data use (if any), the data use's revision, the chain head. */
  async stateForUse(residentId: string, dataUseId: string): Promise<DecisionState | undefined> {
    const rows = await this.db.query(
      `SELECT ${STATE_COLUMNS} FROM data_uses u
       LEFT JOIN consents c ON c.resident_id = $1 AND c.data_use_id = u.id AND c.superseded_at IS NULL
       ${STATE_JOINS} WHERE u.id = $2`, [residentId, dataUseId]);
    return decisionState(rows[0]);
  }

  /** As {@link stateForUse}, for the resident's consent with this ID; undefined if it is not theirs. */
  async stateForConsent(residentId: string, consentId: string): Promise<DecisionState | undefined> {
    if (!isUuid(consentId)) return undefined;
    const rows = await this.db.query(
      `SELECT ${STATE_COLUMNS} FROM consents c JOIN data_uses u ON u.id = c.data_use_id
       ${STATE_JOINS} WHERE c.consent_id = $2 AND c.resident_id = $1 AND c.superseded_at IS NULL`, [residentId, consentId]);
    return decisionState(rows[0]);
  }

  /**
   * Writes a decision in one statement: marks the current version (if any) as superseded, inserts
   * the new version and its receipt at sequence head + 1. 'conflict' when another decision of the
   * resident got there first (the current version was superseded, or the sequence is taken).
   */
  async writeDecision(supersede: { versionId: string } | undefined, v: ConsentRow, r: NewReceipt): Promise<'written' | 'conflict'> {
    try {
      const rows = await this.db.query(
        `WITH superseded AS (
           UPDATE consents SET superseded_at = $16 WHERE id = $23::uuid AND superseded_at IS NULL RETURNING id
         ), version AS (
           INSERT INTO consents (id, consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items,
             purpose_code, valid_from, valid_until, collection_method, language, created_at, reason)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $24
           WHERE $23::uuid IS NULL OR EXISTS (SELECT 1 FROM superseded)
           RETURNING id
         ), outbox AS (
           -- The revocation outbox (docs/connector.md §7.6): every version that can stop a grant. Its
           -- items are the old version's and the new one's together: the feed reaches each provider
           -- whose items the row names, and a narrowing must reach the one whose items it dropped.
           INSERT INTO consent_change_outbox (consent_version_id, consent_id, version, state, data_use_id, items, changed_at)
           SELECT version.id, $2, $3, $8, $6,
             ARRAY(SELECT DISTINCT i FROM unnest($10::text[] || COALESCE((SELECT items FROM consents WHERE id = $23::uuid), '{}'::text[])) AS i ORDER BY i), $16
           FROM version WHERE $3::integer > 1 OR $8::text <> 'active')
         INSERT INTO consent_receipts (id, resident_id, consent_version_id, seq, kid, jws, hash, prev_hash, created_at)
         SELECT $17, $5, version.id, $18, $19, $20, $21, $22, $16 FROM version RETURNING id`,
        [v.id, v.consent_id, v.version, v.tenant_id, v.resident_id, v.data_use_id, v.data_use_revision, v.state, v.event, v.items,
          v.purpose_code, v.valid_from, v.valid_until, v.collection_method, v.language, v.created_at,
          r.id, r.seq, r.kid, r.jws, r.hash, r.prev_hash, supersede?.versionId ?? null, v.reason]);
      return rows.length === 1 ? 'written' : 'conflict';
    } catch (error) {
      if (CONFLICT_CONSTRAINTS.has((error as { constraint?: string }).constraint ?? '')) return 'conflict';
      throw error;
    }
  }

  /** The check of the grant path. One index probe on consents_one_active plus the data use by key. */
  async findActiveCovering(residentId: string, dataUseId: string, items: string[], purposeCode: string, at: Date): Promise<CoveringConsentRow | undefined> {
    const rows = await this.db.query(
      `SELECT c.id, c.consent_id, c.version, c.items, c.valid_until FROM consents c JOIN data_uses u ON u.id = c.data_use_id
       WHERE c.resident_id = $1 AND c.data_use_id = $2 AND c.superseded_at IS NULL AND c.state = 'active'
         AND c.items @> $3::text[] AND c.purpose_code = $4
         AND c.valid_from <= $5 AND (c.valid_until IS NULL OR c.valid_until > $5)
         AND u.active AND c.data_use_revision >= u.consent_revision AND c.purpose_code = u.purpose_code
         -- A data use that requires a verified identity: refused as soon as the verification lapsed,
         -- even before the sweep has written the paused version.
         AND (NOT u.requires_verified_identity OR NOT EXISTS (
           SELECT 1 FROM residents r WHERE r.id = c.resident_id AND r.identity_verified_at IS NULL
             AND EXISTS (SELECT 1 FROM identity_verifications v WHERE v.resident_id = r.id AND v.status = 'lapsed')))`,
      [residentId, dataUseId, items, purposeCode, at]);
    return rows[0];
  }

  /** The current version of each of the resident's consents, newest decision first. */
  listCurrentForResident(residentId: string): Promise<ConsentWithReceiptRow[]> {
    return this.db.query(
      `SELECT ${VERSION_COLUMNS} FROM consents c JOIN consent_receipts r ON r.consent_version_id = c.id
       WHERE c.resident_id = $1 AND c.superseded_at IS NULL ORDER BY c.created_at DESC`, [residentId]);
  }

  /** Every version of one of the resident's consents, newest first (empty if it is not theirs). */
  async listVersions(residentId: string, consentId: string): Promise<ConsentWithReceiptRow[]> {
    if (!isUuid(consentId)) return [];
    return this.db.query(
      `SELECT ${VERSION_COLUMNS} FROM consents c JOIN consent_receipts r ON r.consent_version_id = c.id
       WHERE c.consent_id = $1 AND c.resident_id = $2 ORDER BY c.version DESC`, [consentId, residentId]);
  }

  async findReceipt(residentId: string, recordId: string): Promise<ReceiptRow | undefined> {
    if (!isUuid(recordId)) return undefined;
    return (await this.db.query(`SELECT * FROM consent_receipts WHERE id = $1 AND resident_id = $2`, [recordId, residentId]))[0];
  }

  /** The resident's whole receipt chain, oldest first. */
  listReceipts(residentId: string): Promise<ReceiptRow[]> {
    return this.db.query(`SELECT * FROM consent_receipts WHERE resident_id = $1 ORDER BY seq`, [residentId]);
  }

  /** Current versions of consents to a data use in one of these states, oldest first. */
  listCurrentForUse(dataUseId: string, states: ConsentState[], limit: number): Promise<ConsentRow[]> {
    return this.db.query(
      `SELECT * FROM consents WHERE data_use_id = $1 AND superseded_at IS NULL AND state = ANY($2::text[]) ORDER BY created_at LIMIT $3`,
      [dataUseId, states, limit]);
  }

  /**
   * Data uses whose consents a catalog change should have ended or paused and may not have (the
   * hub stopped between the catalog's commit and the consents' sweep): retired data uses and
   * retired agreements with consents still active or paused; suspended agreements with consents
   * still active. Unscoped: a platform-wide sweep.
   */
  listCatalogLeftovers(): Promise<{ data_use_id: string; action: 'ended' | 'paused'; reason: ConsentChangeReason }[]> {
    return this.db.query(
      `SELECT DISTINCT u.id AS data_use_id,
         CASE WHEN u.status = 'retired' OR a.state = 'retired' THEN 'ended' ELSE 'paused' END AS action,
         CASE WHEN u.status = 'retired' THEN 'data_use_retired' WHEN a.state = 'retired' THEN 'agreement_retired' ELSE 'agreement_suspended' END AS reason
       FROM data_uses u LEFT JOIN data_agreements a ON a.data_use_id = u.id AND a.state IN ('retired', 'suspended')
       WHERE (u.status = 'retired' OR a.id IS NOT NULL)
         AND EXISTS (SELECT 1 FROM consents c WHERE c.data_use_id = u.id AND c.superseded_at IS NULL
           AND (c.state = 'active' OR (c.state = 'paused' AND (u.status = 'retired' OR a.state = 'retired'))))`);
  }

  /** The resident's current consents in `states` to data uses that require a verified identity. */
  listCurrentRequiringIdentity(residentId: string, states: ConsentState[]): Promise<ConsentRow[]> {
    return this.db.query(
      `SELECT c.* FROM consents c JOIN data_uses u ON u.id = c.data_use_id
       WHERE c.resident_id = $1 AND c.superseded_at IS NULL AND c.state = ANY($2::text[]) AND u.requires_verified_identity
       ORDER BY c.created_at`, [residentId, states]);
  }

  /** The resident's current consents paused for one of `reasons`. */
  listPausedFor(residentId: string, reasons: readonly string[]): Promise<ConsentRow[]> {
    return this.db.query(
      `SELECT * FROM consents WHERE resident_id = $1 AND superseded_at IS NULL AND state = 'paused' AND reason = ANY($2::text[]) ORDER BY created_at`,
      [residentId, reasons]);
  }

  /** Whether the resident's identity verification lapsed and none is current (a new card is needed). */
  /**
   * Whether the resident's identity is verified now (`verified`), lapsed with none current
   * (`lapsed`: a certificate was revoked or expired) or was never verified (`never`).
   */
  async identityStatus(residentId: string): Promise<IdentityStatus> {
    const rows: { verified: boolean; lapsed: boolean }[] = await this.db.query(
      `SELECT r.identity_verified_at IS NOT NULL AS verified,
         EXISTS (SELECT 1 FROM identity_verifications v WHERE v.resident_id = r.id AND v.status = 'lapsed') AS lapsed
       FROM residents r WHERE r.id = $1`, [residentId]);
    const row = rows[0];
    return row?.verified ? 'verified' : row?.lapsed ? 'lapsed' : 'never';
  }

  /** Active current versions given before the data use's last change of terms (`consent_revision`: to be paused). */
  listOutdatedActive(dataUseId: string, revision: number, limit: number): Promise<ConsentRow[]> {
    return this.db.query(
      `SELECT * FROM consents WHERE data_use_id = $1 AND superseded_at IS NULL AND state = 'active' AND data_use_revision < $2
       ORDER BY created_at LIMIT $3`, [dataUseId, revision, limit]);
  }

  /** Active current versions whose validity ended (to be expired). Unscoped: a platform-wide sweep. */
  listDueForExpiry(at: Date, limit: number): Promise<ConsentRow[]> {
    return this.db.query(
      `SELECT * FROM consents WHERE superseded_at IS NULL AND state = 'active' AND valid_until IS NOT NULL AND valid_until <= $1
       ORDER BY valid_until LIMIT $2`, [at, limit]);
  }

  /** Keeps the public key of a receipt-signing key for good (idempotent). */
  async archiveSigningKey(kid: string, publicJwk: Record<string, unknown>): Promise<void> {
    await this.db.query(`INSERT INTO receipt_signing_keys (kid, public_jwk) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING`, [kid, JSON.stringify(publicJwk)]);
  }

  async listArchivedKeys(): Promise<Record<string, unknown>[]> {
    const rows = await this.db.query(`SELECT public_jwk FROM receipt_signing_keys ORDER BY first_used_at DESC`);
    return rows.map((r: { public_jwk: Record<string, unknown> }) => r.public_jwk);
  }
}
