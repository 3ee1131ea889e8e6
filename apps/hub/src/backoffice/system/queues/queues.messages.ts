import type { Msg } from '@tsunagu/web';

/** The words of the job-queue screen, Japanese and English side by side. */
export const queuesText = {
  title: { ja: 'ジョブキュー', en: 'Job queues' },
  leadBull: { ja: 'ジョブは Redis 上の bull キューで処理されています（全レプリカ共通）。詳細はダッシュボード（閲覧のみ）で確認できます。', en: 'Jobs run on bull queues in Redis (shared by every replica). The dashboard (read-only) shows the details.' },
  leadLocal: { ja: 'REDIS_URL が設定されていないため、ジョブはこのプロセス内で処理されています。件数はこのプロセスのものです。', en: 'REDIS_URL is not set: jobs run inside this process. The counts are this process\'s.' },
  board: { ja: 'キューのダッシュボードを開く（bull-board）', en: 'Open the queue dashboard (bull-board)' },
  queue: { ja: 'キュー', en: 'Queue' },
  kind: { ja: '方式', en: 'Kind' },
  waiting: { ja: '待機', en: 'Waiting' },
  active: { ja: '実行中', en: 'Active' },
  delayed: { ja: '遅延', en: 'Delayed' },
  completed: { ja: '完了', en: 'Completed' },
  failed: { ja: '失敗', en: 'Failed' },
  unavailable: { ja: '取得できません', en: 'unavailable' },
  bull: { ja: 'Redis（全レプリカ共通）', en: 'Redis (shared by every replica)' },
  inProcess: { ja: 'このプロセス内', en: 'In this process' },
} satisfies Record<string, Msg>;
