import type { Msg } from '@tsunagu/web';

/* Every word of the sign-in, consent and registration screens, Japanese and English side by side. */

/** What a service receives, by OIDC scope, as the consent screen lists it. */
export const scopeLabels = {
  openid: { ja: 'あなたを識別する番号（サービスごとに異なる番号です）', en: 'An identifier for you (different for every service)' },
  profile: { ja: 'お名前（表示名）', en: 'Your name (display name)' },
  offline_access: { ja: 'ログアウト後もサービスが連携を続けること', en: 'Keeping the connection while you are away' },
} satisfies Record<string, Msg>;

/** What a service receives, by OIDC claim asked for by name (`claims` parameter), as the consent screen lists it. */
export const claimLabels = {
  name: scopeLabels.profile,
} satisfies Record<string, Msg>;

/** The sign-in, consent and registration screens. */
export const interactionText = {
  loginTitle: { ja: 'Tottori ID でログイン', en: 'Sign in with Tottori ID' },
  loginLead: { ja: 'が Tottori ID でのログインを求めています。', en: ' asks you to sign in with your Tottori ID.' },
  loginId: { ja: 'ログインID', en: 'Login ID' },
  password: { ja: 'パスワード', en: 'Password' },
  signIn: { ja: 'ログイン', en: 'Sign in' },
  cancel: { ja: 'キャンセル', en: 'Cancel' },
  noAccount: { ja: 'Tottori ID をお持ちでない方', en: "Don't have a Tottori ID?" },
  register: { ja: '新規登録', en: 'Create an account' },
  forgotPassword: { ja: 'パスワードを忘れた方', en: 'Forgot your password?' },
  consentTitle: { ja: '情報提供の確認', en: 'Allow access' },
  consentLead: { ja: 'に次の情報を提供します。よろしいですか？', en: ' will receive the following. Do you allow it?' },
  allow: { ja: '許可する', en: 'Allow' },
  deny: { ja: '許可しない', en: 'Deny' },
  consentNote: { ja: '許可した内容は、ポータルの「連携サービス」からいつでも確認・解除できます。', en: 'You can review or remove this at any time under "Linked services" in the portal.' },
  registerTitle: { ja: 'Tottori ID の新規登録', en: 'Create a Tottori ID' },
  displayName: { ja: 'お名前（表示名）', en: 'Name (display name)' },
  loginIdHint: { ja: '半角英数字と . _ - @ で4〜64文字', en: '4–64 characters: letters, digits, . _ - @' },
  passwordHint: { ja: '10文字以上。ログインIDを含めないでください。', en: 'At least 10 characters, not containing the login ID.' },
  create: { ja: '登録してログイン', en: 'Create and sign in' },
  back: { ja: 'ログイン画面に戻る', en: 'Back to sign-in' },
  loginMissing: { ja: 'ログインIDとパスワードを入力してください。', en: 'Please enter your login ID and password.' },
} satisfies Record<string, Msg>;

/** The step-up screen: the service asks for an identity verified with the My Number card. */
export const stepUpText = {
  title: { ja: 'マイナンバーカードによる本人確認のお願い', en: 'Please verify your identity with your My Number card' },
  lead: { ja: ' は、マイナンバーカードで本人確認が済んだ Tottori ID でのログインを求めています。', en: ' asks for a Tottori ID whose identity has been verified with the My Number card.' },
  why: {
    ja: 'ご本人であることを確かめてから手続きや情報の提供を行うためです。本人確認は一度だけで、確認した日時だけが記録されます（カードの氏名・住所などの情報は保存されず、このサービスにも渡されません）。',
    en: 'The service needs to be sure it is you before it handles your procedures or data. You verify once; only the date of the verification is kept (the name, address and other details on the card are not stored, nor given to the service).',
  },
  howTo: { ja: 'マイナンバーカードと、署名用電子証明書のパスワード（英数字6〜16文字）をご用意ください。確認が終わると、そのままサービスに戻ります。', en: 'Have your My Number card and its signature certificate password (6–16 letters and digits) at hand. When the verification is done, you go straight back to the service.' },
  verify: { ja: '本人確認へ進む', en: 'Verify my identity' },
  essential: { ja: '本人確認をしない場合、このサービスにはログインできません。', en: 'Without the verification you cannot sign in to this service.' },
  voluntary: { ja: '本人確認をせずに続けることもできます。その場合、サービスの一部の機能が使えないことがあります。', en: 'You may also go on without verifying; some of the service\'s features may then be unavailable.' },
  continueUnverified: { ja: '本人確認をせずに続ける', en: 'Continue without verifying' },
  cancel: { ja: 'キャンセル', en: 'Cancel' },
} satisfies Record<string, Msg>;

/** What is wrong with a registration field, by field. */
export const fieldProblemText = {
  loginId: { ja: 'ログインIDは半角英数字と . _ - @ で4〜64文字にしてください。', en: 'The login ID must be 4–64 letters, digits or . _ - @.' },
  password: { ja: 'パスワードは10文字以上にしてください。', en: 'The password must be at least 10 characters.' },
  displayName: { ja: 'お名前を入力してください（64文字まで）。', en: 'Please enter your name (up to 64 characters).' },
} satisfies Record<string, Msg>;

/** The page a failed or expired sign-in screen becomes. */
export const interactionErrorText = {
  title: { ja: 'ログイン画面の有効期限が切れました', en: 'This sign-in page has expired' },
  lead: { ja: 'お手数ですが、ご利用のサービスの画面から、もう一度「Tottori ID でログイン」を押してください。', en: 'Please go back to the service and choose "Sign in with Tottori ID" again.' },
  errorTitle: { ja: 'エラーが発生しました', en: 'Something went wrong' },
  errorLead: { ja: '時間をおいて、もう一度お試しください。', en: 'Please try again later.' },
  refusedTitle: { ja: '送信を受け付けられませんでした', en: 'The form was refused' },
} satisfies Record<string, Msg>;
