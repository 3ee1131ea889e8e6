import type { CollectionMethod, ConsentEventType, ConsentState, ControllerType } from '@tsunagu/contracts';
import type { Msg } from '@tsunagu/web';

/*
 * Every word the resident portal shows, Japanese and English side by side, one table per screen.
 * Views pick from here; controllers, views and filters hold no words of their own.
 */

/** The menu of every portal page, by section. */
export const navText = {
  home: { ja: 'ホーム', en: 'Home' },
  notices: { ja: 'お知らせ', en: 'Notices' },
  'data-uses': { ja: 'データ利用の依頼', en: 'Requests for data' },
  consents: { ja: '同意の管理', en: 'My consents' },
  provisions: { ja: '提供記録', en: 'Who received my data' },
  links: { ja: '連携サービス', en: 'Linked services' },
  inquiries: { ja: 'お問い合わせ', en: 'Inquiries' },
} satisfies Record<string, Msg>;

/** The sign-out link of every portal page's menu. */
export const footerText = {
  signOut: { ja: 'ログアウト', en: 'Sign out' },
} satisfies Record<string, Msg>;

/** What the platform is for, in one sentence: the front page and the portal home open with it. */
export const purposeText: Msg = {
  ja: 'Tsunagu は、ひとつの Tottori ID で県や市町村のサービスにログインし、どのデータをどのサービスに渡すかをあなた自身が決めて確かめられる、鳥取県のしくみです。',
  en: 'Tsunagu is Tottori Prefecture\'s service that lets you sign in to prefectural and municipal services with one Tottori ID, and decide and check which of your data goes to which service.',
};

/** The hub's front page. */
export const homeText = {
  title: { ja: 'Tsunagu 鳥取県パーソナル系データ連携基盤', en: 'Tsunagu, Tottori Prefecture' },
  account: { ja: 'マイページへ（ログイン）', en: 'Go to my account (sign in)' },
  manual: { ja: '使い方を見る', en: 'How it works' },
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
  noLinks: { ja: 'ログインを許可しているサービスも、連携しているサービスもありません。', en: 'No service may sign you in, and none is linked.' },
  service: { ja: 'サービス', en: 'Service' },
  localId: { ja: 'サービスでの番号（個別ID）', en: 'Local account ID' },
  linkedAt: { ja: '連携日時', en: 'Linked at' },
  signInAccess: { ja: 'Tottori ID でのログイン', en: 'Sign-in with Tottori ID' },
  accessAllowed: { ja: '許可しています', en: 'Allowed' },
  accessNone: { ja: '許可していません', en: 'Not allowed' },
  noLocalId: { ja: '（連携なし）', en: '(not linked)' },
  unlink: { ja: '連携を解除', en: 'Remove' },
  unlinked: { ja: '連携を解除しました。このサービスへのログインの許可と、サービスが持っていたトークンは取り消されました。', en: 'The service was removed. Its permission to sign you in and the tokens it held have been revoked.' },
  removalExplained: {
    ja: '「連携を解除」すると、そのサービスへの Tottori ID でのログインの許可が取り消され、サービスが持っているアクセストークンとリフレッシュトークンはすべて使えなくなります。会員番号（個別ID）の連携も解除されます。ログアウトの通知（バックチャネル・ログアウト）に対応したサービスでは、そのサービスの画面からもログアウトされます。対応していないサービスの画面は、そのサービスでログアウトするまで開いたままのことがあります。次にそのサービスを使うときは、もう一度ログインと許可が必要です。データ提供への同意はこの操作では変わりません（「同意の管理」で取り消せます）。',
    en: 'Removing a service withdraws its permission to sign you in with your Tottori ID, and every access token and refresh token it holds stops working. Your member number (local ID) is unlinked too. A service that supports logout notices (back-channel logout) also signs you out of its own pages; a service that does not may keep its pages open until you sign out there. To use the service again you will sign in and allow it again. Your consents to data exchanges are not changed by this (withdraw them under "My consents").',
  },
  notices: { ja: 'お知らせ {n}件', en: 'Notices: {n}' },
  noNotices: { ja: 'お知らせはありません', en: 'No notices' },
  shortcuts: { ja: 'データの提供について', en: 'About your data' },
  consents: { ja: '同意の管理（履歴・記録）', en: 'My consents (history and receipts)' },
  provisions: { ja: '提供記録（誰がデータを受け取ったか）', en: 'Who received my data' },
  logout: { ja: 'ログアウト', en: 'Sign out' },
  verifyNow: { ja: 'マイナンバーカードで本人確認する', en: 'Verify with the My Number card' },
  verifyDetails: { ja: '詳細', en: 'Details' },
  signedOutTitle: { ja: 'ログアウトしました', en: 'You have signed out' },
  signedOut: { ja: 'ログアウトしました。このポータルと Tottori ID のログイン状態は終了しています。', en: 'You have signed out. Your sign-in to this portal and your Tottori ID session have ended.' },
  signedOutServices: {
    ja: 'ログアウトの通知に対応したサービスからもログアウトしました。通知に対応していないサービスの画面は、そのサービスでログアウトするまでログインしたままです。共用のパソコンでは、そうしたサービスでもログアウトし、ブラウザを閉じてください。サービスが次に Tottori ID でのログインを求めたときは、もう一度 ID とパスワードの入力が必要です。',
    en: 'The services that accept logout notices have signed you out too. A service that does not stays signed in until you sign out there: on a shared computer, sign out of such services too and close the browser. The next time a service asks for your Tottori ID, you will have to enter your ID and password again.',
  },
  signInAgain: { ja: 'もう一度ログインする', en: 'Sign in again' },
} satisfies Record<string, Msg>;

