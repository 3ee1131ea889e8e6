import Ajv from 'ajv';
import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { ERASURE_CALLBACK_PATH, type AnyErasureCallbackRequest, type ErasureCallbackAnswer, erasureCallbackAnswerSchema } from '@tsunagu/contracts';
import { connectorError } from '../connector.exception';
import { CONNECTOR_CONFIG, CONNECTOR_SECRETS, type ConnectorConfig, type ConnectorSecrets, HTTP_FETCH, type HttpFetch } from '../connector.tokens';
import { fetchProblem } from '../hub-client/fetch-error';

const validateAnswer = new Ajv({ strict: false }).compile<ErasureCallbackAnswer>(erasureCallbackAnswerSchema);
/** An erasure may take the service longer than a read: at least this long. */
const MIN_TIMEOUT_MS = 10_000;

/**
 * Hands an erasure request to the connector's own service: `POST {service.url}{service.erasurePath}`
 * with the service token (the erasure callback, docs/manuals/vendor.md). Anything but a valid
 * answer — unreachable, timeout, non-2xx, a body that is not an {@link ErasureCallbackAnswer} —
 * fails as `provider_unavailable`: the connector does not acknowledge, and the hub retries.
 */
@Injectable()
export class ServiceErasureClient {
  private readonly logger = new AppLogger(ServiceErasureClient.name);

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_SECRETS) private readonly secrets: ConnectorSecrets,
    @Inject(HTTP_FETCH) private readonly http: HttpFetch,
  ) {}

  async erase(request: AnyErasureCallbackRequest): Promise<ErasureCallbackAnswer> {
    const url = `${this.config.service.url.replace(/\/+$/, '')}${this.config.service.erasurePath ?? ERASURE_CALLBACK_PATH}`;
    let res: Response;
    try {
      res = await this.http(url, {
        method: 'POST',
        headers: {
          accept: 'application/json', 'content-type': 'application/json',
          ...(this.secrets.serviceToken ? { authorization: `Bearer ${this.secrets.serviceToken}` } : {}),
        },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(Math.max(this.config.service.timeoutMs, MIN_TIMEOUT_MS)),
        redirect: 'error',
      });
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Service unreachable for an erasure request', { erasureId: request.erasureId, problem: fetchProblem(error) });
      throw connectorError('provider_unavailable');
    }
    const body = await res.json().catch(() => undefined) as unknown;
    if (!res.ok || !validateAnswer(body)) {
      this.logger.warn(LogKind.Communication, 'Service did not confirm an erasure request', { erasureId: request.erasureId, status: res.status, problem: res.ok ? 'answer not an erasure report' : undefined });
      throw connectorError('provider_unavailable');
    }
    this.logger.log(LogKind.Communication, 'Service erased its copy', { erasureId: request.erasureId, items: body.erased.length });
    return body;
  }
}
