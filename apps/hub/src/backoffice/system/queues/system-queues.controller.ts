import { All, Controller, Get, NotFoundException, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { html, type Lang, pickLang, type SafeHtml } from '@tsunagu/web';
import { type AdminPrincipal, type AdminRequest, principalOf } from '../../../platform/access/admin-principal';
import { AdminPageFilter } from '../../web/admin-errors';
import { adminPage, sendPage } from '../../web/admin.layout';
import { BOARD_PATH, type QueueFigures, SystemQueuesService } from './system-queues.service';

const t = {
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
};

function queuesPage(lang: Lang, principal: AdminPrincipal, queues: QueueFigures[], board: boolean): SafeHtml {
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

/** The job queues: counts in-process, bull-board with Redis (both behind system-admin auth). */
@Controller('system/queues')
@UseFilters(AdminPageFilter)
export class SystemQueuesController {
  constructor(private readonly queues: SystemQueuesService) {}

  @Get()
  async show(@Req() req: AdminRequest, @Res() res: Response): Promise<void> {
    sendPage(res, queuesPage(pickLang(req), principalOf(req), await this.queues.figures(), this.queues.boardAvailable));
  }

  /** bull-board (only with REDIS_URL); the access middleware has already checked the system admin. */
  @All('board{/*path}')
  board(@Req() req: Request, @Res() res: Response): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queues.serveBoard(req, res, (error) => {
        if (error) reject(error);
        else reject(new NotFoundException());
      });
      res.once('finish', () => resolve());
    });
  }
}
