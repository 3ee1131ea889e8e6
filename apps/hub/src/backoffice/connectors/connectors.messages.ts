import type { Msg } from '@tsunagu/web';
import type { ConnectorStatus } from '../../exchange/connectors/connectors.repository';

/** The words of the connector screens, Japanese and English side by side. */
export const connectorText = {
  title: { ja: 'コネクタ', en: 'Connectors' },
  lead: { ja: '各サービスの横に設置されたコネクタです。新しいコネクタは「承認待ち」で登録され、承認するまでデータ連携に参加できません。', en: 'The connectors installed beside each service. A new connector registers as awaiting approval and takes part in no exchange until approved.' },
  name: { ja: '名前', en: 'Name' },
  service: { ja: 'サービス', en: 'Service' },
  status: { ja: '状態', en: 'Status' },
  health: { ja: '稼働状況', en: 'Health' },
  lastSeen: { ja: '最終通信', en: 'Last seen' },
  version: { ja: 'バージョン', en: 'Version' },
  syncLag: { ja: '取消情報の同期遅延', en: 'Revocation-sync lag' },
  acks: { ja: '未確認の取消通知', en: 'Unacknowledged revocations' },
  overdue: { ja: '期限超過', en: 'overdue' },
  seconds: { ja: '秒', en: 's' },
  never: { ja: 'なし', en: 'never' },
  none: { ja: '登録されたコネクタはありません。コネクタを設置すると、ここに承認待ちとして表示されます。', en: 'No connectors are registered. An installed connector appears here, awaiting approval.' },
  baseUrl: { ja: '接続先URL', en: 'Base URL' },
  thumbprint: { ja: '公開鍵の指紋（JWK Thumbprint）', en: 'Public key thumbprint (JWK)' },
  changedAt: { ja: '状態の変更', en: 'Status changed' },
  registered: { ja: '登録日時', en: 'Registered' },
  reason: { ja: '理由（任意・監査ログに記録）', en: 'Reason (optional, kept in the audit log)' },
  done: { ja: 'コネクタの状態を変更しました。', en: 'The connector\'s status was changed.' },
  back: { ja: 'コネクタ一覧へ', en: 'All connectors' },
  approve: { ja: '承認する', en: 'Approve' },
  suspend: { ja: '一時停止する', en: 'Suspend' },
  resume: { ja: '再開する', en: 'Resume' },
  revoke: { ja: '失効させる（元に戻せません）', en: 'Revoke (final)' },
} satisfies Record<string, Msg>;

/** A connector's approval status, as staff read it. */
export const statusText = {
  pending: { ja: '承認待ち', en: 'Awaiting approval' },
  approved: { ja: '承認済み', en: 'Approved' },
  suspended: { ja: '一時停止中', en: 'Suspended' },
  revoked: { ja: '失効', en: 'Revoked' },
} satisfies Record<ConnectorStatus, Msg>;
