import type { Msg } from '@tsunagu/web';

/** The page shell of every admin screen: brand, who is signed in, acting for a tenant. */
export const layoutText = {
  signOut: { ja: 'ログアウト', en: 'Sign out' },
  tenantBrand: { ja: 'Tsunagu 管理画面', en: 'Tsunagu admin' },
  systemBrand: { ja: 'Tsunagu システム管理', en: 'Tsunagu system admin' },
  signedInAs: { ja: 'ログイン中', en: 'Signed in as' },
  acting: { ja: 'システム管理者として表示中のテナント', en: 'Tenant shown to you as system admin' },
  leave: { ja: 'テナントの表示を終える', en: 'Stop viewing this tenant' },
  menu: { ja: '管理メニュー', en: 'Admin menu' },
  systemMenu: { ja: 'システム管理', en: 'System admin' },
  /** The platform's own name: Japanese on both languages' pages. */
  platform: { ja: '鳥取県 パーソナル系データ連携基盤 Tsunagu', en: '鳥取県 パーソナル系データ連携基盤 Tsunagu' },
} satisfies Record<string, Msg>;

/** The admin menus' entries. */
export const navText = {
  dashboard: { ja: 'ダッシュボード', en: 'Dashboard' },
  services: { ja: 'サービス', en: 'Services' },
  connectors: { ja: 'コネクタ', en: 'Connectors' },
  permissions: { ja: 'API利用許可', en: 'API permissions' },
  account: { ja: 'アカウント', en: 'Account' },
  tenants: { ja: 'テナント', en: 'Tenants' },
  systemAdmins: { ja: 'システム管理者', en: 'System admins' },
  settings: { ja: 'プラットフォーム設定', en: 'Platform settings' },
  audit: { ja: '監査ログ', en: 'Audit log' },
  queues: { ja: 'ジョブキュー', en: 'Job queues' },
  maintenance: { ja: '計画停止のお知らせ', en: 'Maintenance notices' },
} satisfies Record<string, Msg>;

/** The error page of the admin screens. */
export const errorText = {
  title: { ja: '操作を完了できませんでした', en: 'This could not be done' },
  forbiddenTitle: { ja: 'アクセスできません', en: 'Access denied' },
  back: { ja: '前の画面に戻る', en: 'Go back' },
  home: { ja: '管理画面のトップへ', en: 'Admin home' },
  code: { ja: 'エラーコード', en: 'Error code' },
} satisfies Record<string, Msg>;

/** Codes kept for support: the disclosure they sit in (§17: what a person sees is words). */
export const supportText = {
  details: { ja: '詳細', en: 'Details' },
  code: { ja: 'コード', en: 'Code' },
  correlationId: { ja: '問い合わせ番号（相関ID）', en: 'Correlation ID' },
  raw: { ja: '記録されたままのデータ（JSON）', en: 'As recorded (JSON)' },
} satisfies Record<string, Msg>;

/**
 * Reasons the audit chain records that are not codes of an API (sign-in failures, lockouts); the
 * codes of the APIs take their words from the tables in libs/contracts.
 */
export const auditReasonText = {
  unknown: { ja: '理由は記録されていません。', en: 'No reason was recorded.' },
  unknown_login_id: { ja: '登録されていないログインIDでログインしようとしました。', en: 'Sign-in with a login ID that does not exist.' },
  invalid_otp: { ja: '確認コード（認証アプリの6桁）が正しくありませんでした。', en: 'The one-time code was wrong.' },
  ip_not_allowed: { ja: '許可されていないネットワークからのログインでした。', en: 'Sign-in from a network that is not allowed.' },
  account_inactive: { ja: '停止中のアカウントでした。', en: 'The account is deactivated.' },
  tenant_inactive: { ja: '停止中のテナントのアカウントでした。', en: 'The account\'s tenant is deactivated.' },
  too_many_failures: { ja: 'ログインに続けて失敗したため、ロックしました。', en: 'Locked after too many failed sign-ins.' },
  internal_error: { ja: '内部エラーのため処理できませんでした。', en: 'An internal error stopped it.' },
} satisfies Record<string, Msg>;
