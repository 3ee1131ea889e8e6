import type { JWK } from 'jose';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { KeysRepository } from '../platform/keys/keys.repository';
import { testAuditService } from './audit-testing';
import { AuditVerificationService } from './audit-verification.service';
import { AuditVerifier } from './audit-verifier';
import { AuditRepository } from './audit.repository';

/** The scheduled walk of the audit chain on the real PostgreSQL (the gauges that read it: monitoring.repository.spec.ts). */
describe(AuditVerificationService.name, () => {
  let ds: DataSource;
  let service: AuditVerificationService;

  beforeEach(async () => {
    ds = await openTestDataSource([], 'audit_verify');
    const audit = testAuditService(ds);
    const verifier = new AuditVerifier(new AuditRepository(ds), async () => (await new KeysRepository(ds).listSigningKeys()).map((k) => k.public_jwk as JWK));
    service = new AuditVerificationService(verifier, audit);
    for (let i = 0; i < 5; i++) await audit.record({ type: 'auth.sign_in', actor: { kind: 'resident', id: `r-${i}` }, outcome: 'success' });
  });
  afterEach(() => ds.destroy());

  it('records an intact chain as audit.verified (success)', async () => {
    const result = await service.verifyAndRecord();
    expect(result).toMatchObject({ ok: true, rows: 5 });
    const [row] = await ds.query(`SELECT outcome, details FROM audit_events WHERE type = 'audit.verified'`);
    expect(row).toMatchObject({ outcome: 'success', details: { rows: 5, lastSeq: 5, brokenAt: null } });
  });

  it('records a tampered chain as a failure naming the first broken row', async () => {
    await ds.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await ds.query(`UPDATE audit_events SET outcome = 'failure' WHERE seq = 3`);
    await ds.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    const result = await service.verifyAndRecord();
    expect(result.ok).toBe(false);
    const [row] = await ds.query(`SELECT outcome, reason, details FROM audit_events WHERE type = 'audit.verified'`);
    expect(row).toMatchObject({ outcome: 'failure', reason: 'audit_chain_broken', details: { brokenAt: 3 } });
  });
});
