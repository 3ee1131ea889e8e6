import type { Msg } from '@tsunagu/web';

/** The words of the audit-search screen, Japanese and English side by side. */
export const auditText = {
  title: { ja: '監査ログ', en: 'Audit log' },
  lead: { ja: 'ログイン、管理操作、同意、データ提供の許可・拒否などの記録です。各行は前の行のハッシュを含み、改ざんは npm run audit:verify で検出できます。日付は日本時間です。', en: 'Sign-ins, admin changes, consent decisions, grants issued and refused, and more. Each row holds the hash of the one before; `npm run audit:verify` detects tampering. Dates are Japan time.' },
  filters: { ja: '検索条件', en: 'Filters' },
  from: { ja: '開始日', en: 'From' },
  to: { ja: '終了日', en: 'To' },
  type: { ja: '種類（例: admin.change、auth. で始まるもの全部）', en: 'Type (e.g. admin.change, or auth. for the whole area)' },
  tenant: { ja: 'テナント', en: 'Tenant' },
  any: { ja: 'すべて', en: 'Any' },
  actorKind: { ja: '操作した主体', en: 'Actor kind' },
  actorId: { ja: '主体のID', en: 'Actor ID' },
  subject: { ja: '対象のID', en: 'Subject ID' },
  outcome: { ja: '結果', en: 'Outcome' },
  success: { ja: '成功', en: 'Success' },
  failure: { ja: '失敗', en: 'Failure' },
  search: { ja: '検索する', en: 'Search' },
  exportNdjson: { ja: 'この条件で書き出す（NDJSON）', en: 'Export these rows (NDJSON)' },
  exportCsv: { ja: 'この条件で書き出す（CSV）', en: 'Export these rows (CSV)' },
  none: { ja: '該当する記録はありません。', en: 'No matching rows.' },
  more: { ja: '次の50件', en: 'Next 50 rows' },
  seq: { ja: '番号', en: 'Seq' },
  time: { ja: '日時', en: 'Time' },
  actor: { ja: '主体', en: 'Actor' },
  reason: { ja: '理由', en: 'Reason' },
  details: { ja: '詳細', en: 'Details' },
} satisfies Record<string, Msg>;

/** Each event type of the audit chain in words (the code stays under the row's 「詳細」 and in the type filter). */
export const auditTypeText = {
  'auth.sign_in': { ja: 'ログイン', en: 'Sign-in' },
  'auth.sign_in_failed': { ja: 'ログインの失敗', en: 'Failed sign-in' },
  'auth.account_locked': { ja: 'アカウントのロック', en: 'Account locked' },
  'auth.throttled': { ja: '試行回数の制限', en: 'Attempts throttled' },
  'admin.change': { ja: '管理操作', en: 'Admin change' },
  'admin.audit_export': { ja: '監査ログの書き出し', en: 'Audit log export' },
  'consent.decision': { ja: '同意の決定', en: 'Consent decision' },
  'grant.issued': { ja: 'データ提供の許可', en: 'Grant issued' },
  'grant.refused': { ja: 'データ提供の拒否', en: 'Grant refused' },
  'jpki.verification': { ja: '本人確認（マイナンバーカード）', en: 'Identity proofing (My Number card)' },
  'jpki.verification_failed': { ja: '本人確認の失敗', en: 'Failed identity proofing' },
  'connector.registered': { ja: 'コネクタの登録', en: 'Connector registered' },
  'connector.keys_rotated': { ja: 'コネクタの鍵の更新', en: 'Connector keys rotated' },
  'link.created': { ja: '個別IDの紐づけ', en: 'Account linked' },
  'link.removed': { ja: '個別IDの紐づけの解除', en: 'Account unlinked' },
  'service.access_revoked': { ja: 'サービスの利用許可の取り消し', en: 'Service access revoked' },
} satisfies Record<string, Msg>;

