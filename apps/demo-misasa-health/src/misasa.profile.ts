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
};
