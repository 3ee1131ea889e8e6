import type { Msg } from '@tsunagu/web';

/** The front page's words, Japanese first. */
export const homeText = {
  title: { ja: 'Tsunagu（つなぐ）', en: 'Tsunagu' },
  lead: { ja: '鳥取県と県内市町村のパーソナル系データ連携基盤です。ひとつの Tottori ID で各サービスにログインでき、どのデータをどのサービスに提供するかをご自身で決められます。', en: 'The personal-data linkage platform of Tottori prefecture and its municipalities. One Tottori ID signs you in to every service, and you decide which data goes to which service.' },
  account: { ja: 'マイページへ', en: 'Go to my account' },
} satisfies Record<string, Msg>;
