import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { testAuditService } from '../../audit/audit-testing';
import { MonitoringRepository } from './monitoring.repository';

/** What the audit gauges read (tsunagu_audit_verification_failed / _age_seconds), on the real PostgreSQL. */
describe(`${MonitoringRepository.name} audit chain figures`, () => {
  let ds: DataSource;
  beforeEach(async () => {
    ds = await openTestDataSource([], 'monitoring');
  });
  afterEach(() => ds.destroy());

  it('reads no verification before the first, then the newest one\'s outcome and age', async () => {
    const monitoring = new MonitoringRepository(ds);
    const audit = testAuditService(ds);
    expect((await monitoring.auditChain()).verification).toBeNull();
    await audit.record({ type: 'audit.verified', actor: { kind: 'system', id: 'verify-audit-chain' }, outcome: 'success' });
    expect((await monitoring.auditChain()).verification).toEqual({ failed: false, age_seconds: expect.any(Number) });
    await audit.record({ type: 'auth.sign_in', actor: { kind: 'resident', id: 'r-1' }, outcome: 'failure' });
    await audit.record({ type: 'audit.verified', actor: { kind: 'system', id: 'verify-audit-chain' }, outcome: 'failure', reason: 'audit_chain_broken' });
    const figures = await monitoring.auditChain();
    expect(figures).toMatchObject({ rows: 3, verification: { failed: true } });
    expect(figures.verification!.age_seconds).toBeLessThan(60);
  });
});