/** Identity proofing with the My Number card (`/account/verify`). */
export const verifyText = {
  title: { ja: 'マイナンバーカードで本人確認', en: 'Verify your identity with the My Number card' },
  lead: { ja: 'マイナンバーカードの署名用電子証明書で、Tottori ID があなたご本人のものであることを確認します。確認が済むと、本人確認が必要なサービスを利用できます。', en: 'The signature certificate of your My Number card confirms that this Tottori ID is yours. Services that need a confirmed identity then accept it.' },
  kept: { ja: '保存する情報：確認した日時と証明書の有効期限、同じカードで別のアカウントを確認できないようにするための識別値、証明書が失効していないかを後から確かめるための発行者名とシリアル番号（暗号化して保存）のみです。氏名・住所などの情報は保存しません。', en: 'What we keep: the time of the check, the certificate expiry, a keyed identifier that stops one card from verifying two accounts, and the certificate\'s issuer and serial number (encrypted) to check later that it has not been revoked. Your name, address and other attributes are not stored.' },
  verified: { ja: '本人確認済みです', en: 'Your identity is verified' },
  verifiedAt: { ja: '確認日時', en: 'Verified at' },
  notVerified: { ja: 'まだ本人確認をしていません', en: 'Not verified yet' },
  howTo: { ja: 'スマートフォンの対応アプリでマイナンバーカードを読み取り、署名用電子証明書のパスワード（英数字6〜16文字）を入力してください。', en: 'Read your My Number card with a supported app on your phone and enter the signature certificate password (6–16 letters and digits).' },
  testTitle: { ja: '開発用：テスト用カード', en: 'Development: test card' },
  testWarning: { ja: 'これはテスト専用の機能です。本番環境では使用できません。テスト用の認証局が発行したカードで署名します。', en: 'For testing only, never available in production. A card issued by the test CA signs the challenge.' },
  testButton: { ja: 'テスト用カードで本人確認する', en: 'Verify with the test card' },
  done: { ja: '本人確認が完了しました。', en: 'Your identity has been verified.' },
  back: { ja: 'マイページに戻る', en: 'Back to my account' },
  stepUpReturn: { ja: 'ご利用のサービスが本人確認を求めています。確認が終わると、サービスのログインに戻ります。', en: 'The service you are signing in to asks for this verification. When it is done, you go back to signing in there.' },
  backToSignIn: { ja: 'サービスのログイン画面に戻る', en: 'Back to signing in to the service' },
  lapsedTitle: { ja: '本人確認をもう一度お願いします', en: 'Please verify your identity again' },
  lapsedRevoked: {
    ja: '以前の本人確認に使ったマイナンバーカードの電子証明書が失効しました。氏名や住所が変わったとき、カードを更新・再発行したときなどに、電子証明書は自動的に失効します。',
    en: 'The certificate of the My Number card you verified with has been revoked. This happens automatically when your name or address changes, or when the card is renewed or reissued.',
  },
  lapsedExpired: { ja: '以前の本人確認に使ったマイナンバーカードの電子証明書の有効期限が切れました。', en: 'The certificate of the My Number card you verified with has expired.' },
  lapsedWhy: {
    affiliationChanged: { ja: '理由：氏名・住所などの変更', en: 'Reason: a change of name, address or similar' },
    keyCompromise: { ja: '理由：カードの紛失・盗難など', en: 'Reason: the card was lost or stolen, or similar' },
    cessationOfOperation: { ja: '理由：カードの返納・廃止など', en: 'Reason: the card was returned or cancelled, or similar' },
    superseded: { ja: '理由：電子証明書の更新', en: 'Reason: the certificate was renewed' },
  },
  lapsedPaused: {
    ja: '本人確認が必要なデータ提供は一時停止しています。新しいカード（または更新した電子証明書）で本人確認をすると、自動的に再開します。',
    en: 'Data provisions that need a verified identity are paused. Verify again with your new card (or renewed certificate) and they resume automatically.',
  },
  phoneTitle: { ja: 'スマートフォンのアプリで本人確認する', en: 'Verify with the app on your phone' },
  phoneLead: {
    ja: 'このパソコンの画面に QR コードを表示します。スマートフォンのマイナンバーカード読み取りアプリで読み取り、アプリの案内に従ってください。',
    en: 'This shows a QR code on this screen. Scan it with the My Number card app on your phone and follow the app.',
  },
  phoneButton: { ja: 'QR コードを表示する', en: 'Show the QR code' },
  phoneScan: { ja: 'スマートフォンのアプリでこの QR コードを読み取ってください。', en: 'Scan this QR code with the app on your phone.' },
  phoneLink: { ja: 'スマートフォンでこの画面を見ている場合は、こちらからアプリを開けます', en: 'If you are reading this on your phone, open the app from here' },
  phoneCode: { ja: 'QR コードを読み取れない場合は、アプリにこの連携コードを入力してください', en: 'If the QR code cannot be scanned, enter this code in the app' },
  phoneExpires: { ja: 'QR コードの有効期限', en: 'The QR code is valid until' },
  phoneOnce: { ja: 'QR コードは一度だけ使えます。他の人に見せないでください。', en: 'The QR code works once. Do not show it to anyone else.' },
  phoneWaiting: { ja: 'スマートフォンでの操作を待っています。', en: 'Waiting for your phone.' },
  phoneCheck: { ja: '結果を表示する（スマートフォンでの操作が終わったら押してください）', en: 'Show the result (press when you have finished on your phone)' },
  phoneVerified: { ja: 'スマートフォンのアプリで本人確認が完了しました。', en: 'Your identity has been verified with the app on your phone.' },
  phoneRefused: { ja: 'スマートフォンのアプリでの本人確認ができませんでした。', en: 'The verification with the app on your phone did not succeed.' },
  phoneExpired: { ja: 'QR コードの有効期限が切れました。もう一度表示してください。', en: 'The QR code has expired. Show a new one.' },
  phoneRetry: { ja: 'もう一度 QR コードを表示する', en: 'Show a new QR code' },
  appTitle: { ja: 'マイナンバーカード読み取りアプリで開いてください', en: 'Open this in the My Number card app' },
  appLead: {
    ja: 'このリンクは、マイナンバーカード読み取りアプリで本人確認を続けるためのものです。アプリが開かない場合は、アプリを起動して「QR コードを読み取る」から、パソコンの画面の QR コードを読み取ってください。',
    en: 'This link continues your identity verification in a My Number card app. If the app did not open, start it and scan the QR code on your computer screen.',
  },
} satisfies Record<string, Msg | Record<string, Msg>>;

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
  statisticsTag: { ja: '統計（集計値のみ）', en: 'Statistics (aggregates only)' },
  statisticsTitle: { ja: '統計への協力です', en: 'This is a contribution to statistics' },
  statisticsLead: {
    ja: 'あなたのデータそのものは送られません。「{item}」を持つサービスの側で、協力に同意した人たちの{aggregate}を{groups}計算し、その結果だけが{who}に渡ります。',
    en: 'Your data itself is not sent. The service that holds "{item}" computes the {aggregate}{groups} over everyone who agreed to take part, and only the result goes to {who}.',
  },
  statisticsSmall: { ja: '{k}人未満のまとまりは伏せられ、合計から逆算できないようにもします。', en: 'Groups of fewer than {k} people are hidden, and so are the figures they could be worked out from.' },
  statisticsNoise: { ja: '公表する数値には、個人の特定を防ぐためのわずかな誤差（雑音）を加えます。', en: 'A small random error (noise) is added to every published figure so that no one can be singled out.' },
  statisticsPeriod: { ja: '集計の対象期間: {from}〜{to}', en: 'Months counted: {from} to {to}' },
  statisticsWithdraw: { ja: '撤回すると、その後の集計には含まれません（すでに公表された集計値は変わりません）。', en: 'If you withdraw, you are left out of every later computation (figures already published stay as they are).' },
  whoStatistics: { ja: '集計値を受け取るサービス', en: 'Who receives the aggregates' },
  whatStatistics: { ja: '集計に使うデータ（提供元の外には出ません）', en: 'Data counted (it never leaves the provider)' },
  retentionStatistics: { ja: '受け取った集計値の保存期間: {n}日', en: 'The recipient keeps the aggregates for {n} days' },
  withdrawHowStatistics: {
    ja: 'このページまたは「同意の管理」の「同意を撤回する」ボタンで、いつでも撤回できます。撤回した後の集計には含まれません。',
    en: 'Press "Withdraw consent" on this page or under "My consents" at any time. You are left out of every computation after that.',
  },
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
  receiptKept: {
    ja: '同意の記録（レシート）は電子署名付きで保存され、いつでも確認・ダウンロードできます。',
    en: 'A signed record (receipt) of your decision is kept and can be viewed and downloaded at any time.',
  },
  controllerType: { ja: '取扱責任者の種類', en: 'Type of organisation' },
  purposeCategory: { ja: '利用目的の分類', en: 'Kind of purpose' },
  reason: { ja: '理由', en: 'Why' },
  endedFinal: {
    ja: 'この同意は終了しました。データは提供されません。改めて同意することはできません（新しい依頼が届いたときは、「データ利用の依頼」に表示されます）。',
    en: 'This consent has ended. No data is provided. It cannot be given again (a new request, if one comes, appears under "Requests for data").',
  },
  pausedNote: { ja: 'この同意は一時停止中です。停止している間、データは提供されません。', en: 'This consent is paused. No data is provided while it is paused.' },
  agree: { ja: '同意する', en: 'Agree' },
  update: { ja: 'この内容で同意を更新する', en: 'Update my consent' },
  agreeAgain: { ja: '新しい条件で同意する', en: 'Agree to the new terms' },
  identityRequiredTag: { ja: '本人確認が必要', en: 'Verification needed' },
  identityRequiredTitle: { ja: 'このデータ利用には、マイナンバーカードによる本人確認が必要です', en: 'This data use needs your identity verified with the My Number card' },
  identityRequiredNotVerified: {
    ja: 'まだ本人確認をしていないため、同意できません。マイナンバーカードの署名用電子証明書で本人確認をしてから、このページに戻って同意してください。',
    en: 'You have not verified your identity yet, so you cannot agree. Verify with the signature certificate of your My Number card, then come back to this page to agree.',
  },
  identityRequiredLapsed: {
    ja: 'お使いのカードの電子証明書が失効したか有効期限が切れたため、本人確認が無効になっています。新しいカードで本人確認をしてから同意してください。',
    en: 'Your verification is no longer valid: the certificate of your card was revoked or has expired. Verify again with your new card, then agree.',
  },
  verifyIdentity: { ja: 'マイナンバーカードで本人確認する', en: 'Verify with the My Number card' },
  decline: { ja: '同意しない', en: 'Do not agree' },
  withdrawButton: { ja: '同意を撤回する', en: 'Withdraw consent' },
  declined: { ja: '同意しませんでした。データは提供されません。', en: 'You did not agree. No data will be shared.' },
  given: { ja: '同意しました。同意の記録（レシート）を発行しました。', en: 'You agreed. A signed consent receipt was issued.' },
  withdrawnDone: { ja: '同意を撤回しました。', en: 'Your consent was withdrawn.' },
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
  consentOfProvision: { ja: 'この提供のもとになった同意', en: 'The consent behind it' },
  receiptUnconfirmedHint: {
    ja: '「受け取りは確認できていません」：提供元はデータを送ったと記録していますが、提供先のサービスから受け取ったという報告が届いていません。この記録は消さずに残します。',
    en: '"Receipt not confirmed": the provider recorded that it sent the data, but the recipient has not reported receiving it. The entry is kept all the same.',
  },
  linksTitle: { ja: '連携サービス', en: 'Linked services' },
  linksLead: { ja: 'Tottori ID でのログインを許可しているサービスと、会員番号（個別ID）を連携しているサービスです。連携を解除すると、サービス間でのデータ提供にあなたの会員番号が使われなくなります。', en: 'Services you have allowed to sign you in with your Tottori ID, and services whose member number (local ID) is linked to it. Once unlinked, your member number is no longer used for exchanges between services.' },
} satisfies Record<string, Msg>;