/** What an admin change did (`details.action`), in words. */
export const auditActionText = {
  'service.create': { ja: 'サービスの登録', en: 'Service registered' },
  'service.update': { ja: 'サービスの変更', en: 'Service changed' },
  'service.delete': { ja: 'サービスの削除', en: 'Service deleted' },
  'service.rotate_secret': { ja: 'クライアントシークレットの再発行', en: 'Client secret reissued' },
  'connector.approve': { ja: 'コネクタの承認', en: 'Connector approved' },
  'connector.suspend': { ja: 'コネクタの一時停止', en: 'Connector suspended' },
  'connector.resume': { ja: 'コネクタの再開', en: 'Connector resumed' },
  'connector.revoke': { ja: 'コネクタの失効', en: 'Connector revoked' },
  'api_permission.grant': { ja: 'API利用許可の追加', en: 'API permission granted' },
  'api_permission.revoke': { ja: 'API利用許可の取り消し', en: 'API permission revoked' },
  'tenant.create': { ja: 'テナントの作成', en: 'Tenant created' },
  'tenant.update': { ja: 'テナントの変更', en: 'Tenant changed' },
  'tenant.activate': { ja: 'テナントの再開', en: 'Tenant reactivated' },
  'tenant.deactivate': { ja: 'テナントの停止', en: 'Tenant deactivated' },
  'tenant.view_as_system_admin': { ja: 'システム管理者によるテナントの表示', en: 'Tenant opened by a system admin' },
  'admin_account.create': { ja: '管理者アカウントの追加', en: 'Admin account added' },
  'admin_account.password_change': { ja: 'パスワードの変更', en: 'Password changed' },
  'admin_account.unlock': { ja: 'ロックの解除', en: 'Account unlocked' },
  'admin_account.activate': { ja: '管理者アカウントの再開', en: 'Admin account reactivated' },
  'admin_account.deactivate': { ja: '管理者アカウントの停止', en: 'Admin account deactivated' },
  'admin_account.reset_credentials': { ja: 'ログイン情報の再発行', en: 'Sign-in details reissued' },
  'platform_settings.update': { ja: 'プラットフォーム設定の変更', en: 'Platform settings changed' },
  'maintenance_notice.create': { ja: '計画停止のお知らせの登録', en: 'Maintenance notice added' },
  'maintenance_notice.cancel': { ja: '計画停止のお知らせの取り消し', en: 'Maintenance notice cancelled' },
} satisfies Record<string, Msg>;

/** Who acted, by kind. */
export const actorKindText = {
  resident: { ja: '県民等', en: 'Resident' },
  admin: { ja: '管理者', en: 'Admin' },
  service: { ja: 'サービス', en: 'Service' },
  connector: { ja: 'コネクタ', en: 'Connector' },
  system: { ja: 'システム', en: 'System' },
} satisfies Record<string, Msg>;

