import type { PlatformSettings } from '../../operations/settings/platform-settings';

/** How a connector is doing, worst first for an approved one; otherwise its administrative status. */
export type ConnectorHealth = 'ok' | 'acks_overdue' | 'sync_lagging' | 'offline' | 'pending' | 'suspended' | 'revoked';

export const HEALTH_ORDER: ConnectorHealth[] = ['ok', 'acks_overdue', 'sync_lagging', 'offline', 'pending', 'suspended', 'revoked'];

export const healthText: Record<ConnectorHealth, { ja: string; en: string }> = {
  ok: { ja: '正常', en: 'Healthy' },
  acks_overdue: { ja: '取消通知の確認遅延', en: 'Revocation acks overdue' },
  sync_lagging: { ja: '取消情報の同期遅延', en: 'Revocation sync lagging' },
  offline: { ja: '応答なし', en: 'Offline' },
  pending: { ja: '承認待ち', en: 'Awaiting approval' },
  suspended: { ja: '一時停止中', en: 'Suspended' },
  revoked: { ja: '失効', en: 'Revoked' },
};

/** The CSS tag class of a health value. */
export function healthTag(h: ConnectorHealth): string {
  return h === 'ok' ? 'tag-ok' : h === 'pending' || h === 'suspended' ? 'tag-warn' : h === 'revoked' ? 'tag-off' : 'tag-bad';
}

export interface ConnectorStatusFields {
  status: 'pending' | 'approved' | 'suspended' | 'revoked';
  last_seen_at: Date | null;
  last_revocation_sync_at: Date | null;
  unacked_revocations: number;
  oldest_unacked_revocation_at: Date | null;
}

/** Seconds since the connector last synced the revocation feed (null: never). */
export function syncLagSeconds(c: ConnectorStatusFields, now: Date): number | null {
  return c.last_revocation_sync_at ? Math.max(0, Math.round((now.getTime() - new Date(c.last_revocation_sync_at).getTime()) / 1000)) : null;
}

/** True when the oldest unacknowledged revocation is older than the overdue threshold. */
export function acksOverdue(c: ConnectorStatusFields, now: Date, s: Pick<PlatformSettings, 'revocationAckOverdueSeconds'>): boolean {
  return c.unacked_revocations > 0 && !!c.oldest_unacked_revocation_at
    && now.getTime() - new Date(c.oldest_unacked_revocation_at).getTime() > s.revocationAckOverdueSeconds * 1000;
}

/**
 * The health of a connector against the platform's thresholds. An approved connector is offline
 * when not seen for `connectorOfflineMinutes`, lagging when its last revocation sync is older than
 * `revocationSyncWarnSeconds` (a provider connector then refuses to serve: fail closed), and has
 * overdue acks when a revocation waits longer than `revocationAckOverdueSeconds`.
 */
export function connectorHealth(c: ConnectorStatusFields, now: Date, s: Pick<PlatformSettings, 'connectorOfflineMinutes' | 'revocationSyncWarnSeconds' | 'revocationAckOverdueSeconds'>): ConnectorHealth {
  if (c.status !== 'approved') return c.status;
  if (!c.last_seen_at || now.getTime() - new Date(c.last_seen_at).getTime() > s.connectorOfflineMinutes * 60_000) return 'offline';
  const lag = syncLagSeconds(c, now);
  if (lag === null || lag > s.revocationSyncWarnSeconds) return 'sync_lagging';
  if (acksOverdue(c, now, s)) return 'acks_overdue';
  return 'ok';
}
