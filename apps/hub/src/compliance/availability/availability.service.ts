import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@tsunagu/common';
import { AppLogger } from '@tsunagu/logger';
import { MaintenanceNoticeService } from '../../operations/maintenance/maintenance-notice.service';
import { REDIS } from '../../platform/redis/redis.provider';
import { AvailabilityRepository } from './availability.repository';

const MINUTE = 60_000;
const JST = 9 * 3_600_000;

/** One month of the availability record (Japan-time calendar month). */
export interface AvailabilityMonth {
  /** `YYYY-MM` */
  month: string;
  /** Minutes of the month observed so far (from the first probe ever, up to now). */
  observedMinutes: number;
  /** Of those, minutes inside announced planned stops (left out of the promise). */
  plannedMinutes: number;
  /** Minutes outside planned stops a probe found the hub up. */
  upMinutes: number;
  /** upMinutes / (observed − planned), or null when nothing was observed. */
  availability: number | null;
}

/** The start of the Japan-time month `offset` months from the one holding `at`. */
function monthStart(at: Date, offset = 0): Date {
  const j = new Date(at.getTime() + JST);
  return new Date(Date.UTC(j.getUTCFullYear(), j.getUTCMonth() + offset, 1) - JST);
}

/**
 * The availability record: the hub probes its own health (database, Redis) once a minute and keeps
 * one row per minute; a month's availability is the share of its minutes found up, leaving out
 * the minutes of planned stops that were announced (the contracts' 24/365 promise and the
 * fee-reduction clause count those as agreed). Unannounced (urgent) stops count as down.
 */
@Injectable()
export class AvailabilityService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(AvailabilityService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly repo: AvailabilityRepository,
    private readonly notices: MaintenanceNoticeService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
  ) {}

  onApplicationBootstrap(): void {
    void this.probe();
    this.timer = setInterval(() => void this.probe(), MINUTE);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One probe: the same checks as `/health`. A database that is down cannot take the row: the minute stays missing (down). */
  async probe(): Promise<void> {
    let ok = true;
    if (this.redis) ok = await this.redis.ping().then(() => true, () => false);
    try {
      await this.db.query('SELECT 1');
      await this.repo.record(this.clock.now(), ok);
    } catch (error) {
      this.logger.error('Availability probe could not be recorded', error);
    }
  }

  /** The last `months` months, newest first. */
  async months(months = 12): Promise<AvailabilityMonth[]> {
    const now = this.clock.now();
    const first = await this.repo.firstMinute();
    const out: AvailabilityMonth[] = [];
    for (let i = 0; i < months; i++) out.push(await this.month(monthStart(now, -i), first, now));
    return out;
  }

  async month(start: Date, first: Date | undefined, now = this.clock.now()): Promise<AvailabilityMonth> {
    const end = monthStart(start, 1);
    const label = new Date(start.getTime() + JST).toISOString().slice(0, 7);
    const from = first && first > start ? first : start;
    const to = now < end ? now : end;
    if (!first || to <= from) return { month: label, observedMinutes: 0, plannedMinutes: 0, upMinutes: 0, availability: null };
    const windows = (await this.notices.plannedStopsBetween(from, to)).map((n) => [Math.max(new Date(n.starts_at).getTime(), from.getTime()), Math.min(new Date(n.ends_at).getTime(), to.getTime())]);
    const inPlanned = (t: number) => windows.some(([a, b]) => t >= a && t < b);
    const observedMinutes = Math.floor((to.getTime() - from.getTime()) / MINUTE);
    // Overlapping windows are counted once: walk the minutes (a month is at most 44,640).
    let plannedMinutes = 0;
    for (let t = from.getTime(); t < to.getTime(); t += MINUTE) if (inPlanned(t)) plannedMinutes++;
    const upMinutes = (await this.repo.okMinutes(from, to)).filter((m) => !inPlanned(m.getTime())).length;
    const denominator = observedMinutes - plannedMinutes;
    return { month: label, observedMinutes, plannedMinutes, upMinutes, availability: denominator > 0 ? Math.min(1, upMinutes / denominator) : null };
  }

  /** The record as CSV (month, minutes, availability in percent). */
  async csv(): Promise<string> {
    const rows = await this.months(24);
    const lines = rows.map((r) => [r.month, r.observedMinutes, r.plannedMinutes, r.upMinutes, r.availability === null ? '' : (r.availability * 100).toFixed(3)].join(','));
    return `month,observed_minutes,planned_stop_minutes,up_minutes,availability_percent\r\n${lines.join('\r\n')}\r\n`;
  }
}
