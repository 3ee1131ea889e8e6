import type { Msg } from '@tsunagu/web';

/** The words of the maintenance-notice screen, Japanese and English side by side. */
export const maintenanceText = {
  title: { ja: '計画停止のお知らせ', en: 'Maintenance notices' },
  lead: { ja: '登録したお知らせは、終了するまで県民等向けポータルに表示されます。計画停止は、プラットフォーム設定の日数（既定7日）以上前に登録してください。', en: 'A notice shows in the resident portal until the stop is over. Register planned stops at least the number of days the platform settings require (7 by default) ahead.' },
  preview: { ja: 'ポータルでの表示', en: 'As residents see it' },
  nothing: { ja: '現在表示中のお知らせはありません。', en: 'No notice is shown right now.' },
  add: { ja: 'お知らせを登録', en: 'Add a notice' },
  startsAt: { ja: '停止の開始（日本時間）', en: 'Stop starts (Japan time)' },
  endsAt: { ja: '停止の終了（日本時間）', en: 'Stop ends (Japan time)' },
  titleJa: { ja: '件名（日本語）', en: 'Title (Japanese)' },
  titleEn: { ja: '件名（英語）', en: 'Title (English)' },
  bodyJa: { ja: '内容（日本語）', en: 'Text (Japanese)' },
  bodyEn: { ja: '内容（英語）', en: 'Text (English)' },
  urgent: { ja: '緊急の停止（告知期間を満たさない）', en: 'Urgent stop (less notice than required)' },
  save: { ja: '登録する', en: 'Add' },
  list: { ja: '登録済みのお知らせ', en: 'Notices' },
  period: { ja: '停止期間', en: 'Window' },
  state: { ja: '状態', en: 'State' },
  by: { ja: '登録者', en: 'By' },
  cancel: { ja: '取り消す', en: 'Cancel' },
  cancelled: { ja: '取り消し済み', en: 'Cancelled' },
  over: { ja: '終了', en: 'Over' },
  shown: { ja: '表示中', en: 'Shown' },
  created: { ja: 'お知らせを登録しました。ポータルに表示されます。', en: 'The notice was added and shows in the portal.' },
  cancelledDone: { ja: 'お知らせを取り消しました。', en: 'The notice was cancelled.' },
} satisfies Record<string, Msg>;