/** The names of the facts an event records (`details`); a key not listed here is shown as it is. */
export const auditKeyText = {
  action: { ja: '操作', en: 'Action' },
  name: { ja: '名前', en: 'Name' },
  from: { ja: '変更前', en: 'From' },
  to: { ja: '変更後', en: 'To' },
  reason: { ja: '理由', en: 'Reason' },
  clientId: { ja: 'クライアントID', en: 'Client ID' },
  nameJa: { ja: '名称（日本語）', en: 'Name (Japanese)' },
  nameEn: { ja: '名称（英語）', en: 'Name (English)' },
  authMethod: { ja: 'クライアント認証方式', en: 'Client authentication' },
  redirectUris: { ja: 'リダイレクトURI', en: 'Redirect URIs' },
  postLogoutRedirectUris: { ja: 'ログアウト後のリダイレクトURI', en: 'Post-logout redirect URIs' },
  publicKeysChanged: { ja: '公開鍵の変更', en: 'Public keys changed' },
  secretIssued: { ja: 'シークレットの発行', en: 'Secret issued' },
  secretErased: { ja: 'シークレットの消去', en: 'Secret erased' },
  connectorsRevoked: { ja: '失効したコネクタ', en: 'Connectors revoked' },
  permissionsRemoved: { ja: '取り消したAPI利用許可', en: 'Permissions removed' },
  consumer: { ja: '利用するサービス', en: 'Consumer service' },
  consumerServiceId: { ja: '利用するサービスのID', en: 'Consumer service ID' },
  offer: { ja: '提供データ', en: 'Data offer' },
  offerId: { ja: '提供データのID', en: 'Data offer ID' },
  code: { ja: 'コード', en: 'Code' },
  kind: { ja: '種別', en: 'Kind' },
  allowedCidrs: { ja: '管理画面を利用できるネットワーク', en: 'Admin networks' },
  loginId: { ja: 'ログインID', en: 'Login ID' },
  changed: { ja: '変更した設定', en: 'Settings changed' },
  startsAt: { ja: '停止の開始', en: 'Stop starts' },
  endsAt: { ja: '停止の終了', en: 'Stop ends' },
  urgent: { ja: '緊急', en: 'Urgent' },
  format: { ja: '形式', en: 'Format' },
  filter: { ja: '検索条件', en: 'Filters' },
  area: { ja: '画面', en: 'Area' },
  ip: { ja: '接続元のアドレス', en: 'Client address' },
  method: { ja: '方法', en: 'Method' },
  maxFailures: { ja: 'ロックまでの失敗回数', en: 'Failures before lockout' },
  lockoutMinutes: { ja: 'ロックの時間（分）', en: 'Lockout (minutes)' },
  dataUse: { ja: 'データ利用', en: 'Data use' },
  items: { ja: '項目', en: 'Items' },
  purpose: { ja: '利用目的', en: 'Purpose' },
  problem: { ja: '内容', en: 'Problem' },
  consentId: { ja: '同意のID', en: 'Consent ID' },
  consentVersion: { ja: '同意の版', en: 'Consent version' },
  residentId: { ja: '県民等のID', en: 'Resident ID' },
  providerConnectorId: { ja: '提供元のコネクタのID', en: 'Provider connector ID' },
  expiresAt: { ja: '有効期限', en: 'Expires' },
  challengeId: { ja: 'チャレンジのID', en: 'Challenge ID' },
  certificateNotAfter: { ja: '証明書の有効期限', en: 'Certificate valid until' },
  linkId: { ja: '紐づけのID', en: 'Link ID' },
  service: { ja: 'サービス', en: 'Service' },
  jkt: { ja: '公開鍵の指紋', en: 'Key thumbprint' },
  previousJkt: { ja: '以前の公開鍵の指紋', en: 'Previous key thumbprint' },
  baseUrl: { ja: '接続先URL', en: 'Base URL' },
  version: { ja: 'バージョン', en: 'Version' },
} satisfies Record<string, Msg>;

/** Words of values the details hold. */
export const auditValueText = {
  yes: { ja: 'はい', en: 'Yes' },
  no: { ja: 'いいえ', en: 'No' },
  none: { ja: 'なし', en: 'None' },
  noDetails: { ja: '記録された詳細はありません。', en: 'No details recorded.' },
  list: { ja: '監査ログの検索結果', en: 'Matching audit rows' },
  type: { ja: '種類', en: 'Type' },
  eventCode: { ja: '種類のコード', en: 'Type code' },
  reasonCode: { ja: '理由のコード', en: 'Reason code' },
  actionCode: { ja: '操作のコード', en: 'Action code' },
  otherReason: { ja: 'その他（「詳細」のコードを参照）', en: 'Other (see the code under Details)' },
  otherType: { ja: 'その他の記録（「詳細」のコードを参照）', en: 'Other event (see the code under Details)' },
} satisfies Record<string, Msg>;

/** Words of the coded values some facts hold: where a sign-in happened, how, and which kind of account or tenant. */
export const auditAreaText = {
  admin: { ja: '管理画面', en: 'Admin screens' },
  portal: { ja: '県民等向けポータル', en: 'Resident portal' },
} satisfies Record<string, Msg>;

export const auditKindText = {
  tenant: { ja: 'テナント管理者', en: 'Tenant admin' },
  system: { ja: 'システム管理者', en: 'System admin' },
  prefecture: { ja: '県', en: 'Prefecture' },
  municipality: { ja: '市町村', en: 'Municipality' },
} satisfies Record<string, Msg>;

export const auditMethodText = {
  password: { ja: 'パスワード', en: 'Password' },
  'password+totp': { ja: 'パスワードと確認コード（認証アプリ）', en: 'Password and one-time code' },
} satisfies Record<string, Msg>;
