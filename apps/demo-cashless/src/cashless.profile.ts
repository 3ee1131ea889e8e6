import type { DemoProfile } from '@tsunagu/demo-kit';
import { CASHLESS_SEED } from './seed/cashless.seed';

/** How the cashless payment base presents itself on the shared demo screens. */
export const cashlessProfile: DemoProfile = {
  brand: { ja: 'とっとりキャッシュレス（デモ）', en: 'Tottori Cashless (demo)' },
  description: {
    ja: '鳥取県内のお店や温泉施設で使えるキャッシュレス決済基盤のデモです。お支払いごとにポイントがたまります。',
    en: 'A demo of the cashless payment base used at shops and onsen facilities across Tottori. Every payment earns points.',
  },
  features: [
    { ja: 'ポイント残高の確認', en: 'Check your points balance' },
    { ja: '最近のお支払い（温泉施設を含む）の確認', en: 'See your recent payments, onsen facilities included' },
    { ja: 'Tottori ID でのログイン（会員番号との連携は最初の 1 回だけ）', en: 'Sign in with Tottori ID (link your member number once)' },
  ],
  localIdLabel: { ja: '会員番号', en: 'Member number' },
  localIdPattern: /^C-[0-9]{4}-[0-9]{4}$/,
  localIdExample: 'C-2026-0001',
  demoAccounts: CASHLESS_SEED.map((m) => ({ localId: m.memberNumber, pin: m.pin, name: m.name })),
  // The same controller, contact and terms as the data use cashless.health-points of the hub's catalog (apps/hub/src/catalog/catalog.seed.ts).
  privacy: {
    controller: { ja: 'とっとりキャッシュレス決済基盤 運営事務局（デモ）', en: 'Tottori cashless payment base office (demo)' },
    contact: 'privacy@cashless.example.jp',
    holds: {
      ja: '会員番号、氏名（ふりがな）、入会日、ポイント残高、加盟店でのお支払いの履歴、PIN のハッシュ値、Tottori ID との連携の有無（このサービス専用の識別子）。',
      en: 'Your member number, name (with its reading), date of joining, points balance, payments at member shops, a hash of your PIN, and whether your account is linked with Tottori ID (by an identifier for this service only).',
    },
    receives: [{
      dataUse: 'cashless.health-points',
      title: { ja: '歩数と温泉利用に応じた健康ポイントの付与', en: 'Health points for your steps and onsen visits' },
      items: { ja: '三朝温泉ヘルスケアアプリの 1 日ごとの歩数、温泉施設の利用履歴（日付と施設名）', en: 'Your daily steps and onsen visits (dates and facilities) at the Misasa onsen health app' },
      purpose: {
        ja: '歩数と温泉施設の利用に応じて、キャッシュレス決済で使えるポイントを計算して表示するため。',
        en: 'To compute and show points usable for cashless payments according to your steps and onsen visits.',
      },
      retention: {
        ja: '最長 365 日。このデモは受け取ったデータを保存せず、「健康ポイントを確認」を押すたびに受け取って表示します。',
        en: 'At most 365 days. This demo keeps nothing it receives: it receives the data each time you press "Check my health points".',
      },
    }],
    provides: {
      ja: 'あなたが Tottori ID ポータルで同意した場合に限り、月ごとの利用金額（業種別）とポイント残高を三朝温泉ヘルスケアアプリに提供します。個々のお支払いの明細は提供しません。',
      en: 'Only when you consent on the Tottori ID portal, your monthly spending (per merchant category) and points balance are provided to the Misasa onsen health app. Individual payments are never provided.',
    },
  },
};