/** The lawful basis of a data use in plain words, by the type of its controller (the data-use page). */
/** How a change that stops data was enforced at the connectors (ARCHITECTURE.md §6). */
export const enforcementText = {
  title: { ja: '連携先での停止', en: 'Stopping at the connected services' },
  complete: {
    ja: 'すべての連携先が停止を確認しました（{at}）。この時刻より後に、この同意にもとづいてデータが提供されることはありません。',
    en: 'Every connected service confirmed it has stopped ({at}). No data is shared under this consent after that moment.',
  },
  nothingFlowing: {
    ja: 'この同意にもとづいてデータを受け取っている連携先はありませんでした。データは提供されません。',
    en: 'No connected service was receiving data under this consent. No data is shared.',
  },
  pending: {
    ja: '一部の連携先からまだ停止の確認が届いていません。遅くとも {by} までに、すべての連携先で停止します（確認が届かなくても、その時刻を過ぎると連携先はデータを提供できなくなります）。',
    en: 'Some connected services have not confirmed yet. Sharing stops everywhere by {by} at the latest (even without a confirmation, they can no longer share data after that moment).',
  },
  lapsed: {
    ja: '停止の確認が届かなかった連携先も、{by} 以降はデータを提供できません。',
    en: 'Connected services that did not confirm can no longer share data since {by}.',
  },
  committedAt: { ja: '受付日時', en: 'Recorded at' },
  statement: { ja: '停止の記録（電子署名）', en: 'Signed record of the stop' },
  statementHint: {
    ja: '上の受付日時と停止の時刻を、Tsunagu が同意の記録（レシート）と同じ鍵で署名したものです。',
    en: 'The moments above, signed by Tsunagu with the same key as your consent receipts.',
  },
  enforcedAt: { ja: '停止完了', en: 'Stopped everywhere' },
  enforcedBy: { ja: '停止期限', en: 'Stops everywhere by' },
  connector: { ja: '連携先', en: 'Connected service' },
  role: { ja: '役割', en: 'Role' },
  state: { ja: '状態', en: 'Status' },
  roles: {
    provider: { ja: 'データの提供元', en: 'Shares the data' },
    consumer: { ja: 'データの利用先', en: 'Receives the data' },
  },
  states: {
    enforced: { ja: '停止を確認（{at}）', en: 'Confirmed stopped ({at})' },
    pending: { ja: '確認待ち（遅くとも {at} に停止）', en: 'Waiting for confirmation (stops by {at})' },
    lapsed: { ja: '確認なし（{at} に停止）', en: 'No confirmation (stopped at {at})' },
  },
  /** A consumer only holds a grant: its states say what happens to that grant. */
  consumerStates: {
    enforced: { ja: '停止を確認（{at}）', en: 'Confirmed stopped ({at})' },
    pending: { ja: '確認待ち（受け取りに使う許可証は遅くとも {at} に失効）', en: 'Waiting for confirmation (its grant expires by {at})' },
    lapsed: { ja: '確認なし（許可証は {at} に失効）', en: 'No confirmation (its grant expired at {at})' },
  },
};

