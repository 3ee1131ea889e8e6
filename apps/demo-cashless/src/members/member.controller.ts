import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pickLang } from '@tsunagu/web';
import {
  DEMO_PROFILE, type DemoProfile, csrfTokenFor, sendHtml, sessionState, signedInLocalId, viewContext, withLang,
} from '@tsunagu/demo-kit';
import { HealthPointsService } from './health-points';
import { MemberService } from './member.service';
import { memberView } from './member.views';

@Controller('member')
export class MemberController {
  constructor(
    private readonly members: MemberService,
    private readonly healthPoints: HealthPointsService,
    @Inject(DEMO_PROFILE) private readonly profile: DemoProfile,
  ) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response): Promise<void> {
    const localId = signedInLocalId(req);
    const { resident } = sessionState(req);
    if (!localId || !resident) return res.redirect(303, withLang(resident ? '/link' : '/', pickLang(req)));
    const overview = await this.members.overview(localId);
    sendHtml(res, 200, memberView(viewContext(req, this.profile, '/member'), overview, {
      resident, csrf: csrfTokenFor(req), justLinked: req.query.linked === '1',
    }));
  }

  /** 健康ポイント: asks the Misasa health app (through the connector) and shows the points, or why not. */
  @Post('health-points')
  @HttpCode(200)
  async healthPointsSection(@Req() req: Request, @Res() res: Response): Promise<void> {
    const localId = signedInLocalId(req);
    const { resident } = sessionState(req);
    if (!localId || !resident) return res.redirect(303, withLang(resident ? '/link' : '/', pickLang(req)));
    const [overview, healthPoints] = await Promise.all([this.members.overview(localId), this.healthPoints.fetch(localId)]);
    sendHtml(res, 200, memberView(viewContext(req, this.profile, '/member'), overview, {
      resident, csrf: csrfTokenFor(req), justLinked: false, healthPoints,
    }));
  }
}
