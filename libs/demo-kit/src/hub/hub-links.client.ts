import { Inject, Injectable } from '@nestjs/common';
import type { ErrorBody, LinkView } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { Msg } from '@tsunagu/web';
import { DemoRuntime } from '../demo-settings';
import { hubUnavailable } from './oidc-relying-party';

/** The fetch the hub client uses (injectable so tests can stand in for the network). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export const HUB_FETCH = Symbol('HUB_FETCH');

/** The hub refused a link request with one of its typed errors. */
export interface HubRefusal {
  outcome: 'refused';
  status: number;
  code: string;
  message: Msg;
}

export type CreateLinkResult = { outcome: 'linked'; link: LinkView; created: boolean } | HubRefusal;
export type MyLinkResult = { outcome: 'linked'; link: LinkView } | { outcome: 'not_linked' } | HubRefusal;

const TIMEOUT_MS = 10_000;

function isLinkView(value: unknown): value is LinkView {
  const v = value as Partial<LinkView> | null;
  return !!v && typeof v.serviceId === 'string' && typeof v.localId === 'string' && typeof v.linkedAt === 'string';
}

function isErrorBody(value: unknown): value is ErrorBody {
  const e = (value as Partial<ErrorBody> | null)?.error;
  return !!e && typeof e.code === 'string';
}

/**
 * The hub's ID-linking API (個別ID紐づけ), called with the resident's access token. Typed refusals
 * come back as values for the screens; an unreachable hub or an unusable answer is an exception.
 */
@Injectable()
export class HubLinksClient {
  private readonly logger = new AppLogger(HubLinksClient.name);

  constructor(private readonly runtime: DemoRuntime, @Inject(HUB_FETCH) private readonly fetchFn: FetchLike) {}

  /** `POST /api/v1/links`: links this service's local ID to the resident behind the token. */
  async createLink(accessToken: string, localId: string): Promise<CreateLinkResult> {
    const { status, body } = await this.call('POST', '/links', accessToken, { localId });
    if ((status === 201 || status === 200) && isLinkView(body)) return { outcome: 'linked', link: body, created: status === 201 };
    return this.refusal(status, body);
  }

  /** `GET /api/v1/links/me`: the resident's link at this service, if any. */
  async myLink(accessToken: string): Promise<MyLinkResult> {
    const { status, body } = await this.call('GET', '/links/me', accessToken);
    if (status === 200 && isLinkView(body)) return { outcome: 'linked', link: body };
    if (status === 404 && isErrorBody(body) && body.error.code === 'link_not_found') return { outcome: 'not_linked' };
    return this.refusal(status, body);
  }

  private async call(method: 'GET' | 'POST', path: string, accessToken: string, json?: unknown): Promise<{ status: number; body: unknown }> {
    const url = `${this.runtime.hubApiBase}${path}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: 'application/json',
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'manual',
      });
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Hub link API unreachable', { method, path, error: error instanceof Error ? error.message : String(error) });
      throw hubUnavailable();
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    this.logger.log(LogKind.Communication, 'Hub link API answered', { method, path, status: response.status });
    return { status: response.status, body };
  }

  private refusal(status: number, body: unknown): HubRefusal {
    if (status >= 400 && status < 500 && isErrorBody(body)) {
      const { code, message, messageEn } = body.error;
      return {
        outcome: 'refused',
        status,
        code,
        message: {
          ja: typeof message === 'string' && message ? message : `連携基盤が要求を拒否しました（${code}）。`,
          en: typeof messageEn === 'string' && messageEn ? messageEn : `The hub refused the request (${code}).`,
        },
      };
    }
    this.logger.warn(LogKind.Communication, 'Unusable answer from the hub link API', { status });
    throw hubUnavailable();
  }
}
