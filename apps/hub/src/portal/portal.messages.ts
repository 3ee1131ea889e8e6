import type { CollectionMethod, ConsentEventType, ConsentState } from '@tsunagu/contracts';
import type { Msg } from '@tsunagu/web';

/*
 * Every word the resident portal shows, Japanese and English side by side, one table per screen.
 * Views pick from here; controllers, views and filters hold no words of their own.
 */

/** The menu of every portal page, by section. */
export const navText = {
  home: { ja: 'ホーム', en: 'Home' },
  'data-uses': { ja: 'データ利用の依頼', en: 'Requests for data' },
  consents: { ja: '同意の管理', en: 'My consents' },
  provisions: { ja: '提供記録', en: 'Who received my data' },
  links: { ja: '連携サービス', en: 'Linked services' },
} satisfies Record<string, Msg>;

/** The footer and sign-out link of every portal page. */
export const footerText = {
  manual: { ja: '操作マニュアル（県民等向け）', en: 'How to use this portal (manual)' },
  site: { ja: '鳥取県 パーソナル系データ連携基盤 Tsunagu', en: 'Tsunagu — the personal-data linkage platform of Tottori prefecture' },
  signOut: { ja: 'ログアウト', en: 'Sign out' },
} satisfies Record<string, Msg>;

/** The hub's front page. */
export const homeText = {
  title: { ja: 'Tsunagu（つなぐ）', en: 'Tsunagu' },
  lead: { ja: '鳥取県と県内市町村のパーソナル系データ連携基盤です。ひとつの Tottori ID で各サービスにログインでき、どのデータをどのサービスに提供するかをご自身で決められます。', en: 'The personal-data linkage platform of Tottori prefecture and its municipalities. One Tottori ID signs you in to every service, and you decide which data goes to which service.' },
  account: { ja: 'マイページへ', en: 'Go to my account' },
} satisfies Record<string, Msg>;

/** The account page (マイページ). */
export const accountText = {
  title: { ja: 'マイページ', en: 'My account' },
  commonId: { ja: 'あなたの共通ID', en: 'Your common ID' },
  commonIdHint: { ja: '共通IDはサービスには渡されません。各サービスには、サービスごとに異なる番号が渡されます。', en: 'Your common ID is never given to services; each service sees a different identifier.' },
  verification: { ja: '本人確認', en: 'Identity verification' },
  verified: { ja: 'マイナンバーカードで確認済み', en: 'Verified with the My Number card' },
  notVerified: { ja: '未確認', en: 'Not verified' },
  pending: { ja: 'あなたの回答を待っている依頼', en: 'Requests waiting for your answer' },
  noPending: { ja: '回答を待っている依頼はありません。', en: 'No requests are waiting for you.' },
  pendingNew: { ja: '新しい依頼', en: 'New request' },
  pendingChanged: { ja: '条件が変わりました。改めて確認してください', en: 'The terms changed: please decide again' },
  review: { ja: '内容を確認する', en: 'Review' },
  from: { ja: '依頼元', en: 'From' },
  links: { ja: '連携しているサービス', en: 'Linked services' },
  noLinks: { ja: '連携しているサービスはありません。', en: 'No linked services.' },
  service: { ja: 'サービス', en: 'Service' },
  localId: { ja: 'サービスでの番号（個別ID）', en: 'Local account ID' },
  linkedAt: { ja: '連携日時', en: 'Linked at' },
  unlink: { ja: '連携を解除', en: 'Unlink' },
  unlinked: { ja: '連携を解除しました。', en: 'The link was removed.' },
  shortcuts: { ja: 'データの提供について', en: 'About your data' },
  consents: { ja: '同意の管理（履歴・記録）', en: 'My consents (history and receipts)' },
  provisions: { ja: '提供記録（誰がデータを受け取ったか）', en: 'Who received my data' },
  logout: { ja: 'ログアウト', en: 'Sign out' },
  verifyNow: { ja: 'マイナンバーカードで本人確認する', en: 'Verify with the My Number card' },
  verifyDetails: { ja: '詳細', en: 'Details' },
} satisfies Record<string, Msg>;

