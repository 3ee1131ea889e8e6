import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DEMO_PROFILE, type DemoProfile, serveMemberPage } from '@tsunagu/demo-kit';
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
  show(@Req() req: Request, @Res() res: Response): Promise<void> {
    return serveMemberPage(req, res, this.profile, (localId) => this.activity.overview(localId),
      (ctx, overview, basics) => activityView(ctx, overview, { ...basics, justLinked: req.query.linked === '1' }));
  }

  /** 温泉施設でのお支払い: asks the cashless base (through the connector) and shows the totals, or why not. */
  @Post('onsen-spending')
  @HttpCode(200)
  onsenSpendingSection(@Req() req: Request, @Res() res: Response): Promise<void> {
    return serveMemberPage(req, res, this.profile,
      (localId) => Promise.all([this.activity.overview(localId), this.onsenSpending.fetch(localId)]),
      (ctx, [overview, onsenSpending], basics) => activityView(ctx, overview, { ...basics, justLinked: false, onsenSpending }));
  }
}
