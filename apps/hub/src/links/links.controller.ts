import { Body, Controller, Get, Post, Req, UseGuards } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import { type CreateLinkRequest, createLinkRequestSchema, type LinkView } from '@tsunagu/contracts';
import { WebReply } from '@tsunagu/web';
import { BearerTokenGuard, type RequestWithSubject } from './links-bearer.guard';
import { LinksService } from './links.service';

/** The ID-linking API a service backend calls with the resident's access token (docs/api/links.md). */
@Controller('api/v1/links')
@UseGuards(BearerTokenGuard)
export class LinksController {
  constructor(private readonly links: LinksService) {}

  /** 201 with a new link, 200 when the same link already existed (the call is idempotent). */
  @Post()
  async create(@Req() req: RequestWithSubject, @Body(new AjvBodyPipe(createLinkRequestSchema)) body: CreateLinkRequest): Promise<WebReply> {
    const { link, created } = await this.links.link(req.tokenSubject!, body.localId);
    return WebReply.json(link satisfies LinkView, created ? 201 : 200);
  }

  @Get('me')
  me(@Req() req: RequestWithSubject): Promise<LinkView> {
    return this.links.linkOf(req.tokenSubject!);
  }
}
