import type { Msg } from '@tsunagu/web';

/* Every word of the password-reset, e-mail and sessions pages, Japanese and English side by side. */

/** Password reset (パスワードの再設定). */
export const recoveryText = {
  title: { ja: 'パスワードを忘れたとき', en: 'Forgot your password' },
  lead: { ja: 'パスワードを再設定する方法を選んでください。再設定すると、すべての端末とサービスからログアウトされます。', en: 'Choose how to reset your password. Resetting signs you out of every device and service.' },
  byCard: { ja: 'マイナンバーカードで再設定する', en: 'Reset with the My Number card' },
  byCardHint: { ja: 'このアカウントの本人確認に使ったマイナンバーカードが必要です。', en: 'You need the My Number card you verified this account with.' },
  byEmail: { ja: 'メールで再設定する', en: 'Reset by e-mail' },
  byEmailHint: { ja: 'マイページで確認済みのメールアドレスに、再設定のリンクを送ります。', en: 'We send a reset link to the e-mail address you confirmed in your account.' },
  emailUnavailable: {
    ja: 'このシステムでは現在メールを送れないため、メールでの再設定は使えません。マイナンバーカードで再設定してください。',
    en: 'This system cannot send e-mail at present, so reset by e-mail is not available. Please reset with your My Number card.',
  },
  neither: {
    ja: 'カードでの本人確認もメールアドレスの登録もしていない場合は、お問い合わせ窓口にご相談ください。',
    en: 'If you neither verified with the card nor added an e-mail address, please contact the inquiry desk.',
  },
  loginId: { ja: 'ログインID', en: 'Login ID' },
  email: { ja: 'メールアドレス', en: 'E-mail address' },
  send: { ja: '再設定のリンクを送る', en: 'Send the reset link' },
  sentTitle: { ja: 'メールを確認してください', en: 'Check your e-mail' },
  sent: {
    ja: 'ログインIDとメールアドレスが確認済みの組み合わせと一致する場合、再設定のリンクを送りました。リンクの有効期限は {minutes} 分です。数分たっても届かない場合は、入力内容を確かめてもう一度お試しください。',
    en: 'If the login ID and the e-mail address match a confirmed pair, we have sent a reset link. It is valid for {minutes} minutes. If nothing arrives within a few minutes, check what you typed and try again.',
  },
  cardTitle: { ja: 'マイナンバーカードで再設定', en: 'Reset with the My Number card' },
  cardLead: { ja: 'ログインIDを入力してください。次の画面で、マイナンバーカードの署名用電子証明書（6〜16桁の暗証番号）で本人であることを確かめます。', en: 'Enter your login ID. On the next page, your My Number card\'s signature certificate (PIN of 6–16 characters) confirms that it is you.' },
  next: { ja: '次へ', en: 'Next' },
  cardChallengeTitle: { ja: 'カードで署名してください', en: 'Sign with your card' },
  cardChallengeLead: {
    ja: 'カード読み取りアプリで、次の確認コードに署名してください。アプリが再設定のページを開きます。確認コードの有効期限は {time} です。',
    en: 'Sign the code below with your card reader app. The app opens the reset page. The code is valid until {time}.',
  },
  challengeId: { ja: '受付番号', en: 'Request ID' },
  challenge: { ja: '確認コード', en: 'Code to sign' },
  testCard: { ja: 'テスト用カードで署名する（開発環境のみ）', en: 'Sign with the test card (development only)' },
  newTitle: { ja: '新しいパスワードの設定', en: 'Choose a new password' },
  newLead: { ja: '確認のため、ログインIDをもう一度入力してください。パスワードは10文字以上で、ログインIDを含めないでください。', en: 'Enter your login ID again to confirm. The password needs at least 10 characters and must not contain the login ID.' },
  password: { ja: '新しいパスワード', en: 'New password' },
  passwordConfirm: { ja: '新しいパスワード（確認）', en: 'New password (again)' },
  save: { ja: 'パスワードを変更する', en: 'Change the password' },
  doneTitle: { ja: 'パスワードを変更しました', en: 'Your password has been changed' },
  done: {
    ja: 'パスワードを変更しました。安全のため、すべての端末とサービスからログアウトしました（{sessions} 件のログイン、{grants} 件のサービスの許可を終了）。新しいパスワードでログインしてください。サービスには、次に使うときにもう一度ログインと許可が必要です。',
    en: 'Your password has been changed. For your safety, you have been signed out of every device and service ({sessions} sessions and {grants} service permissions ended). Sign in with the new password. Services will ask you to sign in and allow them again.',
  },
  signIn: { ja: 'ログインする', en: 'Sign in' },
  back: { ja: '再設定の方法の選択に戻る', en: 'Back to the choice of method' },
  forgot: { ja: 'パスワードを忘れた方', en: 'Forgot your password?' },
} satisfies Record<string, Msg>;

