import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DEMO_PROFILE, type DemoProfile, DemoRuntime, optInUrl, serveMemberPage } from '@tsunagu/demo-kit';
import { HEALTH_POINTS_DATA_USE, HealthPointsService } from './health-points';
import { MemberService } from './member.service';
import { memberView } from './member.views';

@Controller('member')
export class MemberController {
  constructor(
    private readonly members: MemberService,
    private readonly healthPoints: HealthPointsService,
    private readonly runtime: DemoRuntime,
    @Inject(DEMO_PROFILE) private readonly profile: DemoProfile,
  ) {}

  private get hubPortalUrl(): string {
    return optInUrl(this.runtime.settings.hubUrl, HEALTH_POINTS_DATA_USE);
  }

  @Get()
  show(@Req() req: Request, @Res() res: Response): Promise<void> {
    return serveMemberPage(req, res, this.profile, (localId) => this.members.overview(localId),
      (ctx, overview, basics) => memberView(ctx, overview, { ...basics, justLinked: req.query.linked === '1', hubPortalUrl: this.hubPortalUrl }));
  }

  /** 健康ポイント: asks the Misasa health app (through the connector) and shows the points, or why not. */
  @Post('health-points')
  @HttpCode(200)
  healthPointsSection(@Req() req: Request, @Res() res: Response): Promise<void> {
    return serveMemberPage(req, res, this.profile,
      (localId) => Promise.all([this.members.overview(localId), this.healthPoints.fetch(localId)]),
      (ctx, [overview, healthPoints], basics) => memberView(ctx, overview, { ...basics, justLinked: false, healthPoints, hubPortalUrl: this.hubPortalUrl }));
  }
}
