import { connectorHealth, type ConnectorStatusFields, syncLagSeconds } from './connector-health';

describe(connectorHealth.name, () => {
  const now = new Date('2026-12-01T03:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const settings = { connectorOfflineMinutes: 10, revocationSyncWarnSeconds: 30, revocationAckOverdueSeconds: 60 };
  const healthy: ConnectorStatusFields = { status: 'approved', last_seen_at: ago(5), last_revocation_sync_at: ago(5), unacked_revocations: 0, oldest_unacked_revocation_at: null };

  it('is ok when approved, seen recently, synced recently and with no overdue acks', () => {
    expect(connectorHealth(healthy, now, settings)).toBe('ok');
    expect(connectorHealth({ ...healthy, unacked_revocations: 2, oldest_unacked_revocation_at: ago(10) }, now, settings)).toBe('ok');
  });

  it('reports the worst problem of an approved connector', () => {
    expect(connectorHealth({ ...healthy, last_seen_at: ago(601) }, now, settings)).toBe('offline');
    expect(connectorHealth({ ...healthy, last_seen_at: null }, now, settings)).toBe('offline');
    expect(connectorHealth({ ...healthy, last_revocation_sync_at: ago(31) }, now, settings)).toBe('sync_lagging');
    expect(connectorHealth({ ...healthy, last_revocation_sync_at: null }, now, settings)).toBe('sync_lagging');
    expect(connectorHealth({ ...healthy, unacked_revocations: 1, oldest_unacked_revocation_at: ago(61) }, now, settings)).toBe('acks_overdue');
  });

  it('shows the administrative status of a connector that is not approved', () => {
    for (const status of ['pending', 'suspended', 'revoked'] as const) expect(connectorHealth({ ...healthy, status }, now, settings)).toBe(status);
  });

  it('measures the revocation-sync lag in seconds', () => {
    expect(syncLagSeconds(healthy, now)).toBe(5);
    expect(syncLagSeconds({ ...healthy, last_revocation_sync_at: null }, now)).toBeNull();
  });
});
