import type { Msg } from '@tsunagu/web';

/** The pages oidc-provider renders itself: sign-out confirmation, signed out, errors. */
export const oidcText = {
  logoutTitle: { ja: 'ログアウト', en: 'Sign out' },
  logoutQuestion: { ja: 'Tsunagu からログアウトしますか？ すべての連携サービスでのログイン状態が終了します。', en: 'Sign out of Tsunagu? Your sign-in will end for every connected service.' },
  logoutYes: { ja: 'ログアウトする', en: 'Sign out' },
  logoutNo: { ja: 'ログインしたままにする', en: 'Stay signed in' },
  loggedOut: { ja: 'ログアウトしました。', en: 'You have signed out.' },
  errorTitle: { ja: 'エラーが発生しました', en: 'Something went wrong' },
  errorLead: { ja: 'サービスへのログインを続けられませんでした。もう一度サービスの画面からやり直してください。', en: 'The sign-in could not continue. Please start again from the service.' },
} satisfies Record<string, Msg>;