export const lawfulBasisText = {
  private: {
    ja: '受け取るのは民間事業者です。個人情報保護法第27条第1項により、あなたの同意がある場合に限って、データが提供されます。',
    en: 'The recipient is a private business. Under Art. 27(1) of the Act on the Protection of Personal Information, the data is provided only with your consent.',
  },
  public: {
    ja: '受け取るのは行政機関等（県・市町村など）です。個人情報保護法第69条第2項第1号により、あなたの同意がある場合に限って、データが提供されます。',
    en: 'The recipient is a public body (the prefecture, a municipality, …). Under Art. 69(2)(i) of the Act on the Protection of Personal Information, the data is provided only with your consent.',
  },
} satisfies Record<ControllerType, Msg>;

/** 「条件が変わりました」: the terms a resident agreed to against the current ones (data-use page). */
export const termsChangeText = {
  title: { ja: '条件が変わりました', en: 'The terms have changed' },
  lead: {
    ja: 'あなたが同意したときから、このデータ利用の条件が変わりました。変更点を確認し、新しい条件で同意するか、同意を撤回してください。同意するまで、データは提供されません。',
    en: 'The terms of this data use have changed since you agreed. Check what changed, then agree to the new terms or withdraw. No data is provided until you agree.',
  },
  unknown: {
    ja: '以前の条件の記録がないため、変更点を表示できません。下の現在の条件をよくお読みください。',
    en: 'The earlier terms are not on record, so the changes cannot be shown. Please read the current terms below.',
  },
  before: { ja: '同意したときの条件', en: 'When you agreed' },
  after: { ja: '新しい条件', en: 'Now' },
  added: { ja: '追加された項目', en: 'Items added' },
  removed: { ja: 'なくなった項目', en: 'Items removed' },
  days: { ja: '{n}日', en: '{n} days' },
  untilWithdrawn: { ja: '撤回するまで', en: 'Until withdrawn' },
  terms: {
    items: { ja: '提供するデータ', en: 'Data shared' },
    title: { ja: '名称', en: 'Name' },
    purpose: { ja: '利用目的', en: 'Purpose' },
    purposeCategory: { ja: '利用目的の分類', en: 'Kind of purpose' },
    retentionDays: { ja: '受け取ったデータの保存期間', en: 'How long the recipient keeps the data' },
    consentValidDays: { ja: '同意の有効期間', en: 'How long your consent is valid' },
    controller: { ja: '個人情報の取扱責任者・連絡先', en: 'Responsible for your data, and contact' },
    controllerType: { ja: '取扱責任者の種類', en: 'Type of organisation' },
    privacyNoticeUrl: { ja: 'プライバシーポリシー', en: 'Privacy notice' },
  },
} as const;

