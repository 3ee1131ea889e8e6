import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullJobQueue, bullQueueOf, InProcessJobQueue, type JobCounts } from '@tsunagu/queue';
import { HUB_CONFIG, type HubConfig } from '../../../platform/config/hub.config';

/** Where bull-board is served (behind the system admin's session and networks). */
export const BOARD_PATH = '/system/queues/board';

export interface QueueFigures {
  name: string;
  kind: 'bull' | 'in-process';
  counts: JobCounts | undefined;
}

type AnyJobQueue = BullJobQueue<object> | InProcessJobQueue<object>;

/**
 * The hub's job queues for the system admin: their counts, and with Redis the bull-board
 * dashboard. Queues are found among the hub's providers, so a queue added later shows up without
 * a change here. The board is read-only: its own buttons would post without the admin screens'
 * CSRF token; failed jobs are retried by each queue's policy.
 */
@Injectable()
export class SystemQueuesService implements OnModuleInit {
  private queues: AnyJobQueue[] = [];
  private board?: ReturnType<ExpressAdapter['getRouter']>;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig, private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = new Set<AnyJobQueue>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as unknown;
      if (instance instanceof BullJobQueue || instance instanceof InProcessJobQueue) found.add(instance as AnyJobQueue);
    }
    this.queues = [...found].sort((a, b) => a.name.localeCompare(b.name));
    const bull = this.queues.map((q) => bullQueueOf(q)).filter((q) => q !== undefined);
    if (this.config.REDIS_URL && bull.length) {
      const adapter = new ExpressAdapter();
      adapter.setBasePath(BOARD_PATH);
      createBullBoard({
        queues: bull.map((q) => new BullAdapter(q, { readOnlyMode: true, allowRetries: false })),
        // @bull-board/express pins its own copy of @bull-board/api: same shape, separate declarations.
        serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
        options: { uiConfig: { boardTitle: 'Tsunagu queues' } },
      });
      const board = adapter.getRouter() as ReturnType<ExpressAdapter['getRouter']> & { disable?: (setting: string) => unknown };
      board.disable?.('x-powered-by'); // bull-board runs its own Express app, which would announce itself
      this.board = board;
    }
  }

  get boardAvailable(): boolean {
    return !!this.board;
  }

  async figures(): Promise<QueueFigures[]> {
    return Promise.all(this.queues.map(async (q) => ({
      name: q.name,
      kind: q instanceof BullJobQueue ? 'bull' as const : 'in-process' as const,
      counts: await q.counts().catch(() => undefined),
    })));
  }

  /** Hands a request under {@link BOARD_PATH} to bull-board's router (paths relative to the board). */
  serveBoard(req: Request, res: Response, next: (error?: unknown) => void): void {
    if (!this.board) return next();
    const original = req.url;
    req.url = req.originalUrl.slice(BOARD_PATH.length) || '/';
    if (!req.url.startsWith('/')) req.url = `/${req.url}`;
    this.board(req, res, (error?: unknown) => {
      req.url = original;
      next(error);
    });
  }
}
