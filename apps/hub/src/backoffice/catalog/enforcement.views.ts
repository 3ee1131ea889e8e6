import type { ConsentsEnforcementSummary } from '@tsunagu/contracts';
import { formatMoment, type Lang } from '@tsunagu/web';

const text = {
  complete: {
    ja: 'すべての提供元コネクタが停止を確認しました（{at}）。この時刻より後に、これらの同意にもとづいてデータが提供されることはありません。',
    en: 'Every provider connector confirmed it has stopped ({at}). No data is shared under these consents after that moment.',
  },
  nothingFlowing: {
    ja: 'これらの同意にもとづいてデータを提供していたコネクタはありませんでした。',
    en: 'No connector was serving data under these consents.',
  },
  pending: {
    ja: '一部の提供元コネクタからまだ停止の確認が届いていません。遅くとも {by} までに、すべての提供元で提供が止まります（確認が届かなくても、その時刻を過ぎるとコネクタは提供できなくなります）。',
    en: 'Some provider connectors have not confirmed yet. Provision stops everywhere by {by} at the latest (even without a confirmation, they can no longer serve after that moment).',
  },
};

/**
 * What an admin is told after a catalog change paused or ended consents (ARCHITECTURE.md §6):
 * stopped everywhere and when, or by when at the latest. Empty when no consent changed.
 */
export function enforcementNotice(lang: Lang, summary: ConsentsEnforcementSummary | null | undefined): string {
  if (!summary || !summary.consents) return '';
  if (summary.complete && !summary.providers) return text.nothingFlowing[lang];
  return summary.complete
    ? text.complete[lang].replace('{at}', formatMoment(lang, summary.enforcedAt!))
    : text.pending[lang].replace('{by}', formatMoment(lang, summary.enforcedBy));
}