/** The notices page (お知らせ): what changed for the resident's consents. */
export const noticesText = {
  title: { ja: 'お知らせ', en: 'Notices' },
  lead: {
    ja: 'あなたの同意について、連携基盤やサービスの側で起きた変更と、まもなく有効期限が切れる同意のお知らせです。新しいものから順に表示します。',
    en: 'Changes made on the side of the platform or a service to your consents, and consents that expire soon. Newest first.',
  },
  none: { ja: '現在、お知らせはありません。', en: 'There are no notices at the moment.' },
  kinds: {
    paused: { ja: '一時停止', en: 'Paused' },
    ended: { ja: '終了', en: 'Ended' },
    expiring: { ja: 'まもなく期限切れ', en: 'Expires soon' },
  },
  pausedAt: { ja: '停止した日時', en: 'Paused at' },
  endedAt: { ja: '終了した日時', en: 'Ended at' },
  expiresAt: { ja: '有効期限', en: 'Expires on' },
  expiring: { ja: 'この同意の有効期限が近づいています。期限が過ぎるとデータは提供されなくなり、改めて確認をお願いします。', en: 'This consent expires soon. After that no data is provided, and you will be asked again.' },
  decide: { ja: '内容を確認して回答する', en: 'Review and decide' },
  history: { ja: '履歴と記録を見る', en: 'History and receipts' },
  maintenance: { ja: 'システムの計画停止のお知らせは、ホームに表示されます。', en: 'Planned maintenance is announced on the home page.' },
  manual: { ja: 'お知らせについて（操作マニュアル）', en: 'About notices (manual)' },
} as const;

