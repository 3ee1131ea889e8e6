import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password reset and the resident's sessions (issue #17 parts 1 and 2):
 *
 * - `resident_emails`: the optional e-mail address of a resident, usable for a reset only once
 *   verified by a link (`email_verifications`).
 * - `password_resets`: one-time reset links (by e-mail or after the My Number card proved the
 *   account). Only the SHA-256 of each token is kept; a link is consumed by one conditional
 *   UPDATE … RETURNING, so it works once under any concurrency.
 * - `card_reset_challenges`: the challenge a card signs to prove the account (by login ID, issued
 *   whether or not the ID exists, so it tells nothing).
 * - `resident_session_devices`: what the portal shows of each sign-in session (the session itself
 *   lives in oidc-provider's store): device, address and times, keyed by the session's uid.
 */
export class RecoverySessions1764550000000 implements MigrationInterface {
  name = 'RecoverySessions1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE resident_emails (
      resident_id uuid PRIMARY KEY CONSTRAINT resident_emails_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      address text NOT NULL CONSTRAINT resident_emails_address_length CHECK (length(address) BETWEEN 3 AND 254),
      verified_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE email_verifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resident_id uuid NOT NULL CONSTRAINT email_verifications_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      address text NOT NULL,
      token_hash text NOT NULL CONSTRAINT email_verifications_token_key UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX email_verifications_resident_idx ON email_verifications (resident_id)`);
    await q.query(`CREATE TABLE password_resets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resident_id uuid NOT NULL CONSTRAINT password_resets_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      method text NOT NULL CONSTRAINT password_resets_method_check CHECK (method IN ('email', 'card')),
      token_hash text NOT NULL CONSTRAINT password_resets_token_key UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX password_resets_resident_idx ON password_resets (resident_id)`);
    await q.query(`CREATE TABLE card_reset_challenges (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      login_id text NOT NULL,
      challenge text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX card_reset_challenges_expiry_idx ON card_reset_challenges (expires_at)`);
    await q.query(`CREATE TABLE resident_session_devices (
      session_uid text PRIMARY KEY,
      resident_id uuid NOT NULL CONSTRAINT resident_session_devices_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      user_agent text NOT NULL DEFAULT '',
      client_ip text,
      signed_in_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX resident_session_devices_resident_idx ON resident_session_devices (resident_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resident_session_devices`);
    await q.query(`DROP TABLE card_reset_challenges`);
    await q.query(`DROP TABLE password_resets`);
    await q.query(`DROP TABLE email_verifications`);
    await q.query(`DROP TABLE resident_emails`);
  }
}