/** Identity proofing with the My Number card (`/account/verify`). */
export const verifyText = {
  title: { ja: 'マイナンバーカードで本人確認', en: 'Verify your identity with the My Number card' },
  lead: { ja: 'マイナンバーカードの署名用電子証明書で、Tottori ID があなたご本人のものであることを確認します。確認が済むと、本人確認が必要なサービスを利用できます。', en: 'The signature certificate of your My Number card confirms that this Tottori ID is yours. Services that need a confirmed identity then accept it.' },
  kept: { ja: '保存する情報：確認した日時と証明書の有効期限、同じカードで別のアカウントを確認できないようにするための識別値のみです。氏名・住所などの情報は保存しません。', en: 'What we keep: the time of the check, the certificate expiry and a keyed identifier that stops one card from verifying two accounts. Your name, address and other attributes are not stored.' },
  verified: { ja: '本人確認済みです', en: 'Your identity is verified' },
  verifiedAt: { ja: '確認日時', en: 'Verified at' },
  notVerified: { ja: 'まだ本人確認をしていません', en: 'Not verified yet' },
  howTo: { ja: 'スマートフォンの対応アプリでマイナンバーカードを読み取り、署名用電子証明書のパスワード（英数字6〜16文字）を入力してください。', en: 'Read your My Number card with a supported app on your phone and enter the signature certificate password (6–16 letters and digits).' },
  testTitle: { ja: '開発用：テスト用カード', en: 'Development: test card' },
  testWarning: { ja: 'これはテスト専用の機能です。本番環境では使用できません。テスト用の認証局が発行したカードで署名します。', en: 'For testing only, never available in production. A card issued by the test CA signs the challenge.' },
  testButton: { ja: 'テスト用カードで本人確認する', en: 'Verify with the test card' },
  done: { ja: '本人確認が完了しました。', en: 'Your identity has been verified.' },
  back: { ja: 'マイページに戻る', en: 'Back to my account' },
} satisfies Record<string, Msg>;