/** A consent's state, as a tag. */
export const stateLabels = {
  active: { ja: '同意中', en: 'Agreed' },
  withdrawn: { ja: '撤回済み', en: 'Withdrawn' },
  expired: { ja: '期限切れ', en: 'Expired' },
  paused: { ja: '一時停止（再確認が必要）', en: 'Paused (decide again)' },
  ended: { ja: '終了', en: 'Ended' },
  none: { ja: '未回答', en: 'Not answered' },
} satisfies Record<ConsentState | 'none', Msg>;

/** What happened to a consent in one version. */
export const eventLabels = {
  given: { ja: '同意', en: 'Consent given' },
  withdrawn: { ja: '撤回', en: 'Withdrawn' },
  expired: { ja: '期限切れ', en: 'Expired' },
  paused: { ja: '一時停止', en: 'Paused' },
  ended: { ja: '終了（データ利用の終了）', en: 'Ended (the data use ended)' },
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
  reference: { ja: 'お問い合わせ番号', en: 'Reference number' },
  verify: { ja: 'マイナンバーカードで本人確認する', en: 'Verify with the My Number card' },
} satisfies Record<string, Msg>;

/** The public site pages: privacy policy, terms of use, inquiries. */
export const siteDocumentText = {
  privacy: { ja: 'プライバシーポリシー', en: 'Privacy policy' },
  terms: { ja: '利用規約', en: 'Terms of use' },
  missing: { ja: 'このページを表示できません。時間をおいて再度お試しください。', en: 'This page cannot be shown right now. Please try again later.' },
  contactTitle: { ja: 'お問い合わせ', en: 'Contact' },
  contactLead: {
    ja: 'ログインできない、同意の内容がわからない、データの提供について確かめたいなど、Tsunagu についてのお問い合わせは次の窓口で受け付けます。各サービスの使い方は、それぞれのサービスにお問い合わせください。',
    en: 'For questions about Tsunagu (you cannot sign in, a request is unclear, you want to check a provision of your data), contact the desk below. For how to use a service itself, contact that service.',
  },
  desk: { ja: '窓口', en: 'Desk' },
  email: { ja: 'メール', en: 'Email' },
  phone: { ja: '電話', en: 'Phone' },
  hours: { ja: '受付時間', en: 'Hours' },
  deskUnset: {
    ja: 'お問い合わせ窓口は準備中です。お住まいの市町村の窓口にお問い合わせください。',
    en: 'The inquiry desk is not yet available. Please ask your municipality\'s office.',
  },
  beforeAsking: {
    ja: 'お問い合わせの際は、画面に表示された「詳細」の内容（お問い合わせ番号）をお伝えいただくと、早く調べられます。パスワードや暗証番号は決してお伝えにならないでください。',
    en: 'If a page showed 「詳細」 (details) with a reference number, tell us that number: it helps us find what happened. Never tell anyone your password or PIN.',
  },
  manualHint: { ja: 'よくある操作は操作マニュアルで説明しています。', en: 'Common tasks are explained in the manual.' },
  openManual: { ja: '操作マニュアルを開く', en: 'Open the manual' },
} satisfies Record<string, Msg>;