/** The e-mail address of the account. */
export const emailText = {
  title: { ja: 'メールアドレス', en: 'E-mail address' },
  lead: { ja: 'メールアドレスを登録すると、パスワードを忘れたときにメールで再設定できます（任意）。登録したアドレスは、パスワードの再設定とその確認にだけ使います。', en: 'With an e-mail address, you can reset a forgotten password by e-mail (optional). The address is used only for password reset and its confirmation.' },
  unavailable: {
    ja: 'このシステムでは現在メールを送れないため、メールアドレスの登録とメールでの再設定は使えません。パスワードを忘れたときは、マイナンバーカードで再設定できます。',
    en: 'This system cannot send e-mail at present, so adding an address and reset by e-mail are not available. If you forget your password, you can reset it with your My Number card.',
  },
  current: { ja: '登録しているアドレス', en: 'Your address' },
  verified: { ja: '確認済み', en: 'Confirmed' },
  none: { ja: '登録していません。', en: 'None added.' },
  pending: { ja: '確認待ち: {address} に送ったメールのリンクを開いてください。', en: 'Waiting: open the link in the mail sent to {address}.' },
  newAddress: { ja: '新しいメールアドレス', en: 'New e-mail address' },
  send: { ja: '確認のメールを送る', en: 'Send the confirmation mail' },
  sent: { ja: '確認のメールを送りました。メールのリンクを開くと登録が完了します。', en: 'We sent a confirmation mail. Open its link to finish.' },
  remove: { ja: '登録を削除する', en: 'Remove the address' },
  removed: { ja: 'メールアドレスの登録を削除しました。', en: 'The e-mail address was removed.' },
  confirmTitle: { ja: 'メールアドレスの確認', en: 'Confirm your e-mail address' },
  confirmLead: { ja: '「確認する」を押すと、このメールアドレスをアカウントに登録します。', en: 'Press "Confirm" to add this e-mail address to your account.' },
  confirm: { ja: '確認する', en: 'Confirm' },
  confirmedTitle: { ja: 'メールアドレスを登録しました', en: 'E-mail address added' },
  confirmed: { ja: 'メールアドレスを確認し、登録しました。パスワードを忘れたときは、このアドレスで再設定できます。', en: 'Your e-mail address is confirmed and added. If you forget your password, you can reset it with this address.' },
  toAccount: { ja: 'マイページへ', en: 'Go to my account' },
  settings: { ja: 'メールアドレスの設定', en: 'E-mail settings' },
} satisfies Record<string, Msg>;

/** Sessions and devices (ログイン中の端末). */
export const sessionsText = {
  title: { ja: 'ログイン中の端末', en: 'Signed-in devices' },
  lead: { ja: 'あなたの Tottori ID でログインしている端末です。心当たりのない端末があれば、ログアウトさせてパスワードを変更してください。', en: 'The devices signed in with your Tottori ID. If you see one you do not recognise, end it and change your password.' },
  device: { ja: '端末', en: 'Device' },
  signedInAt: { ja: 'ログイン日時', en: 'Signed in' },
  lastSeen: { ja: '最後の利用', en: 'Last used' },
  address: { ja: '接続元IPアドレス', en: 'IP address' },
  unknown: { ja: '不明', en: 'Unknown' },
  current: { ja: 'この端末', en: 'This device' },
  services: { ja: 'ログインしたサービス {n} 件', en: '{n} services signed in' },
  end: { ja: 'ログアウトさせる', en: 'Sign out' },
  endAll: { ja: 'すべての端末からログアウトする', en: 'Sign out of every device' },
  none: { ja: 'ログイン中の端末はありません。', en: 'No device is signed in.' },
  confirmTitle: { ja: 'ログアウトの確認', en: 'Confirm sign-out' },
  confirmOne: { ja: '次の端末をログアウトさせます。その端末で Tottori ID を使ってログインしたサービスにも、ログアウトを通知します。', en: 'This device will be signed out. The services it signed in to with your Tottori ID are told too.' },
  confirmCurrent: { ja: 'これはいま使っている端末です。ログアウトすると、もう一度ログインが必要です。', en: 'This is the device you are using: you will need to sign in again.' },
  confirmAll: { ja: 'この端末を含むすべての端末からログアウトします。各端末でログインしたサービスにもログアウトを通知します。もう一度ログインが必要です。', en: 'Every device, this one included, will be signed out, and the services they signed in to are told. You will need to sign in again.' },
  yes: { ja: 'ログアウトさせる', en: 'Sign out' },
  cancel: { ja: 'やめる', en: 'Cancel' },
  ended: { ja: '端末をログアウトさせました。', en: 'The device was signed out.' },
} satisfies Record<string, Msg>;

/** The account page's section about sign-in safety. */
export const securityText = {
  title: { ja: 'ログインと安全', en: 'Sign-in and safety' },
  sessions: { ja: 'ログイン中の端末を確認する', en: 'See the signed-in devices' },
  email: { ja: 'メールアドレス（パスワード再設定用）', en: 'E-mail address (for password reset)' },
} satisfies Record<string, Msg>;
