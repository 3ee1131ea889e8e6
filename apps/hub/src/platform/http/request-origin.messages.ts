import type { Msg } from '@tsunagu/web';

/** The page a refused cross-site form post becomes (the reason's words: libs/contracts request-origin.ts). */
export const requestOriginText = {
  title: { ja: '送信を受け付けられませんでした', en: 'The request was refused' },
  home: { ja: 'トップページへ', en: 'Go to the top page' },
} satisfies Record<string, Msg>;