/** Data-use requests, consents, receipts, provisions and links. */
export const portalText = {
  dataUsesTitle: { ja: 'データ利用の依頼', en: 'Requests for your data' },
  dataUsesLead: {
    ja: 'サービスがあなたのデータを使いたいという依頼です。同意しない限り、データは提供されません。同意は項目ごとに選べ、いつでも撤回できます。',
    en: 'Services asking to use your data. Nothing is shared unless you agree. You choose the items, and you can withdraw at any time.',
  },
  noDataUses: { ja: '現在、依頼はありません。', en: 'There are no requests at the moment.' },
  review: { ja: '内容を確認する', en: 'Review' },
  from: { ja: '依頼元', en: 'From' },
  who: { ja: 'データを受け取るサービス', en: 'Who receives the data' },
  controller: { ja: '個人情報の取扱責任者・連絡先', en: 'Responsible for your data, and contact' },
  why: { ja: '利用目的', en: 'Why (purpose)' },
  what: { ja: '提供するデータ（チェックを外した項目は提供されません）', en: 'What is shared (unticked items are not shared)' },
  heldBy: { ja: '提供元', en: 'Held by' },
  specialCare: { ja: '要配慮個人情報', en: 'Special care-required information' },
  howLong: { ja: '期間', en: 'How long' },
  retention: { ja: '受け取ったデータの保存期間: {n}日', en: 'The recipient keeps the data for {n} days' },
  validity: { ja: '同意の有効期間: {n}日（期間が過ぎると、改めて確認します）', en: 'Your consent is valid for {n} days (you will be asked again after that)' },
  validityOpen: { ja: '同意の有効期間: 撤回するまで', en: 'Your consent is valid until you withdraw it' },
  withdraw: { ja: '撤回の方法', en: 'How to withdraw' },
  withdrawHow: {
    ja: 'このページまたは「同意の管理」の「同意を撤回する」ボタンで、いつでも撤回できます。撤回した時点から、データは提供されません。',
    en: 'Press "Withdraw consent" on this page or under "My consents" at any time. From then on, no data is provided.',
  },
  privacyNotice: { ja: 'プライバシーポリシー（外部サイト）', en: 'Privacy notice (external site)' },
  lawfulBasis: {
    ja: 'この提供は、個人情報保護法に基づき、あなたの同意によって行われる第三者提供です。同意の記録（レシート）は電子署名付きで保存され、いつでも確認・ダウンロードできます。',
    en: 'This is a provision to a third party based on your consent under the Act on the Protection of Personal Information. A signed record (receipt) of your decision is kept and can be viewed and downloaded at any time.',
  },
  agree: { ja: '同意する', en: 'Agree' },
  update: { ja: 'この内容で同意を更新する', en: 'Update my consent' },
  agreeAgain: { ja: '新しい条件で同意する', en: 'Agree to the new terms' },
  decline: { ja: '同意しない', en: 'Do not agree' },
  withdrawButton: { ja: '同意を撤回する', en: 'Withdraw consent' },
  declined: { ja: '同意しませんでした。データは提供されません。', en: 'You did not agree. No data will be shared.' },
  given: { ja: '同意しました。同意の記録（レシート）を発行しました。', en: 'You agreed. A signed consent receipt was issued.' },
  withdrawnDone: { ja: '同意を撤回しました。今後、データは提供されません。', en: 'Your consent was withdrawn. No data will be shared from now on.' },
  currentState: { ja: '現在の状態', en: 'Current status' },
  consentsTitle: { ja: '同意の管理', en: 'My consents' },
  consentsLead: { ja: 'これまでの同意と、その変更の履歴です。各変更には電子署名付きの記録（レシート）があります。', en: 'Your consents and every change to them. Each change has a signed record (receipt).' },
  noConsents: { ja: 'まだ同意したデータ利用はありません。', en: 'You have not agreed to any data use yet.' },
  items: { ja: '項目', en: 'Items' },
  validUntil: { ja: '有効期限', en: 'Valid until' },
  untilWithdrawn: { ja: '撤回まで', en: 'Until withdrawn' },
  updatedAt: { ja: '最終更新', en: 'Last change' },
  details: { ja: '履歴と記録を見る', en: 'History and receipts' },
  downloadChain: { ja: 'すべての同意の記録をダウンロード（JSON）', en: 'Download all consent receipts (JSON)' },
  chainHint: { ja: 'ダウンロードした記録は、誰でも署名と改ざんの有無を確認できます（操作マニュアル参照）。', en: 'Anyone can check the signatures and that nothing was altered or removed (see the manual).' },
  history: { ja: '変更履歴', en: 'History' },
  version: { ja: '版', en: 'Version' },
  event: { ja: '出来事', en: 'Event' },
  date: { ja: '日時', en: 'Date' },
  receipt: { ja: '記録', en: 'Receipt' },
  viewReceipt: { ja: '記録を見る', en: 'View receipt' },
  change: { ja: '内容を確認・変更する', en: 'Review or change' },
  receiptTitle: { ja: '同意の記録（コンセントレシート）', en: 'Consent receipt' },
  receiptLead: {
    ja: 'この記録は連携基盤が電子署名したもので、ISO/IEC TS 27560 の同意記録の項目を含みます。印刷はブラウザの印刷機能をお使いください。',
    en: 'This record is signed by the platform and carries the fields of an ISO/IEC TS 27560 consent record. Use your browser\'s print function to print it.',
  },
  download: { ja: 'JSONでダウンロード', en: 'Download as JSON' },
  backToHistory: { ja: '履歴に戻る', en: 'Back to the history' },
  recordId: { ja: '記録ID', en: 'Record ID' },
  issuedAt: { ja: '記録日時', en: 'Recorded at' },
  principal: { ja: 'あなたを表す番号（提供先サービスでの番号）', en: 'You, as the recipient knows you' },
  principalHint: { ja: '共通IDではなく、このサービス専用の番号です。', en: 'Not your common ID: a number only this service sees.' },
  consentRef: { ja: '同意ID・版', en: 'Consent ID and version' },
  collection: { ja: '記録の方法', en: 'How it was recorded' },
  processing: { ja: 'データの取扱い', en: 'Processing' },
  basis: { ja: '法的根拠', en: 'Lawful basis' },
  chain: { ja: '記録の連鎖', en: 'Chain' },
  chainText: { ja: 'あなたの {n} 番目の記録。前の記録のハッシュ: {h}', en: 'Your receipt no. {n}. Hash of the previous one: {h}' },
  none: { ja: 'なし（最初の記録）', en: 'none (first receipt)' },
  signature: { ja: '電子署名（JWS）', en: 'Signature (JWS)' },
  provisionsTitle: { ja: '提供記録（誰がデータを受け取ったか）', en: 'Who received my data' },
  provisionsLead: { ja: 'あなたの同意に基づいて、サービス間でデータが提供された記録です。連携基盤はデータの中身を保持せず、いつ・どこから・どこへ・どの項目が提供されたかだけを記録します。', en: 'Every time data was passed between services under your consent. The platform never keeps the data itself, only when, from whom, to whom and which items.' },
  noProvisions: { ja: 'まだ提供記録はありません。データが提供されると、ここに日時・提供元・提供先・項目が表示されます。', en: 'Nothing has been provided yet. When data is provided, the date, provider, recipient and items appear here.' },
  provider: { ja: '提供元', en: 'From' },
  consumer: { ja: '提供先', en: 'To' },
  outcome: { ja: '結果', en: 'Result' },
  provided: { ja: '提供済み', en: 'Provided' },
  refused: { ja: '提供を拒否', en: 'Refused' },
  linksTitle: { ja: '連携サービス', en: 'Linked services' },
  linksLead: { ja: 'Tottori ID と会員番号（個別ID）を連携しているサービスです。連携を解除すると、サービス間でのデータ提供にあなたの会員番号が使われなくなります。', en: 'Services whose member number (local ID) is linked to your Tottori ID. Once unlinked, your member number is no longer used for exchanges between services.' },
  unlinked: { ja: '連携を解除しました。', en: 'The link was removed.' },
} satisfies Record<string, Msg>;

