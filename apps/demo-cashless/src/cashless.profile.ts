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
};
