import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { adminPage, dataTable } from '../../web/admin.layout';
import { queuesText as t } from './queues.messages';
import { BOARD_PATH, type QueueFigures } from './system-queues.service';

export function queuesPage(lang: Lang, principal: AdminPrincipal, queues: QueueFigures[], board: boolean): SafeHtml {
  return adminPage({
    lang, title: t.title[lang], path: '/system/queues', principal, area: 'system', section: 'queues',
    body: html`<h1>${t.title[lang]}</h1>
<p>${board ? t.leadBull[lang] : t.leadLocal[lang]}</p>
${board ? html`<div class="actions"><a class="button" href="${BOARD_PATH}/">${t.board[lang]}</a></div>` : ''}
${dataTable({
  label: t.title[lang], testId: 'queues',
  columns: [{ label: t.queue[lang], mono: true }, { label: t.kind[lang] }, ...(['waiting', 'active', 'delayed', 'completed', 'failed'] as const).map((k) => ({ label: t[k][lang], num: true }))],
  rows: queues.map((q) => ({
    data: { queue: q.name },
    cells: [q.name, q.kind === 'bull' ? t.bull[lang] : t.inProcess[lang], ...(['waiting', 'active', 'delayed', 'completed', 'failed'] as const).map((k) => (q.counts ? q.counts[k] : t.unavailable[lang]))],
  })),
})}`,
  });
}

