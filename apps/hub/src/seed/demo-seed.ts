/** The demo residents `npm start` seeds (development only; never with SEED_DEMO=false). */
export const DEMO_RESIDENTS = [
  { loginId: 'tottori.taro', displayName: '鳥取 太郎', password: 'tsunagu-demo-2026' },
  { loginId: 'misasa.hanako', displayName: '三朝 花子', password: 'tsunagu-demo-2026' },
  { loginId: 'kurayoshi.jiro', displayName: '倉吉 次郎', password: 'tsunagu-demo-2026' },
] as const;
