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
  revoke: { ja: '失効させる（元に戻せません）…', en: 'Revoke (final)…' },
  list: { ja: 'このテナントのコネクタ', en: 'This tenant\'s connectors' },
  actions: { ja: '操作', en: 'Actions' },
  revokeTitle: { ja: 'コネクタの失効の確認', en: 'Confirm revocation' },
  revokeLead: { ja: '次のコネクタを失効させます。内容を確かめてから「失効させる」を押してください。', en: 'This connector will be revoked. Check the details, then press "Revoke".' },
  revokeButton: { ja: '失効させる', en: 'Revoke' },
  revokeRequests: { ja: 'このコネクタからのデータの要求は、次の要求からすべて拒否されます。', en: 'Every data request from this connector is refused, from its next request on.' },
  revokeProvide: { ja: 'このコネクタは、データを提供することも、同意の撤回の知らせを受け取ることもなくなります。', en: 'It no longer provides data, nor receives notices of withdrawn consents.' },
  revokeKey: { ja: 'このコネクタの鍵は二度と使えません。再び連携するには、サービス事業者が新しいコネクタを設置し、改めて承認する必要があります。', en: 'Its key can never be used again: to take part again, the vendor installs a new connector, which you approve anew.' },
  revokeSuspend: { ja: 'しばらく止めるだけなら、「一時停止する」を使ってください（再開できます）。', en: 'To stop it for a while only, suspend it instead (it can be resumed).' },
  alreadyRevoked: { ja: 'このコネクタはすでに失効しています。', en: 'This connector is already revoked.' },
} satisfies Record<string, Msg>;

/** A connector's approval status, as staff read it. */
export const statusText = {
  pending: { ja: '承認待ち', en: 'Awaiting approval' },
  approved: { ja: '承認済み', en: 'Approved' },
  suspended: { ja: '一時停止中', en: 'Suspended' },
  revoked: { ja: '失効', en: 'Revoked' },
} satisfies Record<ConnectorStatus, Msg>;
