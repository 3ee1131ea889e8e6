import type { Msg } from '@tsunagu/web';

/** The words of every resident-facing hub page's shell: who runs the site, and the footer. */
export const siteText = {
  brand: { ja: 'Tsunagu', en: 'Tsunagu' },
  brandNote: { ja: '鳥取県 パーソナル系データ連携基盤', en: 'Tottori Prefecture personal-data linkage platform' },
  siteName: { ja: 'Tsunagu 鳥取県パーソナル系データ連携基盤', en: 'Tsunagu, Tottori Prefecture' },
  footerLabel: { ja: 'このサイトについて', en: 'About this site' },
  manual: { ja: '操作マニュアル', en: 'Manual' },
  contact: { ja: 'お問い合わせ', en: 'Contact' },
  inquiry: { ja: 'お問い合わせフォーム', en: 'Inquiry form' },
  notices: { ja: '停止・終了のお知らせ', en: 'Service notices' },
  privacy: { ja: 'プライバシーポリシー', en: 'Privacy policy' },
  terms: { ja: '利用規約', en: 'Terms of use' },
  owner: { ja: '運営：鳥取県・県内市町村', en: 'Run by Tottori Prefecture and its municipalities' },
} satisfies Record<string, Msg>;
