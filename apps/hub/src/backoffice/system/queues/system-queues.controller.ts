import { All, Controller, Get, NotFoundException, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Lang, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal } from '../../../platform/access/admin-principal';
import { AdminPageFilter } from '../../web/admin-errors';
import { adminReply } from '../../web/admin.layout';
import { SystemQueuesService } from './system-queues.service';
import { queuesPage } from './system-queues.views';

/** The job queues: counts in-process, bull-board with Redis (both behind system-admin auth). */
@Controller('system/queues')
@UseFilters(AdminPageFilter)
export class SystemQueuesController {
  constructor(private readonly queues: SystemQueuesService) {}

  @Get()
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal): Promise<WebReply> {
    return adminReply(queuesPage(lang, principal, await this.queues.figures(), this.queues.boardAvailable));
  }

  /**
   * bull-board (only with REDIS_URL); the access middleware has already checked the system admin.
   * The one handler given the response itself: bull-board is an Express router that writes and
   * streams its own pages, API answers and static files; there is no reply for it to return.
   */
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
