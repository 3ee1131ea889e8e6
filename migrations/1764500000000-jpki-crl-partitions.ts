import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partitioned JPKI CRLs (issue #15): the signature CA publishes one CRL per municipality's
 * distribution point, and two root generations sign under one DN during a key change, so one
 * issuer has several current CRLs. `scope` = SHA-256 of the signing key's SubjectPublicKeyInfo
 * and the partition key (CrlInfo.signerSpkiSha256 + '/' + CrlInfo.scope); '' for rows stored
 * before (the refresh replaces them).
 */
export class JpkiCrlPartitions1764500000000 implements MigrationInterface {
  name = 'JpkiCrlPartitions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jpki_crls ADD COLUMN scope text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE jpki_crls DROP CONSTRAINT jpki_crls_pkey`);
    await q.query(`ALTER TABLE jpki_crls ADD CONSTRAINT jpki_crls_pkey PRIMARY KEY (issuer, scope)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM jpki_crls WHERE scope <> ''`);
    await q.query(`ALTER TABLE jpki_crls DROP CONSTRAINT jpki_crls_pkey`);
    await q.query(`ALTER TABLE jpki_crls ADD CONSTRAINT jpki_crls_pkey PRIMARY KEY (issuer)`);
    await q.query(`ALTER TABLE jpki_crls DROP COLUMN scope`);
  }
}
