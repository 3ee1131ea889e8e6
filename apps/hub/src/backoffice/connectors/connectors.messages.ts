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
  revokeHeld: {
    ja: 'このコネクタがすでに受け取っている提供許可（最長30秒有効）も、提供元に知らせて拒否させます。提供元の確認を待ってから結果を表示します（最長1秒）。',
    en: 'The grants it already holds (valid up to 30 s) are refused too: the providers are told, and the result is shown once they confirm (waiting 1 s at most).',
  },
  revoked: { ja: 'コネクタを失効させました。', en: 'The connector was revoked.' },
} satisfies Record<string, Msg>;

/** The words of a revocation's enforcement at the providers (the connector's page once revoked). */
export const revocationText = {
  title: { ja: '提供元での拒否', en: 'Refusal at the providers' },
  complete: {
    ja: 'このコネクタに発行済みの提供許可を、すべての提供元が拒否することを確認しました（{at}）。この時刻より後に、このコネクタへデータが提供されることはありません。',
    en: 'Every provider confirmed it refuses the grants issued to this connector ({at}). No data is provided to this connector after that moment.',
  },
  nothingHeld: {
    ja: 'このコネクタは有効な提供許可を持っていなかったため、データが提供されることはありません。',
    en: 'This connector held no valid grant, so no data is provided to it.',
  },
  pending: {
    ja: '一部の提供元からまだ確認が届いていません。遅くとも {by} までに、すべての提供元がこのコネクタの提供許可を拒否します（確認が届かなくても、その時刻を過ぎると提供されません）。',
    en: 'Some providers have not confirmed yet. Every provider refuses this connector\'s grants by {by} at the latest (even without a confirmation, nothing is provided after that moment).',
  },
  lapsed: {
    ja: '確認が届かなかった提供元も、{by} 以降はこのコネクタの提供許可を受け付けません。',
    en: 'Providers that did not confirm no longer accept this connector\'s grants since {by}.',
  },
  revokedAt: { ja: '失効日時', en: 'Revoked at' },
  enforcedAt: { ja: '拒否の確認完了', en: 'Refused everywhere' },
  enforcedBy: { ja: '拒否の期限', en: 'Refused everywhere by' },
  provider: { ja: '提供元', en: 'Provider' },
  state: { ja: '状態', en: 'Status' },
  states: {
    enforced: { ja: '拒否を確認（{at}）', en: 'Confirmed refusing ({at})' },
    pending: { ja: '確認待ち（遅くとも {at} に拒否）', en: 'Waiting for confirmation (refuses by {at})' },
    lapsed: { ja: '確認なし（{at} 以降は拒否）', en: 'Not confirmed (refuses since {at})' },
  },
} as const;

/** A connector's approval status, as staff read it. */
export const statusText = {
  pending: { ja: '承認待ち', en: 'Awaiting approval' },
  approved: { ja: '承認済み', en: 'Approved' },
  suspended: { ja: '一時停止中', en: 'Suspended' },
  revoked: { ja: '失効', en: 'Revoked' },
} satisfies Record<ConnectorStatus, Msg>;
