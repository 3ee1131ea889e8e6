import type { CertificateText, HandoverItem } from '@tsunagu/contracts';

/** The words of a tenant's archive and erasure certificate (docs/erasure.md "Tenants leaving"). */

/** The items of the handover record (項目). */
export const HANDOVER_ITEMS: Record<HandoverItem['item'], CertificateText> = {
  tenant: { ja: 'テナントの登録情報', en: 'Tenant record' },
  services: { ja: 'サービス（OIDCクライアント、秘密情報を除く）', en: 'Services (OIDC clients, without secrets)' },
  connectors: { ja: 'コネクタ（名称・公開鍵・状態）', en: 'Connectors (names, public keys, status)' },
  offers: { ja: 'データ提供（オファー）', en: 'Data offers' },
  dataUses: { ja: 'データ利用', en: 'Data uses' },
  agreements: { ja: '提供の承認（合意）', en: 'Agreements' },
  consents: { ja: '住民の同意（サービスごとの仮名ID）', en: 'Residents\' consents (pseudonymous subject per service)' },
};

/** What the hub erases or disables for a tenant, with their names (情報の項目). */
export const TENANT_RECORD_KINDS: Record<string, CertificateText> = {
  links: { ja: 'サービスとの紐づけ（個別ID）', en: 'Links to its services (local IDs)' },
  services: { ja: 'サービス（OIDCクライアント）の登録（無効化）', en: 'Service (OIDC client) registrations (disabled)' },
  client_secrets: { ja: 'クライアントの秘密情報・公開鍵', en: 'Client secrets and keys' },
  admin_accounts: { ja: '管理者アカウント（氏名・パスワード・認証アプリの鍵）', en: 'Admin accounts (names, passwords, authenticator keys)' },
  admin_sessions: { ja: '管理者のログイン状態（セッション）', en: 'Admin sessions' },
  connectors_revoked: { ja: 'コネクタの認証（失効）', en: 'Connector credentials (revoked)' },
  agreements_retired: { ja: '提供の承認（終了）', en: 'Agreements (ended)' },
  offers_withdrawn: { ja: 'データ提供（取り下げ）', en: 'Data offers (withdrawn)' },
  data_uses_retired: { ja: 'データ利用（終了）', en: 'Data uses (ended)' },
  consents_withdrawn: { ja: '住民の同意（撤回、レシート発行）', en: 'Residents\' consents (withdrawn, with receipts)' },
  oidc_grants: { ja: 'サービスへのサインインの許可（トークンを含む）', en: 'Sign-in grants to its services (with their tokens)' },
};

export const TENANT_HUB_METHOD: CertificateText = {
  ja: 'データベースの行の削除、項目の消去（上書き）および無効化。サインインの許可とトークンは保存領域から削除。バックアップからは保存期間の経過により消去。',
  en: 'Database rows deleted, fields cleared (overwritten) or disabled; sign-in grants and tokens deleted from the store. Backups are erased as their retention ends.',
};
