import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity proofing with the My Number card (JPKI): single-use challenges, the CRLs every replica
 * loads, and the minimum kept of a verification (a keyed hash of the card certificate, times).
 */
export class IdentityProofing1763850000000 implements MigrationInterface {
  name = 'IdentityProofing1763850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE jpki_challenges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resident_id uuid NOT NULL CONSTRAINT jpki_challenges_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      session_uid text NOT NULL,
      challenge text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`);
    await q.query(`CREATE INDEX jpki_challenges_expires_idx ON jpki_challenges (expires_at)`);
    await q.query(`CREATE TABLE jpki_crls (
      issuer text PRIMARY KEY,
      der bytea NOT NULL,
      this_update timestamptz NOT NULL,
      next_update timestamptz NOT NULL,
      revoked_count integer NOT NULL,
      source text NOT NULL,
      fetched_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE identity_verifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resident_id uuid NOT NULL CONSTRAINT identity_verifications_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      method text NOT NULL CONSTRAINT identity_verifications_method_check CHECK (method IN ('jpki_signature')),
      card_key text NOT NULL CONSTRAINT identity_verifications_card_key_key UNIQUE,
      verified_at timestamptz NOT NULL DEFAULT now(),
      certificate_not_after timestamptz NOT NULL
    )`);
    await q.query(`CREATE INDEX identity_verifications_resident_idx ON identity_verifications (resident_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE identity_verifications');
    await q.query('DROP TABLE jpki_crls');
    await q.query('DROP TABLE jpki_challenges');
  }
}
