import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe } from '@tsunagu/common';
import { type CreateLinkRequest, createLinkRequestSchema, type LinkView } from '@tsunagu/contracts';
import { BearerTokenGuard, type RequestWithSubject } from './links-bearer.guard';
import { LinksService } from './links.service';

/** The ID-linking API a service backend calls with the resident's access token (docs/api/links.md). */
@Controller('api/v1/links')
@UseGuards(BearerTokenGuard)
export class LinksController {
  constructor(private readonly links: LinksService) {}

  @Post()
  async create(@Req() req: RequestWithSubject, @Res({ passthrough: true }) res: Response, @Body(new AjvBodyPipe(createLinkRequestSchema)) body: CreateLinkRequest): Promise<LinkView> {
    const { link, created } = await this.links.link(req.tokenSubject!, body.localId);
    res.status(created ? 201 : 200);
    return link;
  }

  @Get('me')
  me(@Req() req: RequestWithSubject): Promise<LinkView> {
    return this.links.linkOf(req.tokenSubject!);
  }
}
