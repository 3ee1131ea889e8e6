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
  offers: { ja: '提供データ', en: 'Data offers' },
  dataUses: { ja: 'データ利用', en: 'Data uses' },
  agreements: { ja: '利用申請', en: 'Agreements' },
  account: { ja: 'アカウント', en: 'Account' },
  tenants: { ja: 'テナント', en: 'Tenants' },
  systemAdmins: { ja: 'システム管理者', en: 'System admins' },
  settings: { ja: 'プラットフォーム設定', en: 'Platform settings' },
  audit: { ja: '監査ログ', en: 'Audit log' },
  queues: { ja: 'ジョブキュー', en: 'Job queues' },
  maintenance: { ja: '計画停止のお知らせ', en: 'Maintenance notices' },
  incidents: { ja: '事故報告', en: 'Incidents' },
  inquiries: { ja: '問い合わせ', en: 'Inquiries' },
  handlingLedger: { ja: '取扱台帳', en: 'Handling ledger' },
  availability: { ja: '稼働実績', en: 'Availability' },
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

/** The confirmation step of every action that cannot be undone (or that stops others' work). */
export const confirmText = {
  what: { ja: 'この操作で起きること', en: 'What this does' },
  irreversible: { ja: 'この操作は元に戻せません。', en: 'This cannot be undone.' },
  notPossible: { ja: 'この操作は、いまは行えません。', en: 'This cannot be done now.' },
  back: { ja: '戻る', en: 'Go back' },
  cancel: { ja: 'キャンセル', en: 'Cancel' },
  open: { ja: '確認画面を開く', en: 'Open the confirmation page' },
} satisfies Record<string, Msg>;

/** A refused form: the summary above it and the message under each field (`{label}` is the field's name). */
export const formText = {
  invalid: { ja: '入力内容に誤りがあります。各項目のメッセージを確認してください。入力した内容はそのまま残っています。', en: 'Some entries need correcting: see the message at each field. What you typed is kept.' },
  summary: { ja: '入力内容を確認してください', en: 'Please check your entries' },
  missing: { ja: '「{label}」を入力してください。', en: 'Please fill in "{label}".' },
  tooShort: { ja: '「{label}」は{limit}文字以上で入力してください。', en: '"{label}" needs at least {limit} characters.' },
  tooLong: { ja: '「{label}」は{limit}文字以内にしてください（いまは{length}文字です）。', en: '"{label}" can have at most {limit} characters (it has {length}).' },
  format: { ja: '「{label}」の形式が正しくありません。', en: '"{label}" is not in the expected form.' },
  choice: { ja: '「{label}」は表示された選択肢から選んでください。', en: 'Choose "{label}" from the options shown.' },
  invalidValue: { ja: '「{label}」の値が正しくありません。', en: '"{label}" is not valid.' },
  unknownField: { ja: 'この画面にない項目が送られました。画面を開き直して、もう一度入力してください。', en: 'The form sent a field this screen does not have. Reload the page and try again.' },
  /** Fallback name of a field a form's table does not list. */
  field: { ja: '入力項目', en: 'an entry' },
} satisfies Record<string, Msg>;
