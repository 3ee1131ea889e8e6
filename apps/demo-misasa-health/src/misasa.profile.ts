import type { DemoProfile } from '@tsunagu/demo-kit';
import { MISASA_SEED } from './seed/misasa.seed';

/** How the Misasa onsen health app presents itself on the shared demo screens. */
export const misasaProfile: DemoProfile = {
  brand: { ja: '三朝温泉ヘルスケア（デモ）', en: 'Misasa Onsen Health (demo)' },
  description: {
    ja: '三朝町の温泉ヘルスケアアプリのデモです。毎日の歩数と温泉の利用を記録して、健康づくりに役立てます。',
    en: 'A demo of the onsen health app of Misasa town: it records your daily steps and onsen visits to support your health.',
  },
  features: [
    { ja: '最近 2 週間の歩数と目標の達成状況', en: 'Your daily steps of the last two weeks, and your goal' },
    { ja: '温泉施設の利用記録', en: 'Your onsen visits' },
    { ja: 'Tottori ID でのログイン（ユーザー ID との連携は最初の 1 回だけ）', en: 'Sign in with Tottori ID (link your user ID once)' },
  ],
  localIdLabel: { ja: 'ユーザー ID', en: 'User ID' },
  localIdPattern: /^MH-[0-9]{4}$/,
  localIdExample: 'MH-0001',
  demoAccounts: MISASA_SEED.map((u) => ({ localId: u.userId, pin: u.pin, name: u.name })),
  // The same controller, contact and terms as the data use misasa-health.onsen-spending of the hub's catalog (apps/hub/src/catalog/catalog.seed.ts).
  privacy: {
    controller: { ja: '三朝町 健康福祉課（デモ）', en: 'Misasa Town, Health and Welfare Division (demo)' },
    contact: 'kenko@town.misasa.example.jp',
    holds: {
      ja: 'ユーザー ID、氏名（ふりがな）、1 日の歩数の目標、毎日の歩数、温泉施設の利用記録（日時・施設・入浴時間）、PIN のハッシュ値、Tottori ID との連携の有無（このサービス専用の識別子）。',
      en: 'Your user ID, name (with its reading), daily step goal, daily steps, onsen visits (time, facility, bathing minutes), a hash of your PIN, and whether your account is linked with Tottori ID (by an identifier for this service only).',
    },
    receives: [{
      dataUse: 'misasa-health.onsen-spending',
      title: { ja: '温泉施設でのご利用金額の表示', en: 'Your spending at onsen facilities' },
      items: {
        ja: 'とっとりキャッシュレス決済基盤の月ごとの利用金額（業種別）。このアプリが表示するのは温泉施設の分だけで、ポイント残高は受け取りません。',
        en: 'Your monthly spending (per merchant category) at the Tottori cashless payment base. The app shows only the onsen part, and does not receive your points balance.',
      },
      purpose: {
        ja: 'キャッシュレス決済での温泉施設の利用金額を、健康アプリの記録画面に表示するため。',
        en: 'To show what you spent at onsen facilities by cashless payment in the health app\'s records.',
      },
      retention: {
        ja: '最長 180 日。このデモは受け取ったデータを保存せず、「温泉でのお支払いを表示」を押すたびに受け取って表示します。',
        en: 'At most 180 days. This demo keeps nothing it receives: it receives the data each time you press "Show my onsen spending".',
      },
    }],
    provides: {
      ja: 'あなたが Tottori ID ポータルで同意した場合に限り、1 日ごとの歩数と温泉施設の利用履歴（日付と施設名）をとっとりキャッシュレス決済基盤に提供します。入浴時間や時刻は提供しません。',
      en: 'Only when you consent on the Tottori ID portal, your daily steps and onsen visits (dates and facilities) are provided to the Tottori cashless payment base. Bathing minutes and times are never provided.',
    },
  },
};
