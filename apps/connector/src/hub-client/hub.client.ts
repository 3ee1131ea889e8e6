import { Inject, Injectable } from '@nestjs/common';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import {
  createClientAssertion, type GrantRequest, type GrantResponse, grantResponseSchema, HUB_CONNECT_PATH, isConnectorErrorCode, type OfferPublishRequest,
  type OfferPublishResponse, FEED_CONNECTOR_REVOCATIONS, REVOCATION_FEED_AS_OF_HEADER, REVOCATION_FEED_EXTENSIONS_HEADER, REVOCATION_STREAM_PATH,
} from '@tsunagu/contracts';
import { connectorError, type ConnectorException } from '../connector.exception';
import {
  CONNECTOR_CONFIG, CONNECTOR_IDENTITY, CONNECTOR_KEYS, type ConnectorConfig, type ConnectorIdentity, HTTP_FETCH, type HttpFetch,
} from '../connector.tokens';
import type { ConnectorKeys } from '../keys/connector-keys';
import { fetchProblem } from './fetch-error';

const ajv = new Ajv({ strict: false });
addFormats(ajv);
const validateGrantResponse = ajv.compile<GrantResponse>(grantResponseSchema);
const validatePublishResponse = ajv.compile<OfferPublishResponse>({
  type: 'object',
  properties: {
    offers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { code: { type: 'string' }, outcome: { enum: ['created', 'new_version', 'draft_updated', 'unchanged'] }, version: { type: 'integer' } },
        required: ['code', 'outcome', 'version'],
      },
    },
  },
  required: ['offers'],
});

/**
 * Reads an error body from a peer (hub or provider connector). A published connector code passes
 * through to the caller unchanged; anything else (HTML, a framework 404, a 500) becomes `fallback`.
 */
export async function remoteError(res: Response, fallback: 'hub_unavailable' | 'provider_unavailable'): Promise<ConnectorException> {
  let error: { code?: unknown; details?: unknown } | undefined;
  try {
    error = ((await res.json()) as { error?: { code?: unknown; details?: unknown } }).error;
  } catch {
    error = undefined;
  }
  if (isConnectorErrorCode(error?.code)) {
    const details = Array.isArray(error.details)
      ? error.details.filter((d): d is { field: string; problem: string } => typeof d?.field === 'string' && typeof d?.problem === 'string').slice(0, 20)
      : undefined;
    return connectorError(error.code, details?.length ? details : undefined);
  }
  return connectorError(fallback, [{ field: 'status', problem: String(res.status) }]);
}

/**
 * The connector's calls to the hub's connector API, each authenticated with a fresh client
 * assertion (RFC 7523) signed by the connector's key, sent as `Authorization: Bearer`. Transport
 * failures and unexpected answers become `hub_unavailable`; the hub's own refusals (consent,
 * permissions, approval) pass through with their codes.
 */
@Injectable()
export class HubClient {
  private readonly logger = new AppLogger(HubClient.name);

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    @Inject(CONNECTOR_KEYS) private readonly keys: ConnectorKeys,
    @Inject(HTTP_FETCH) private readonly http: HttpFetch,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `POST {hub}/connect/v1/grants`. */
  async requestGrant(request: GrantRequest): Promise<GrantResponse> {
    const res = await this.call('POST', '/grants', JSON.stringify(request));
    if (res.status !== 201 && res.status !== 200) {
      const error = await remoteError(res, 'hub_unavailable');
      this.logger.warn(LogKind.Communication, 'Grant refused by the hub', { code: error.code, status: res.status, dataUse: request.dataUse });
      throw error;
    }
    const body = await res.json().catch(() => undefined);
    if (!validateGrantResponse(body)) {
      this.logger.warn(LogKind.Communication, 'Hub grant answer malformed', { problem: ajv.errorsText(validateGrantResponse.errors) });
      throw connectorError('hub_unavailable', [{ field: 'grant', problem: 'malformed answer' }]);
    }
    return body;
  }

  /** `GET {hub}/connect/v1/revocations?since=…`: the signed feed page (compact JWS), unverified. */
  async revocationFeed(since: string | undefined): Promise<string> {
    const page = await this.revocationFeedPage(since, undefined);
    if ('notModified' in page) throw connectorError('hub_unavailable', [{ field: 'status', problem: '304 without If-None-Match' }]);
    return page.token;
  }

  /**
   * The same pull, revalidating the page held for `since` (`etag`, from its answer): a hub that has
   * nothing after `since` answers 304 with the moment it knew so (REVOCATION_FEED_AS_OF_HEADER).
   */
  async revocationFeedPage(since: string | undefined, etag: string | undefined): Promise<{ token: string; etag?: string } | { notModified: true; asOf?: Date }> {
    const query = since ? `?since=${encodeURIComponent(since)}` : '';
    // Asks for the revoked connectors too (an earlier hub ignores the header).
    const res = await this.call('GET', `/revocations${query}`, undefined, {
      [REVOCATION_FEED_EXTENSIONS_HEADER]: FEED_CONNECTOR_REVOCATIONS, ...(etag && since ? { 'if-none-match': etag } : {}),
    });
    if (res.status === 304 && etag && since) {
      const asOf = Date.parse(res.headers.get(REVOCATION_FEED_AS_OF_HEADER) ?? '');
      return { notModified: true, ...(Number.isNaN(asOf) ? {} : { asOf: new Date(asOf) }) };
    }
    if (res.status !== 200) throw await remoteError(res, 'hub_unavailable');
    const text = (await res.text()).trim();
    if (text.length > 4 * 1024 * 1024) throw connectorError('hub_unavailable', [{ field: 'feed', problem: 'too large' }]);
    return { token: text, ...(res.headers.get('etag') ? { etag: res.headers.get('etag')! } : {}) };
  }

  /** Where and with which headers to open the revocation stream (a fresh client assertion each time). */
  async revocationStreamRequest(): Promise<{ url: string; headers: Record<string, string> }> {
    return {
      url: `${this.config.hub.url}${HUB_CONNECT_PATH}${REVOCATION_STREAM_PATH}`,
      headers: { authorization: `Bearer ${await this.assertion()}`, accept: 'text/event-stream', 'cache-control': 'no-store' },
    };
  }

  /**
   * `PUT {hub}/connect/v1/offers`: publishes the configuration's offers as drafts for the tenant's
   * admin. The hub's typed refusals (`invalid_offer_schema`, `offer_code_taken`, …) pass through.
   */
  async publishOffers(request: OfferPublishRequest): Promise<OfferPublishResponse> {
    const res = await this.call('PUT', '/offers', JSON.stringify(request));
    if (res.status !== 200) throw await remoteError(res, 'hub_unavailable');
    const body = await res.json().catch(() => undefined);
    if (!validatePublishResponse(body)) throw connectorError('hub_unavailable', [{ field: 'offers', problem: 'malformed answer' }]);
    return body;
  }

  private assertion(): Promise<string> {
    return createClientAssertion({
      privateKey: this.keys.signing.privateKey, kid: this.keys.signing.kid, subject: this.identity.id,
      audience: this.config.hub.issuer, now: this.clock.now(),
    });
  }

  private async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    const assertion = await this.assertion();
    const url = `${this.config.hub.url}${HUB_CONNECT_PATH}${path}`;
    try {
      return await this.http(url, {
        method,
        headers: {
          authorization: `Bearer ${assertion}`,
          accept: 'application/json, application/jwt',
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body,
        signal: AbortSignal.timeout(this.config.hub.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Hub unreachable', { method, path: path.split('?')[0], problem: fetchProblem(error) });
      throw connectorError('hub_unavailable');
    }
  }
}
