import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { type ConnectorOfferConfig, type DatePeriod, STATISTICS_SOURCE_BATCH } from '@tsunagu/contracts';
import { connectorError } from '../connector.exception';
import { CONNECTOR_CONFIG, CONNECTOR_SECRETS, type ConnectorConfig, type ConnectorSecrets, HTTP_FETCH, type HttpFetch } from '../connector.tokens';
import { fetchProblem } from '../hub-client/fetch-error';
import { MappingError, mapResponse } from './json-mapping';

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;

/** Today in Japan (the services' calendar), as `YYYY-MM-DD`. */
export function tokyoToday(now: Date): string {
  return new Date(now.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function isRealDate(date: string): boolean {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === date;
}

/**
 * The period an item covers: the request's, checked against the offer's window (not after today,
 * not longer than `maxDays`), or the default window ending today.
 */
export function periodFor(offer: ConnectorOfferConfig, requested: DatePeriod | undefined, today: string): DatePeriod | undefined {
  if (!offer.window) return undefined;
  if (!requested) return { from: addDays(today, -(offer.window.defaultDays - 1)), to: today };
  const bad = (problem: string) => connectorError('invalid_request', [{ field: 'period', problem }]);
  if (!isRealDate(requested.from) || !isRealDate(requested.to)) throw bad('not a calendar date');
  if (requested.from > requested.to) throw bad('from is after to');
  if (requested.to > today) throw bad('to is in the future');
  const days = (Date.parse(requested.to) - Date.parse(requested.from)) / DAY_MS + 1;
  if (days > offer.window.maxDays) throw bad(`longer than ${offer.window.maxDays} days for ${offer.code}`);
  return requested;
}

/** Fills a URL template; every value is URL-encoded, so no value can change the host or the path's shape. */
export function fillTemplate(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** A statistics source's row after mapping (checked by `monthlyContributions`, which refuses what is malformed). */
export type MonthlyRowOf = Record<string, unknown> & { localId: string; month: string };

/**
 * Fetches items from the connector's own service through the configured HTTP adapters. Calls for
 * the same URL within one exchange are made once. Any failure — unreachable, timeout, non-2xx,
 * not JSON, too large, mapping finds nothing — fails the whole fetch: the caller never gets a
 * partial result.
 */
@Injectable()
export class HttpAdapter {
  private readonly logger = new AppLogger(HttpAdapter.name);

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_SECRETS) private readonly secrets: ConnectorSecrets,
    @Inject(HTTP_FETCH) private readonly http: HttpFetch,
  ) {}

  /** item code → mapped value (not yet schema-checked). */
  async fetchItems(offers: ConnectorOfferConfig[], localId: string, period: DatePeriod | undefined, now: Date): Promise<Record<string, unknown>> {
    const today = tokyoToday(now);
    const calls = new Map<string, Promise<unknown>>();
    const plans = offers.map((offer) => {
      const window = periodFor(offer, period, today);
      const values = { localId, from: window?.from, to: window?.to, today };
      const url = `${this.config.service.url}${fillTemplate(offer.fetch.url, values)}`;
      const body = offer.fetch.method === 'POST' ? JSON.stringify({ localId, from: window?.from, to: window?.to }) : undefined;
      const key = `${offer.fetch.method} ${url} ${body ?? ''}`;
      if (!calls.has(key)) calls.set(key, this.call(offer.fetch.method, url, body, offer.code));
      return { offer, response: calls.get(key)! };
    });
    // Wait for every call (even after one failed) so that no request is left running unobserved.
    const settled = await Promise.allSettled(plans.map((p) => p.response));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const items: Record<string, unknown> = {};
    plans.forEach(({ offer }, i) => {
      try {
        items[offer.code] = mapResponse((settled[i] as PromiseFulfilledResult<unknown>).value, offer.fetch.select, offer.fetch.fields);
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        this.logger.warn(LogKind.Communication, 'Service response does not fit the mapping', { item: offer.code, pointer: error.pointer });
        throw connectorError('schema_violation', [{ field: offer.code, problem: error.message }]);
      }
    });
    return items;
  }

  /**
   * The monthly rows of a statistics grant's residents, read from the offer's statistics source in
   * batches of {@link STATISTICS_SOURCE_BATCH} local IDs, one call at a time (the service is not
   * flooded by one grant), each mapped to `{ localId, month, value?, municipality?, age_band? }`.
   */
  async *statisticsRows(offer: ConnectorOfferConfig, localIds: readonly string[], period: { from: string; to: string }): AsyncGenerator<MonthlyRowOf[]> {
    const source = offer.statistics!.source;
    const url = `${this.config.service.url}${source.url}`;
    for (let i = 0; i < localIds.length; i += STATISTICS_SOURCE_BATCH) {
      const body = JSON.stringify({ localIds: localIds.slice(i, i + STATISTICS_SOURCE_BATCH), from: period.from, to: period.to });
      const answer = await this.call('POST', url, body, offer.code);
      let mapped: unknown;
      try {
        mapped = mapResponse(answer, source.select, source.fields);
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        throw connectorError('schema_violation', [{ field: offer.code, problem: error.message }]);
      }
      if (!Array.isArray(mapped)) throw connectorError('schema_violation', [{ field: offer.code, problem: 'the statistics source did not answer a list of rows' }]);
      yield mapped as MonthlyRowOf[];
    }
  }

  private async call(method: 'GET' | 'POST', url: string, body: string | undefined, item: string): Promise<unknown> {
    const started = Date.now();
    let res: Response;
    try {
      res = await this.http(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(this.secrets.serviceToken ? { authorization: `Bearer ${this.secrets.serviceToken}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body,
        signal: AbortSignal.timeout(this.config.service.timeoutMs),
        // The adapter talks to one configured service: a redirect elsewhere is refused, not followed.
        redirect: 'error',
      });
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Service unreachable', { item, problem: fetchProblem(error) });
      throw connectorError('provider_unavailable');
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw connectorError('provider_record_not_found');
    }
    if (!res.ok) {
      await res.body?.cancel();
      this.logger.warn(LogKind.Communication, 'Service answered with an error', { item, status: res.status });
      throw connectorError('provider_unavailable');
    }
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > this.config.service.maxResponseBytes) {
      await res.body?.cancel();
      throw connectorError('provider_unavailable', [{ field: item, problem: 'response too large' }]);
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw connectorError('provider_unavailable');
    }
    if (Buffer.byteLength(text) > this.config.service.maxResponseBytes) throw connectorError('provider_unavailable', [{ field: item, problem: 'response too large' }]);
    try {
      const parsed = JSON.parse(text) as unknown;
      this.logger.log(LogKind.Communication, 'Service read', { item, status: res.status, durationMs: Date.now() - started });
      return parsed;
    } catch {
      throw connectorError('provider_unavailable', [{ field: item, problem: 'response is not JSON' }]);
    }
  }
}
