import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * grant_audiences: which provider connector holds (or held until `expires_at`) a grant under which
 * consent. A withdrawal is pushed to these connectors — the only ones that could still serve data
 * under the consent before their next feed pull — instead of to every connector of the providing
 * service (docs/connector.md §7.6). The grant path writes the row before it re-reads the consent,
 * so a withdrawal that commits while a grant is being issued still finds the grant's audience.
 */
export class GrantAudiences1764000000000 implements MigrationInterface {
  name = 'GrantAudiences1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE grant_audiences (
      consent_id uuid NOT NULL,
      connector_id uuid NOT NULL CONSTRAINT grant_audiences_connector_fk REFERENCES connectors(id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (consent_id, connector_id)
    )`);
    await q.query(`CREATE INDEX grant_audiences_expires_idx ON grant_audiences (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE grant_audiences`);
  }
}
