import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AjvBodyPipe } from '@tsunagu/common';
import {
  type ConnectorRegistrationRequest, connectorRegistrationRequestSchema, type ConnectorRegistrationView, type GrantRequest, grantRequestSchema,
  type GrantResponse, type OfferPublishRequest, offerPublishRequestSchema, type OfferPublishResponse, type ProvisionReport, type ProvisionReportAck,
  provisionReportSchema, REVOCATION_FEED_AS_OF_HEADER, REVOCATION_FEED_EXTENSIONS_HEADER,
} from '@tsunagu/contracts';
import { WebReply } from '@tsunagu/web';
import { ConnectThrottleGuard } from './connect-throttle.guard';
import { ConnectorAuthService } from './connector-auth.service';
import { connectError } from './connect.exception';
import { GrantsService } from './grants.service';
import { HubSigningKeyService, type PublicSigningJwk } from './hub-signing-key.service';
import { OfferPublicationService } from './offer-publication.service';
import { ProvisionsService } from './provisions.service';
import { RegistrationService } from './registration.service';
import { feedExtensionsOf, RevocationFeedService } from './revocation-feed.service';
import { RevocationStreamService } from './revocation-stream.service';

/**
 * The hub's connector API (docs/connector.md §7). Every call but the JWKS and registration carries
 * `Authorization: Bearer <client assertion>` of an approved connector (publishing offers: of a pending
 * one too). Every call is throttled per address (ConnectThrottleGuard).
 */
@Controller('connect/v1')
@UseGuards(ConnectThrottleGuard)
export class ConnectController {
  constructor(
    private readonly auth: ConnectorAuthService,
    private readonly keys: HubSigningKeyService,
    private readonly registration: RegistrationService,
    private readonly grants: GrantsService,
    private readonly feed: RevocationFeedService,
    private readonly provisions: ProvisionsService,
    private readonly offerPublication: OfferPublicationService,
    private readonly stream: RevocationStreamService,
  ) {}

  @Get('jwks')
  @Header('cache-control', 'public, max-age=60')
  jwks(): Promise<{ keys: PublicSigningJwk[] }> {
    return this.keys.publicJwks();
  }

  @Post('connectors')
  async register(
    @Headers('authorization') authorization: string | undefined,
    @Body(new AjvBodyPipe(connectorRegistrationRequestSchema)) body: ConnectorRegistrationRequest,
  ): Promise<WebReply> {
    const { view, created } = await this.registration.register(authorization, body);
    return WebReply.json(view satisfies ConnectorRegistrationView, created ? 201 : 200);
  }

  @Get('connectors/:id')
  @Header('cache-control', 'no-store')
  connector(@Headers('authorization') authorization: string | undefined, @Param('id') id: string): Promise<ConnectorRegistrationView> {
    return this.registration.view(authorization, id);
  }

  @Post('grants')
  @HttpCode(201)
  @Header('cache-control', 'no-store')
  async grant(@Headers('authorization') authorization: string | undefined, @Body() raw: unknown): Promise<GrantResponse> {
    // Authenticate before reading the body: an unknown caller learns nothing about the request's shape.
    const consumer = await this.auth.authenticate(authorization);
    const body = new AjvBodyPipe<GrantRequest>(grantRequestSchema).transform(raw);
    return this.grants.issue(consumer, this.auth.issuer, body);
  }

  @Get('revocations')
  @Header('cache-control', 'no-store')
  async revocations(
    @Headers('authorization') authorization: string | undefined, @Headers(REVOCATION_FEED_EXTENSIONS_HEADER) extensions: string | undefined, @Query() query: Record<string, unknown>,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
  ): Promise<WebReply> {
    const connector = await this.auth.authenticate(authorization);
    const extra = Object.keys(query).filter((k) => k !== 'since');
    if (extra.length || (query.since !== undefined && typeof query.since !== 'string')) {
      throw connectError('invalid_request', extra.map((field) => ({ field, problem: 'unknown parameter' })).concat(extra.length ? [] : [{ field: 'since', problem: 'must be one value' }]));
    }
    const answer = await this.feed.pull(connector, this.auth.issuer, query.since as string | undefined, feedExtensionsOf(extensions), ifNoneMatch);
    if ('notModified' in answer) return WebReply.text('', 'application/jwt', 304).noStore().header('etag', answer.etag).header(REVOCATION_FEED_AS_OF_HEADER, answer.asOf.toISOString());
    const page = WebReply.text(answer.token, 'application/jwt').noStore();
    return answer.etag ? page.header('etag', answer.etag) : page;
  }

  /**
   * The revocation stream (server-sent events, REVOCATION_STREAM_PATH): authenticated like the
   * feed pull, then held open; `@Res()` because it is a stream, not a reply. `X-Accel-Buffering: no`
   * tells nginx not to buffer it (deploy/nginx/server.conf has a location for it too).
   */
  @Get('revocations/stream')
  async revocationStream(@Headers('authorization') authorization: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const connector = await this.auth.authenticate(authorization);
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setKeepAlive(true, 15_000);
    const gone = await this.stream.open(connector, {
      // More than 64 KiB unread is a reader that is gone or stuck: the service drops it.
      write: (chunk) => !res.writableEnded && !res.destroyed && (res.write(chunk), res.writableLength < 64 * 1024),
      close: () => res.end(),
    });
    res.on('close', gone);
    if (res.destroyed) gone();
  }

  /** A connector's report of one exchange, appended to the provision ledger (docs/connector.md §8). Idempotent. */
  @Post('provisions')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async provision(@Headers('authorization') authorization: string | undefined, @Body() raw: unknown): Promise<ProvisionReportAck> {
    const connector = await this.auth.authenticate(authorization);
    const body = new AjvBodyPipe<ProvisionReport>(provisionReportSchema).transform(raw);
    return this.provisions.report(connector, body);
  }

  /**
   * A provider connector publishes its configuration's offers as drafts for its tenant's admin
   * (docs/connector.md §7). Idempotent: publishing the same offers again changes nothing. A pending
   * connector may publish; the answer says per offer what happened.
   */
  @Put('offers')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  async publishOffers(@Headers('authorization') authorization: string | undefined, @Body() raw: unknown): Promise<OfferPublishResponse> {
    const connector = await this.auth.authenticate(authorization, { approved: false });
    const body = new AjvBodyPipe<OfferPublishRequest>(offerPublishRequestSchema).transform(raw);
    return this.offerPublication.publish(connector, body);
  }
}
