import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@tsunagu/common';
import { type ConnectorEnforcementView, GRANT_CLOCK_TOLERANCE_SECONDS } from '@tsunagu/contracts';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import type { AudienceRole } from '../connect.repository';
import { RevocationSignals } from './revocation-signals';

/** One connector an outbox row (a consent change, a revoked connector) was pushed to, as enforcement judges it. */
export interface EnforcementDeliveryRow {
  connector_id: string;
  role: AudienceRole;
  acked_at: Date | null;
  /** The latest expiry of a grant concerned that this connector held or served (null once pruned: long expired). */
  grant_expires_at: Date | null;
  /**
   * Whether the connector learns the change from the feed too, so that the staleness rule stops
   * it (false: it can only be stopped by the push, or by the grant's expiry). Consent changes are
   * in every connector's feed.
   */
  follows_feed: boolean;
  service_name_ja: string;
  service_name_en: string;
}

/** An outbox row's progress: dispatched, fully enforced, what the waiting caller promised, and its deliveries. */
export interface EnforcementProgress {
  seq: string;
  dispatched_at: Date | null;
  enforce_by: Date | null;
  enforced_at: Date | null;
  deliveries: EnforcementDeliveryRow[];
}

/** The part of an enforcement view every kind shares (ConsentEnforcementView without what names the consent). */
export interface EnforcementSummary {
  committedAt: string;
  complete: boolean;
  enforcedAt: string | null;
  enforcedBy: string;
  connectors: ConnectorEnforcementView[];
}

/** How often a waiting answer looks again without a signal (another replica claimed the row and did not notify). */
const RECHECK_MS = 50;

/** Dispatched, and every connector acknowledged. */
function settled(row: EnforcementProgress): boolean {
  return !!row.dispatched_at && row.deliveries.every((d) => d.acked_at);
}

/** Resolves at the next signal of this outbox row, or after `ms`. */
function progressOf(signals: RevocationSignals, seq: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, Math.max(1, ms));
    const unsubscribe = signals.onProgress((progressed) => {
      if (progressed === seq) done();
    });
  });
}

/** The moment from which a provider that never hears of a change refuses: the commit plus the hub's staleness bound. */
function stalenessBound(committedAt: Date, stalenessSeconds: number): Date {
  return new Date(committedAt.getTime() + stalenessSeconds * 1000);
}

/**
 * The latest moment a connector that has not acknowledged can still act: a consumer only holds
 * its grant (until it expires, with the clock tolerance providers accept grants with); a provider
 * serves until the first of its grant's end and, if it follows the feed, the staleness bound.
 */
function latestAction(d: EnforcementDeliveryRow, committedAt: Date, stalenessSeconds: number): Date {
  const grantEnd = d.grant_expires_at ? new Date(d.grant_expires_at.getTime() + GRANT_CLOCK_TOLERANCE_SECONDS * 1000) : undefined;
  if (d.role === 'consumer' || !d.follows_feed) return grantEnd ?? committedAt;
  const stale = stalenessBound(committedAt, stalenessSeconds);
  return grantEnd && grantEnd < stale ? grantEnd : stale;
}

function maxDate(dates: Date[]): Date {
  return new Date(Math.max(...dates.map((d) => d.getTime())));
}

/**
 * What the caller may be told of an outbox row at `now`: each connector enforced (acknowledged),
 * pending (could still act until `at`) or lapsed (`at` has passed); complete once dispatched and
 * every provider acknowledged; and the moment from which no provider serves any more — the last
 * acknowledgement, or else the latest moment a provider that has not acknowledged can still
 * serve, never earlier than what the caller was already promised (`enforce_by`). Not dispatched
 * yet (the dispatcher is behind): `undispatched`, the bound of every possible provider (by default
 * the staleness rule).
 */
function enforcementSummary(
  row: EnforcementProgress, committedAt: Date, now: number, stalenessSeconds: number, undispatched = stalenessBound(committedAt, stalenessSeconds),
): EnforcementSummary {
  const connectors: ConnectorEnforcementView[] = row.deliveries.map((d) => {
    const at = d.acked_at ?? latestAction(d, committedAt, stalenessSeconds);
    return {
      connectorId: d.connector_id, role: d.role, service: { ja: d.service_name_ja, en: d.service_name_en },
      state: d.acked_at ? 'enforced' : at.getTime() > now ? 'pending' : 'lapsed', at: at.toISOString(),
    };
  });
  const providers = row.deliveries.filter((d) => d.role === 'provider');
  const complete = !!row.dispatched_at && providers.every((d) => d.acked_at);
  const enforcedAt = complete ? row.enforced_at ?? maxDate([committedAt, ...providers.map((d) => d.acked_at!)]) : null;
  const enforcedBy = enforcedAt
    ?? (row.dispatched_at
      ? maxDate(providers.map((d) => d.acked_at ?? latestAction(d, committedAt, stalenessSeconds)))
      : undispatched);
  return {
    committedAt: committedAt.toISOString(), complete, enforcedAt: enforcedAt?.toISOString() ?? null,
    enforcedBy: (row.enforce_by && !complete ? maxDate([row.enforce_by, enforcedBy]) : enforcedBy).toISOString(), connectors,
  };
}

/**
 * Enforce, then answer — what every kind of revocation shares (a withdrawal, a revoked
 * connector): the bounded wait for acknowledgements after a commit (REVOCATION_ACK_WAIT_MS,
 * woken by the progress signals of the outbox row, across replicas), and the judgement of what
 * the waiting caller may be told, by the bounds above.
 */
@Injectable()
export class AcknowledgementWait {
  constructor(
    private readonly signals: RevocationSignals,
    @Inject(HUB_CONFIG) private readonly config: Pick<HubConfig, 'REVOCATION_ACK_WAIT_MS' | 'REVOCATION_STALENESS_SECONDS'>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** In process: an outbox row has just been committed here (the dispatcher claims it at once). */
  committed(): void {
    this.signals.outboxWritten();
  }

  /**
   * Reloads the outbox rows (`load`) at each signal of their progress until each is dispatched and
   * acknowledged by every connector, or the wait after `committedAt` is over. Returns the last rows read.
   */
  async untilAcknowledged<R extends EnforcementProgress>(load: () => Promise<R[]>, committedAt: Date): Promise<R[]> {
    const deadline = committedAt.getTime() + this.config.REVOCATION_ACK_WAIT_MS;
    let rows = await load();
    while (rows.length && !rows.every(settled) && this.clock.now().getTime() < deadline) {
      const waiting = rows.find((row) => !settled(row))!;
      await progressOf(this.signals, waiting.seq, Math.min(RECHECK_MS, deadline - this.clock.now().getTime()));
      rows = await load();
    }
    return rows;
  }

  /** What the caller may be told of the row now (see enforcementSummary); `undispatched`: the bound before dispatch, by default the staleness rule. */
  summary(row: EnforcementProgress, committedAt: Date, undispatched?: Date): EnforcementSummary {
    return enforcementSummary(row, committedAt, this.clock.now().getTime(), this.config.REVOCATION_STALENESS_SECONDS, undispatched);
  }

  /** The commit plus the hub's staleness bound: the latest moment a provider serves without having heard of a change. */
  stalenessBound(committedAt: Date): Date {
    return stalenessBound(committedAt, this.config.REVOCATION_STALENESS_SECONDS);
  }

  now(): Date {
    return this.clock.now();
  }
}