/** Checking a receipt file (`/portal/receipts/verify`): public, nothing of the file is kept. */
export const receiptVerifyText = {
  title: { ja: '同意の記録（レシート）を確かめる', en: 'Check a consent receipt' },
  lead: {
    ja: 'ダウンロードした同意の記録が、この連携基盤が電子署名した本物で、書き換えや抜けがないかを確かめます。1件の記録（「JSONでダウンロード」のファイル）でも、まとめてダウンロードしたファイル（consent-receipts.json）でも確かめられます。',
    en: 'Check that a consent receipt you downloaded was signed by this platform and that nothing was altered or left out. Use one receipt (the "Download as JSON" file) or the file of all your receipts (consent-receipts.json).',
  },
  privacy: {
    ja: 'ログインは不要です。選んだファイルや貼り付けた内容は確認にだけ使い、連携基盤には保存しません。結果には、ファイルに書かれていることだけを表示します。',
    en: 'No sign-in needed. The file or text you give is used for the check only and is not stored by the platform. The result shows only what the file itself says.',
  },
  fileLabel: { ja: '記録のファイルを選ぶ（.json、1 MB まで）', en: 'Choose the receipt file (.json, up to 1 MB)' },
  textLabel: { ja: 'または、記録の内容（JSON または電子署名の文字列）を貼り付ける', en: 'Or paste the receipt (JSON, or the signature string)' },
  textHint: { ja: 'ファイルを選んだ場合は、ファイルを確かめます。', en: 'When a file is chosen, the file is checked.' },
  submit: { ja: '確かめる', en: 'Check' },
  again: { ja: '別の記録を確かめる', en: 'Check another receipt' },
  genuine: { ja: 'この記録は本物です（改ざんされていません）', en: 'This receipt is genuine (it has not been altered)' },
  genuineHint: {
    ja: 'この連携基盤の鍵で電子署名されており、内容は署名されたときのままです。抜けがないかは、まとめてダウンロードしたファイルで確かめられます。',
    en: 'It was signed with this platform\'s key and its content is exactly as signed. To check that none is missing, check the file of all your receipts.',
  },
  chainGenuine: { ja: '{n} 件すべて本物で、抜けも並べ替えもありません', en: 'All {n} receipts are genuine, with none missing or reordered' },
  chainGenuineHint: {
    ja: 'どの記録もこの連携基盤の鍵で電子署名されており、1 番目から順に一つ前の記録とつながっています。',
    en: 'Every receipt was signed with this platform\'s key, and each is linked to the one before it, starting from the first.',
  },
  notGenuine: { ja: 'この記録は確かめられませんでした', en: 'This receipt could not be confirmed' },
  chainNotGenuine: { ja: '{n} 件の記録を確かめ、問題が見つかりました', en: 'Problems were found among the {n} receipts' },
  notGenuineHint: {
    ja: 'ポータルから改めてダウンロードしたファイルでもう一度お試しください。それでも同じ結果になるときは、お問い合わせ窓口（操作マニュアル参照）にご相談ください。',
    en: 'Try again with a file freshly downloaded from the portal. If the result is the same, contact the inquiry desk (see the manual).',
  },
  position: { ja: 'ファイルの {n} 件目', en: 'Receipt {n} of the file' },
  sequenceNo: { ja: '{n} 番目の記録', en: 'receipt no. {n}' },
  says: { ja: '記録に書かれていること', en: 'What the receipt says' },
  event: { ja: '出来事', en: 'Event' },
  when: { ja: '記録日時', en: 'Recorded at' },
  recipient: { ja: 'データを受け取るサービス', en: 'Who receives the data' },
  items: { ja: '項目', en: 'Items' },
  purpose: { ja: '利用目的', en: 'Purpose' },
  reason: { ja: '理由', en: 'Why' },
  basis: { ja: '法的根拠', en: 'Lawful basis' },
  controllerType: { ja: '取扱責任者の種類', en: 'Type of organisation' },
  validity: { ja: '有効期間', en: 'Valid' },
  untilWithdrawn: { ja: '撤回まで', en: 'until withdrawn' },
  recordId: { ja: '記録ID', en: 'Record ID' },
  chainPlace: { ja: '記録の連鎖', en: 'Place in the chain' },
  chainPlaceText: { ja: '{n} 番目の記録', en: 'receipt no. {n}' },
  issuer: { ja: '発行した連携基盤', en: 'Issued by' },
  details: { ja: '詳細', en: 'Details' },
  tooLarge: { ja: 'ファイルが大きすぎます。1 MB までのファイルを選んでください。', en: 'The file is too large. Choose a file of up to 1 MB.' },
  unreadable: { ja: '送信された内容を読み取れませんでした。ファイルを1つ選ぶか、内容を貼り付けて、もう一度お試しください。', en: 'What was sent could not be read. Choose one file or paste the receipt, and try again.' },
  manual: { ja: '確かめ方の説明（操作マニュアル）', en: 'How checking works (manual)' },
  consents: { ja: '同意の管理へ', en: 'Go to my consents' },
  link: { ja: '記録が本物か確かめる', en: 'Check that a receipt is genuine' },
} satisfies Record<string, Msg>;

