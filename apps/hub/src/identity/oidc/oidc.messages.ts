import type { Msg } from '@tsunagu/web';

/** The pages oidc-provider renders itself: sign-out confirmation, signed out, errors. */
export const oidcText = {
  logoutTitle: { ja: 'ログアウト', en: 'Sign out' },
  logoutQuestion: {
    ja: 'Tottori ID からログアウトしますか？ ポータルと Tottori ID のログイン状態が終了し、次にサービスがログインを求めたときは ID とパスワードの入力が必要になります。ほかのサービスにログインしたままの場合は、それぞれのサービスでもログアウトしてください。',
    en: 'Sign out of your Tottori ID? Your portal and Tottori ID sign-in end, and the next time a service asks you to sign in you will need your ID and password. If you are signed in to other services, sign out of each of them as well.',
  },
  logoutYes: { ja: 'ログアウトする', en: 'Sign out' },
  logoutNo: { ja: 'ログインしたままにする', en: 'Stay signed in' },
  loggedOut: { ja: 'ログアウトしました。', en: 'You have signed out.' },
  loggedOutDetail: { ja: 'Tottori ID のログイン状態は終了しています。ほかのサービスにログインしたままの場合は、それぞれのサービスでもログアウトしてください。', en: 'Your Tottori ID sign-in has ended. If you are signed in to other services, sign out of each of them as well.' },
  errorTitle: { ja: 'エラーが発生しました', en: 'Something went wrong' },
  errorLead: { ja: 'サービスへのログインを続けられませんでした。もう一度サービスの画面からやり直してください。', en: 'The sign-in could not continue. Please start again from the service.' },
} satisfies Record<string, Msg>;
