import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * services.backchannel_logout_uri: where the hub POSTs an OpenID Connect Back-Channel Logout
 * token when a resident signs out at the hub or removes the service in the portal (docs/oidc.md).
 * Null: the service has none, and its own session ends only when the resident signs out there.
 */
export class BackchannelLogout1764200000000 implements MigrationInterface {
  name = 'BackchannelLogout1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE services ADD COLUMN backchannel_logout_uri text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE services DROP COLUMN backchannel_logout_uri`);
  }
}
