import type { CertificateText } from '@tsunagu/contracts';

/**
 * The words of the erasure certificate and of the leaving pages (docs/erasure.md): the hub's own
 * kinds of record, how each medium is erased, what is kept and on what basis.
 */

/** The hub's own records a departure erases, with their names (情報の項目). */
export const HUB_RECORD_KINDS: Record<string, CertificateText> = {
  credentials: { ja: 'パスワード（ハッシュ値）', en: 'Password (hash)' },
  login_id: { ja: 'ログインID', en: 'Login ID' },
  display_name: { ja: '氏名（表示名）', en: 'Name (display name)' },
  common_id: { ja: '共通ID', en: 'Common ID' },
  links: { ja: 'サービスとの紐づけ（個別ID）', en: 'Links to services (local IDs)' },
  identity_verifications: { ja: 'マイナンバーカードによる本人確認の記録（カードの識別用ハッシュ値）', en: 'My Number card verification records (the card\'s keyed hash)' },
  jpki_challenges: { ja: '本人確認の途中の記録（チャレンジ）', en: 'Identity check challenges in progress' },
  email_addresses: { ja: 'メールアドレス（確認用リンクを含む）', en: 'E-mail address (with its verification links)' },
  password_resets: { ja: 'パスワード再設定の記録（リンク・カードのチャレンジ）', en: 'Password reset records (links and card challenges)' },
  session_devices: { ja: 'ログイン中の端末の記録（端末名・アドレス・時刻）', en: 'Signed-in device records (device, address, time)' },
  oidc_grants: { ja: 'サービスへのサインインの許可（トークンを含む）', en: 'Sign-in grants to services (with their tokens)' },
  sessions: { ja: 'ハブのサインイン状態（セッション）', en: 'Sessions at the hub' },
};

export const HUB_MEDIUM: CertificateText = { ja: 'Tsunagu ハブ データベース（PostgreSQL）およびセッション保存領域（Redis）', en: 'Tsunagu hub database (PostgreSQL) and session store (Redis)' };
export const HUB_RESPONSIBLE: CertificateText = { ja: '鳥取県（パーソナル系データ連携基盤の運営者）', en: 'Tottori Prefecture (operator of the platform)' };
export const HUB_METHOD: CertificateText = {
  ja: 'データベースの行の削除および項目の消去（NULL による上書き）。セッションは保存領域から削除。バックアップからは保存期間の経過により消去。',
  en: 'Database rows deleted and fields cleared (overwritten with NULL); sessions deleted from the store. Backups are erased as their retention ends.',
};
export const PROVIDER_METHOD: CertificateText = { ja: 'コネクタのメモリ上の許可証（グラント）キャッシュの破棄', en: 'Grant caches dropped from the connector\'s memory' };
export const PENDING_METHOD: CertificateText = { ja: '消去依頼を送信済み（完了の通知待ち）', en: 'Erasure requested (confirmation awaited)' };
export const PENDING_FOLLOW_UP: CertificateText = {
  ja: '期限内に消去完了の通知がありませんでした。ハブは通知があるまで消去依頼の送信を続け、管理画面に「未完了」として表示します。責任者（上記の団体）に直接の消去と報告を求めます。',
  en: 'No confirmation came within the time allowed. The hub keeps sending the request until it is confirmed and shows it as pending on the admin screens; the responsible body is asked to erase the data directly and report.',
};
export const UNLINKED_FOLLOW_UP: CertificateText = {
  ja: 'このサービスとの紐づけは退会の前に解除されていたため、サービスでの利用者IDを伝えられませんでした。責任者に照合と消去を求めます。',
  en: 'The link to this service had been removed before leaving, so the service could not be told the resident\'s ID there; the responsible body is asked to find and erase the data.',
};

/** Item names of the connectors' reports that are not catalog items. */
export const CONNECTOR_RECORD_KINDS: Record<string, CertificateText> = {
  'grant-cache': { ja: '許可証（グラント）のキャッシュ', en: 'Cached grants' },
};

/** What is kept, why, and for how long (days after the departure). */
export const RETAINED_KINDS: { key: 'consent_versions' | 'consent_receipts' | 'provision_records' | 'grant_records' | 'audit_events'; name: CertificateText; basis: CertificateText; days: 'records' | 'audit' }[] = [
  {
    key: 'consent_receipts', name: { ja: '同意の記録（同意レシート、仮名化）', en: 'Consent receipts (pseudonymised)' },
    basis: { ja: '個人情報保護法第29条・第30条（第三者提供に係る記録の作成・確認）および施行規則第21条・第24条（保存期間3年）。本人の同意を得た事実の証明として保存します。', en: 'APPI Art. 29 and 30 (records of provision to third parties) and Enforcement Rules Art. 21 and 24 (kept 3 years): proof that consent was given.' },
    days: 'records',
  },
  {
    key: 'consent_versions', name: { ja: '同意の履歴（仮名化）', en: 'Consent history (pseudonymised)' },
    basis: { ja: '同上（同意レシートの内容の裏付け）', en: 'As above (what the receipts state)' },
    days: 'records',
  },
  {
    key: 'provision_records', name: { ja: '提供記録（誰にどの項目を提供したか。データそのものは含みません。仮名化）', en: 'Provision ledger (who received which items; never the data; pseudonymised)' },
    basis: { ja: '個人情報保護法第29条（提供者の記録義務）・第30条（受領者の確認記録）、施行規則第21条・第24条（保存期間3年）', en: 'APPI Art. 29 and 30, Enforcement Rules Art. 21 and 24 (kept 3 years)' },
    days: 'records',
  },
  {
    key: 'grant_records', name: { ja: '許可証（グラント）の発行記録（仮名化）', en: 'Grant issue records (pseudonymised)' },
    basis: { ja: '提供記録の裏付けとして同じ期間保存します（基盤の保存規程）', en: 'Kept as long as the provision ledger they support (platform retention rule)' },
    days: 'records',
  },
  {
    key: 'audit_events', name: { ja: '監査ログ（改ざん検知のハッシュ連鎖、仮名化）', en: 'Audit chain entries (hash-chained; pseudonymised)' },
    basis: { ja: '基盤の監査ログ保存規程（400日以上、調達仕様書）。連鎖を保つため個別に削除できません。', en: 'The platform\'s audit log retention (at least 400 days, procurement spec); entries cannot be removed one by one without breaking the chain.' },
    days: 'audit',
  },
];

/** Days the records of APPI Art. 29/30 are kept (Enforcement Rules Art. 21, 24: three years). */
export const RECORDS_RETENTION_DAYS = 3 * 365 + 1;

/** The reasons of a departure. */
export const REASONS: Record<'departure' | 'deceased' | 'tenant_left', CertificateText> = {
  departure: { ja: '本人の申出による退会', en: 'Left the platform at the resident\'s request' },
  deceased: { ja: '死亡の届出による消去（特記事項第15条）', en: 'Erased on notice of death (special terms Art. 15)' },
  tenant_left: { ja: 'テナントの削除（契約の終了、特記事項第10条）', en: 'The tenant left the platform (end of contract, special terms Art. 10)' },
};
