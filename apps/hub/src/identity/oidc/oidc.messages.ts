import type { Msg } from '@tsunagu/web';

/** The pages oidc-provider renders itself: sign-out confirmation, signed out, errors. */
export const oidcText = {
  logoutTitle: { ja: 'ログアウト', en: 'Sign out' },
  logoutQuestion: {
    ja: 'Tottori ID からログアウトしますか？ ポータルと Tottori ID のログイン状態が終了し、ログアウトの通知に対応したサービスからも、あわせてログアウトします。通知に対応していないサービスは、そのサービスでログアウトするまでログインしたままです。次にサービスがログインを求めたときは ID とパスワードの入力が必要になります。',
    en: 'Sign out of your Tottori ID? Your portal and Tottori ID sign-in end, and the services that accept logout notices sign you out too. A service that does not stays signed in until you sign out there. The next time a service asks you to sign in you will need your ID and password.',
  },
  logoutYes: { ja: 'ログアウトする', en: 'Sign out' },
  logoutNo: { ja: 'ログインしたままにする', en: 'Stay signed in' },
  loggedOut: { ja: 'ログアウトしました。', en: 'You have signed out.' },
  loggedOutDetail: {
    ja: 'Tottori ID のログイン状態は終了し、ログアウトの通知に対応したサービスにはログアウトを伝えました。通知に対応していないサービスにログインしたままの場合は、そのサービスでもログアウトしてください。',
    en: 'Your Tottori ID sign-in has ended, and the services that accept logout notices were told to sign you out. If a service that does not is still signed in, sign out there as well.',
  },
  errorTitle: { ja: 'エラーが発生しました', en: 'Something went wrong' },
  errorLead: { ja: 'サービスへのログインを続けられませんでした。もう一度サービスの画面からやり直してください。', en: 'The sign-in could not continue. Please start again from the service.' },
} satisfies Record<string, Msg>;
