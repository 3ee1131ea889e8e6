import { type ConnectorHealth, type DatePeriod, isConnectorErrorCode, SDK_PATH, type SdkDataResponse } from '@tsunagu/contracts';
import { ConnectorSdkError } from './errors';

/** How to reach the connector. */
export interface ConnectorClientOptions {
  /** The connector's base URL, e.g. `http://127.0.0.1:3201`. */
  baseUrl: string;
  /** The connector's `CONNECTOR_SDK_TOKEN`, when it is configured with one. */
  token?: string;
  /** Per call, in milliseconds (default 10000: a call includes a hub and a provider round trip). */
  timeoutMs?: number;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** What to ask for. `TItems` types the answer's items (see {@link DemoItems}). */
export interface DataRequest<TItems extends Record<string, unknown> = Record<string, unknown>> {
  /** The resident's local ID at **your** service. */
  localId: string;
  /** Your data use's code, e.g. `cashless.health-points`. */
  dataUse: string;
  /** The items wanted. */
  items: (keyof TItems & string)[];
  /** Your data use's purpose code. */
  purpose: string;
  /** For items with a time window. */
  period?: DatePeriod;
  /**
   * "What the consent allows": receive those of `items` the resident's consent covers (at least
   * one, else `items_not_consented`); the answer's `notConsented` names the others. Without it,
   * a consent that does not cover every item is refused as `items_not_consented`.
   */
  consentedOnly?: boolean;
}

/** A request with `consentedOnly: true`: its answer may lack some of the items. */
export type ConsentedDataRequest<TItems extends Record<string, unknown> = Record<string, unknown>> = DataRequest<TItems> & { consentedOnly: true };

/** Types of the demo services' items, for `client.request<Pick<DemoItems, …>>(…)`. */
export interface DemoItems {
  'misasa-health.daily-steps': { date: string; steps: number }[];
  'misasa-health.onsen-visits': { date: string; facilityId: string; facilityName: string }[];
  'cashless.points-balance': { points: number; asOf: string };
  'cashless.monthly-spending': { month: string; category: 'onsen' | 'lodging' | 'restaurant' | 'retail' | 'transport' | 'other'; amountYen: number }[];
}

/**
 * The typed client of a connector's SDK endpoints (`/sdk/v1`). Every failure is a
 * {@link ConnectorSdkError} with a code from a closed set.
 *
 * ```ts
 * const connector = new ConnectorClient({ baseUrl: 'http://127.0.0.1:3201', token: process.env.CONNECTOR_SDK_TOKEN });
 * const { items } = await connector.request<Pick<DemoItems, 'misasa-health.daily-steps'>>({
 *   localId: 'C-2026-0001', dataUse: 'cashless.health-points', purpose: 'health-points', items: ['misasa-health.daily-steps'],
 * });
 * // What the consent allows: the covered items (maybe fewer), and which were left out.
 * const { items: some, notConsented } = await connector.request<Pick<DemoItems, 'misasa-health.daily-steps' | 'misasa-health.onsen-visits'>>({
 *   localId: 'C-2026-0001', dataUse: 'cashless.health-points', purpose: 'health-points',
 *   items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'], consentedOnly: true,
 * });
 * ```
 */
export class ConnectorClient {
  private readonly baseUrl: string;
  private readonly http: typeof fetch;

  constructor(private readonly options: ConnectorClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.http = options.fetch ?? fetch;
  }

  /**
   * `POST /sdk/v1/requests`: the resident's items from the providing service, or a typed error.
   * With `consentedOnly: true` the answer holds the items the consent covers (typed `Partial`) and
   * lists the others in `notConsented`.
   */
  request<TItems extends Record<string, unknown> = Record<string, unknown>>(request: ConsentedDataRequest<TItems>): Promise<SdkDataResponse<Partial<TItems>> & { notConsented: (keyof TItems & string)[] }>;
  request<TItems extends Record<string, unknown> = Record<string, unknown>>(request: DataRequest<TItems> & { consentedOnly?: false }): Promise<SdkDataResponse<TItems>>;
  request<TItems extends Record<string, unknown> = Record<string, unknown>>(request: DataRequest<TItems>): Promise<SdkDataResponse<Partial<TItems>>>;
  request(request: DataRequest): Promise<SdkDataResponse> {
    return this.call<SdkDataResponse>('POST', `${SDK_PATH}/requests`, request);
  }

  /** The OpenAPI description the connector serves. */
  openapi(): Promise<Record<string, unknown>> {
    return this.call('GET', `${SDK_PATH}/openapi.json`);
  }

  /** The connector's health, including whether its revocation set is fresh. */
  health(): Promise<ConnectorHealth> {
    return this.call('GET', '/health');
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.http(`${this.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new ConnectorSdkError('connector_unreachable', 0,
        timedOut ? 'コネクタが時間内に応答しませんでした。' : 'コネクタに接続できません。',
        timedOut ? 'The connector did not answer in time.' : 'The connector cannot be reached.');
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.ok && parsed !== undefined) return parsed as T;
    const error = (parsed as { error?: { code?: unknown; message?: unknown; messageEn?: unknown; details?: unknown; correlationId?: unknown } } | undefined)?.error;
    const code = isConnectorErrorCode(error?.code) || error?.code === 'internal_error' ? error!.code as ConnectorSdkError['code'] : 'unexpected_response';
    throw new ConnectorSdkError(
      code, res.status,
      typeof error?.message === 'string' ? error.message : 'コネクタから想定外の応答がありました。',
      typeof error?.messageEn === 'string' ? error.messageEn : `The connector answered unexpectedly (HTTP ${res.status}).`,
      Array.isArray(error?.details) ? error!.details as { field: string; problem: string }[] : [],
      typeof error?.correlationId === 'string' ? error.correlationId : res.headers.get('x-correlation-id') ?? undefined,
    );
  }
}
