import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pickLang } from '@tsunagu/web';
import {
  DEMO_PROFILE, type DemoProfile, csrfTokenFor, sendHtml, sessionState, signedInLocalId, viewContext, withLang,
} from '@tsunagu/demo-kit';
import { ActivityService } from './activity.service';
import { activityView } from './activity.views';
import { OnsenSpendingService } from './onsen-spending';

@Controller('member')
export class ActivityController {
  constructor(
    private readonly activity: ActivityService,
    private readonly onsenSpending: OnsenSpendingService,
    @Inject(DEMO_PROFILE) private readonly profile: DemoProfile,
  ) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response): Promise<void> {
    const localId = signedInLocalId(req);
    const { resident } = sessionState(req);
    if (!localId || !resident) return res.redirect(303, withLang(resident ? '/link' : '/', pickLang(req)));
    const overview = await this.activity.overview(localId);
    sendHtml(res, 200, activityView(viewContext(req, this.profile, '/member'), overview, {
      resident, csrf: csrfTokenFor(req), justLinked: req.query.linked === '1',
    }));
  }

  /** 温泉施設でのお支払い: asks the cashless base (through the connector) and shows the totals, or why not. */
  @Post('onsen-spending')
  @HttpCode(200)
  async onsenSpendingSection(@Req() req: Request, @Res() res: Response): Promise<void> {
    const localId = signedInLocalId(req);
    const { resident } = sessionState(req);
    if (!localId || !resident) return res.redirect(303, withLang(resident ? '/link' : '/', pickLang(req)));
    const [overview, onsenSpending] = await Promise.all([this.activity.overview(localId), this.onsenSpending.fetch(localId)]);
    sendHtml(res, 200, activityView(viewContext(req, this.profile, '/member'), overview, {
      resident, csrf: csrfTokenFor(req), justLinked: false, onsenSpending,
    }));
  }
}