/** A consent's state, as a tag. */
export const stateLabels = {
  active: { ja: '同意中', en: 'Agreed' },
  withdrawn: { ja: '撤回済み', en: 'Withdrawn' },
  expired: { ja: '期限切れ', en: 'Expired' },
  paused: { ja: '一時停止（再確認が必要）', en: 'Paused (decide again)' },
  none: { ja: '未回答', en: 'Not answered' },
} satisfies Record<ConsentState | 'none', Msg>;

/** What happened to a consent in one version. */
export const eventLabels = {
  given: { ja: '同意', en: 'Consent given' },
  withdrawn: { ja: '撤回', en: 'Withdrawn' },
  expired: { ja: '期限切れ', en: 'Expired' },
  paused: { ja: '一時停止（条件の変更）', en: 'Paused (terms changed)' },
} satisfies Record<ConsentEventType, Msg>;

/** How a consent receipt was recorded. */
export const collectionMethodLabels = {
  'portal-form': { ja: 'ポータルの画面', en: 'Portal page' },
  'portal-api': { ja: 'ポータルのアプリ（API）', en: 'Portal app (API)' },
  system: { ja: '連携基盤による自動記録', en: 'Recorded by the platform' },
} satisfies Record<CollectionMethod, Msg>;

/** The resident manual's page. */
export const manualText = {
  title: { ja: '操作マニュアル（県民等向け）', en: 'Resident manual' },
  contents: { ja: '目次', en: 'Contents' },
  missing: { ja: 'マニュアルを表示できません。時間をおいて再度お試しください。', en: 'The manual cannot be shown right now. Please try again later.' },
} satisfies Record<string, Msg>;

/** The page an error on a portal page becomes. */
export const errorPageText = {
  title: { ja: '操作を完了できませんでした', en: 'This could not be done' },
  back: { ja: '前の画面に戻る', en: 'Go back' },
  home: { ja: 'ホームへ', en: 'Home' },
  retry: { ja: 'もう一度ログインする', en: 'Sign in again' },
  code: { ja: 'エラーコード', en: 'Error code' },
} satisfies Record<string, Msg>;
