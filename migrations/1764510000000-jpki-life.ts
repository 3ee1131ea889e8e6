import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_REASONS = `'terms_changed', 'agreement_suspended', 'agreement_retired', 'data_use_retired', 'offer_withdrawn'`;
const NEW_REASONS = `${OLD_REASONS}, 'identity_certificate_revoked', 'identity_certificate_expired', 'identity_reverified'`;

/**
 * Verification for life and the card app on another device (issue 15, docs/jpki-hub.md):
 *
 * - identity_verifications: what a later re-check needs and nothing more — the certificate's
 *   issuer and serial sealed with KEY_ENCRYPTION_KEY (AES-256-GCM, bound to the row's card key),
 *   the state (`verified`, `lapsed`, or `replaced` by a newer card of the same resident), when it
 *   was last checked, and why it lapsed (`revoked` with the CRL reason code, or `expired`).
 *   Rows written before this migration have no sealed reference: their expiry is still checked.
 * - data_uses.requires_verified_identity: only verified residents may consent; their consents
 *   pause when the verification lapses.
 * - consents.reason: the identity reasons.
 * - jpki_transfers: one-time hand-overs of a challenge to a card app on another device. Only the
 *   SHA-256 of the token is kept.
 */
export class JpkiLife1764510000000 implements MigrationInterface {
  name = 'JpkiLife1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity_verifications
      ADD COLUMN certificate_ref_sealed text,
      ADD COLUMN status text NOT NULL DEFAULT 'verified' CONSTRAINT identity_verifications_status_check CHECK (status IN ('verified', 'lapsed', 'replaced')),
      ADD COLUMN checked_at timestamptz,
      ADD COLUMN lapsed_at timestamptz,
      ADD COLUMN lapse_reason text CONSTRAINT identity_verifications_lapse_reason_check CHECK (lapse_reason IS NULL OR lapse_reason IN ('revoked', 'expired')),
      ADD COLUMN revocation_reason text CONSTRAINT identity_verifications_revocation_reason_check CHECK (revocation_reason IS NULL OR revocation_reason ~ '^[A-Za-z]{1,40}$')`);
    await q.query(`CREATE INDEX identity_verifications_verified_idx ON identity_verifications (id) WHERE status = 'verified'`);
    await q.query(`ALTER TABLE data_uses ADD COLUMN requires_verified_identity boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE consents DROP CONSTRAINT consents_reason_check`);
    await q.query(`ALTER TABLE consents ADD CONSTRAINT consents_reason_check CHECK (reason IS NULL OR reason IN (${NEW_REASONS}))`);
    await q.query(`CREATE TABLE jpki_transfers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      token_hash text NOT NULL CONSTRAINT jpki_transfers_token_key UNIQUE,
      resident_id uuid NOT NULL CONSTRAINT jpki_transfers_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      session_uid text NOT NULL,
      challenge_id uuid NOT NULL CONSTRAINT jpki_transfers_challenge_fk REFERENCES jpki_challenges(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      outcome text CONSTRAINT jpki_transfers_outcome_check CHECK (outcome IS NULL OR outcome ~ '^[a-z_]{1,64}$'),
      finished_at timestamptz
    )`);
    await q.query(`CREATE INDEX jpki_transfers_session_idx ON jpki_transfers (resident_id, session_uid, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE jpki_transfers`);
    await q.query(`ALTER TABLE consents DROP CONSTRAINT consents_reason_check`);
    await q.query(`ALTER TABLE consents ADD CONSTRAINT consents_reason_check CHECK (reason IS NULL OR reason IN (${OLD_REASONS}))`);
    await q.query(`ALTER TABLE data_uses DROP COLUMN requires_verified_identity`);
    await q.query(`DROP INDEX identity_verifications_verified_idx`);
    await q.query(`ALTER TABLE identity_verifications DROP COLUMN certificate_ref_sealed, DROP COLUMN status, DROP COLUMN checked_at,
      DROP COLUMN lapsed_at, DROP COLUMN lapse_reason, DROP COLUMN revocation_reason`);
  }
}
