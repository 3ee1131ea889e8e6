import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConnectorErrorCodes, type ConnectorFileConfig, ErrorReason, isConnectorErrorCode, type OfferPublication, type OfferPublishResponse, type OfferStatisticsDeclaration } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CONNECTOR_CONFIG, type ConnectorConfig } from '../connector.tokens';
import { HubClient } from './hub.client';

/**
 * The offers of a configuration as the hub's `PUT /connect/v1/offers` takes them. A description
 * given as one string (files written before offers were published) stands for both languages; an
 * offer without a name is named by its code (the tenant admin names it before activating it).
 */
export function offerPublications(config: Pick<ConnectorFileConfig, 'offers'>): OfferPublication[] {
  return config.offers.map((o) => {
    const description = typeof o.description === 'string' ? { ja: o.description, en: o.description } : o.description ?? { ja: o.code, en: o.code };
    return {
      code: o.code,
      name: o.name ?? { ja: o.code, en: o.code },
      description,
      specialCare: o.specialCare ?? false,
      schema: o.schema,
      maxWindowDays: o.window?.maxDays ?? null,
      // The declaration only: where the connector reads its rows (`source`) stays here.
      ...(o.statistics ? { statistics: declarationOf(o.statistics) } : {}),
    };
  });
}

function declarationOf(s: NonNullable<ConnectorFileConfig['offers'][number]['statistics']>): OfferStatisticsDeclaration {
  return { numeric: s.numeric, ...(s.maximum !== undefined ? { maximum: s.maximum } : {}), dimensions: s.dimensions };
}

/** Whether a refusal may go away by itself (the hub down or busy), so that publishing again later may succeed. */
export function publicationRetryable(code: string): boolean {
  return !isConnectorErrorCode(code) || ConnectorErrorCodes[code] === ErrorReason.Unavailable;
}

/**
 * Publishes the configuration's offers to the hub at each start, once the hub answers: a new or
 * changed offer becomes a draft the tenant admin activates (docs/connector.md §7). Runs beside
 * serving and never holds it up; while the hub is unreachable it tries again with a growing delay.
 * A typed refusal (a schema the hub does not accept, a code of another service, a suspended
 * connector) is logged as an error and not retried: the configuration must change first.
 */
@Injectable()
export class OfferPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(OfferPublisher.name);
  private timer?: NodeJS.Timeout;
  /** Settles the current run's `done` (a promise settles once: later calls do nothing). */
  private settle?: (r: OfferPublishResponse | undefined) => void;
  private stopped = true;
  /** Delays between tries, in ms; the last repeats. */
  retryDelaysMs: number[] = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];
  /** Settles when the current run is over (published, refused, or stopped): for tests and the register command. */
  done: Promise<OfferPublishResponse | undefined> = Promise.resolve(undefined);

  constructor(@Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig, private readonly hub: HubClient) {}

  onApplicationBootstrap(): void {
    if (this.config.offers.length) this.start();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A retry waiting for its timer will not run: the run is over, and `done` says so.
    this.settle?.(undefined);
  }

  /** Starts publishing (in the background). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.done = new Promise((resolve) => this.schedule(0, 0, resolve));
  }

  /** One try: publishes and logs each offer's outcome. Throws the hub's refusal. */
  async publishOnce(): Promise<OfferPublishResponse> {
    const answer = await this.hub.publishOffers({ offers: offerPublications(this.config) });
    for (const o of answer.offers) {
      this.logger.log(LogKind.Communication, 'Offer published to the hub', { code: o.code, outcome: o.outcome, version: o.version });
    }
    const drafts = answer.offers.filter((o) => o.outcome !== 'unchanged').length;
    if (drafts) this.logger.log(LogKind.Communication, 'Offers await activation by a tenant admin at the hub', { drafts });
    return answer;
  }

  private schedule(delay: number, attempt: number, resolve: (r: OfferPublishResponse | undefined) => void): void {
    this.settle = resolve;
    this.timer = setTimeout(() => void this.attempt(attempt, resolve), delay);
    this.timer.unref();
  }

  private async attempt(attempt: number, resolve: (r: OfferPublishResponse | undefined) => void): Promise<void> {
    if (this.stopped) return resolve(undefined);
    try {
      const answer = await this.publishOnce();
      this.stopped = true;
      resolve(answer);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'internal_error';
      const details = (error as { details?: unknown }).details;
      if (!publicationRetryable(code)) {
        this.logger.error('The hub refused the offers of the configuration; fix it and restart', undefined, { code, details: JSON.stringify(details ?? []).slice(0, 2000) });
        this.stopped = true;
        return resolve(undefined);
      }
      const delay = this.retryDelaysMs[Math.min(attempt, this.retryDelaysMs.length - 1)];
      if (attempt === 0 || delay !== this.retryDelaysMs[Math.min(attempt - 1, this.retryDelaysMs.length - 1)]) {
        this.logger.warn(LogKind.Communication, 'Offers not published yet; trying again', { code, inMs: delay });
      }
      if (this.stopped) return resolve(undefined);
      this.schedule(delay, attempt + 1, resolve);
    }
  }
}
