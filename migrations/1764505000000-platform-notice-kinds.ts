import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * maintenance_notices also carry the domain-end notice (2-3(7)イ: the end of the platform's use,
 * announced at least six months ahead): `kind` says which. For a domain end, `starts_at` is when
 * the use ends and `ends_at` until when the notice stays up. Existing rows are planned stops.
 */
export class PlatformNoticeKinds1764505000000 implements MigrationInterface {
  name = 'PlatformNoticeKinds1764505000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE maintenance_notices ADD COLUMN kind text NOT NULL DEFAULT 'maintenance'
      CONSTRAINT maintenance_notices_kind_check CHECK (kind IN ('maintenance', 'domain_end'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE maintenance_notices DROP COLUMN kind`);
  }
}