/** What was wrong with a receipt file, in words (`{issuer}`, `{from}`, `{to}`, `{sequence}`, `{max}` filled in). */
export const receiptProblemText = {
  empty: { ja: 'ファイルが空か、何も入力されていません。', en: 'The file is empty, or nothing was given.' },
  not_receipt_file: {
    ja: '同意の記録のファイルではありません。ポータルの「JSONでダウンロード」または「すべての同意の記録をダウンロード（JSON）」で保存したファイルを選んでください。',
    en: 'This is not a consent receipt file. Choose a file saved with "Download as JSON" or "Download all consent receipts (JSON)" in the portal.',
  },
  too_many: { ja: '記録が多すぎます（{max} 件まで確かめられます）。', en: 'Too many receipts (up to {max} can be checked).' },
  malformed: { ja: '記録が壊れているか、途中で切れています。', en: 'The receipt is damaged or cut short.' },
  header: { ja: 'この連携基盤が電子署名した記録の形式ではありません（署名の方式が違うか、署名がありません）。', en: 'This is not signed the way this platform signs receipts (another signature method, or none).' },
  altered: { ja: '電子署名が内容と一致しません。記録が書き換えられています（改ざん）。', en: 'The signature does not match the content: the receipt was altered.' },
  unknown_key: { ja: 'この連携基盤の鍵で電子署名された記録ではありません。', en: 'This receipt was not signed with a key of this platform.' },
  other_hub: {
    ja: '別の連携基盤（{issuer}）が発行した記録です。この画面では、この連携基盤が発行した記録だけを確かめられます。',
    en: 'This receipt was issued by another platform ({issuer}). This page checks only receipts issued by this platform.',
  },
  schema: { ja: '電子署名はありますが、同意の記録に必要な項目がそろっていません。', en: 'It is signed, but it does not have the fields of a consent receipt.' },
  copy_altered: {
    ja: 'ファイル内の読みやすい写し（"receipt" の部分）が、電子署名された内容と一致しません。ファイルが書き換えられています。',
    en: 'The readable copy in the file (the "receipt" part) differs from the signed content: the file was edited.',
  },
  missing_start: { ja: '先頭の記録が抜けています。このファイルは {sequence} 番目の記録から始まっています。', en: 'The first receipts are missing: this file starts at receipt no. {sequence}.' },
  missing: { ja: '{from}〜{to} 番目の記録が抜けています。', en: 'Receipts no. {from}–{to} are missing.' },
  missingOne: { ja: '{from} 番目の記録が抜けています。', en: 'Receipt no. {from} is missing.' },
  order: { ja: '記録の順番が入れ替わっているか、同じ記録が2回含まれています。', en: 'The receipts are out of order, or one appears twice.' },
  link: { ja: '一つ前の記録とつながっていません。前の記録が差し替えられています。', en: 'It is not linked to the receipt before it: that receipt was replaced.' },
} satisfies Record<string, Msg>;
