/** Runtime settings of the platform (system admin › platform settings), with their defaults. */
export interface PlatformSettings {
  /** A connector not heard from for this many minutes is shown as offline. */
  connectorOfflineMinutes: number;
  /** A connector whose last revocation-feed sync is older than this is flagged. */
  revocationSyncWarnSeconds: number;
  /** A revocation not acknowledged within this many seconds is overdue. */
  revocationAckOverdueSeconds: number;
  /** Days the dashboard charts cover. */
  dashboardDays: number;
  /** Days of notice a planned stop needs (the procurement spec asks for 7). */
  maintenanceNoticeDays: number;
  /** Who residents contact about the platform. */
  supportContactJa: string;
  supportContactEn: string;
}

export const DEFAULT_PLATFORM_SETTINGS: PlatformSettings = {
  connectorOfflineMinutes: 10,
  revocationSyncWarnSeconds: 30,
  revocationAckOverdueSeconds: 60,
  dashboardDays: 30,
  maintenanceNoticeDays: 7,
  supportContactJa: '鳥取県 デジタル局 データ連携基盤担当',
  supportContactEn: 'Tottori Prefecture, Digital Bureau, data linkage platform team',
};

/** Allowed ranges of the numeric settings. */
export const SETTING_RANGES: Record<'connectorOfflineMinutes' | 'revocationSyncWarnSeconds' | 'revocationAckOverdueSeconds' | 'dashboardDays' | 'maintenanceNoticeDays', [number, number]> = {
  connectorOfflineMinutes: [1, 1440],
  revocationSyncWarnSeconds: [5, 3600],
  revocationAckOverdueSeconds: [1, 3600],
  dashboardDays: [7, 366],
  maintenanceNoticeDays: [0, 60],
};
