import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { adminPage } from '../../web/admin.layout';
import { queuesText as t } from './queues.messages';
import { BOARD_PATH, type QueueFigures } from './system-queues.service';

export function queuesPage(lang: Lang, principal: AdminPrincipal, queues: QueueFigures[], board: boolean): SafeHtml {
  const cell = (q: QueueFigures, k: keyof NonNullable<QueueFigures['counts']>) => html`<td class="num">${q.counts ? q.counts[k] : t.unavailable[lang]}</td>`;
  return adminPage({
    lang, title: t.title[lang], path: '/system/queues', principal, area: 'system', section: 'queues',
    body: html`<h1>${t.title[lang]}</h1>
<p>${board ? t.leadBull[lang] : t.leadLocal[lang]}</p>
${board ? html`<div class="actions"><a class="button" href="${BOARD_PATH}/">${t.board[lang]}</a></div>` : ''}
<div class="table-wrap"><table class="data" data-testid="queues">
<thead><tr><th scope="col">${t.queue[lang]}</th><th scope="col">${t.kind[lang]}</th><th scope="col" class="num">${t.waiting[lang]}</th><th scope="col" class="num">${t.active[lang]}</th>
<th scope="col" class="num">${t.delayed[lang]}</th><th scope="col" class="num">${t.completed[lang]}</th><th scope="col" class="num">${t.failed[lang]}</th></tr></thead>
<tbody>${queues.map((q) => html`<tr data-queue="${q.name}"><td class="mono">${q.name}</td><td>${q.kind}</td>${cell(q, 'waiting')}${cell(q, 'active')}${cell(q, 'delayed')}${cell(q, 'completed')}${cell(q, 'failed')}</tr>`)}</tbody>
</table></div>`,
  });
}

