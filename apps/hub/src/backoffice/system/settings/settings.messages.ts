import type { Msg } from '@tsunagu/web';

/** The words of the platform-settings screen, Japanese and English side by side. */
export const settingsText = {
  title: { ja: 'プラットフォーム設定', en: 'Platform settings' },
  lead: { ja: '運用中に変更できる設定です。ネットワークや鍵などの配備設定は環境変数で管理します。変更は監査ログに記録されます。', en: 'Settings that can change while running. Deployment settings (networks, keys) stay in the environment. Changes are kept in the audit log.' },
  connectorOfflineMinutes: { ja: 'コネクタを「応答なし」とするまでの時間（分）', en: 'Minutes before a silent connector is shown as offline' },
  revocationSyncWarnSeconds: { ja: '取消情報の同期遅延として警告するまでの時間（秒）', en: 'Seconds of revocation-sync lag before a warning' },
  revocationAckOverdueSeconds: { ja: '取消通知の確認を期限超過とするまでの時間（秒）', en: 'Seconds before an unacknowledged revocation is overdue' },
  dashboardDays: { ja: 'ダッシュボードの集計期間（日）', en: 'Days shown on dashboards' },
  maintenanceNoticeDays: { ja: '計画停止を告知する期間（日前まで）', en: 'Days of notice required before a planned stop' },
  supportContactJa: { ja: '問い合わせ先（日本語）', en: 'Support contact (Japanese)' },
  supportContactEn: { ja: '問い合わせ先（英語）', en: 'Support contact (English)' },
  save: { ja: '保存する', en: 'Save' },
  saved: { ja: '設定を保存しました。', en: 'The settings were saved.' },
  range: { ja: '範囲', en: 'Range' },
  wholeNumber: { ja: '半角数字の整数で入力してください。', en: 'Enter a whole number in digits.' },
} satisfies Record<string, Msg>;
