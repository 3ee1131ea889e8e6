import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADMIN_ERROR_MESSAGES, ADMIN_ERROR_MESSAGES_WITH_VALUE, type MaintenanceNoticeForm } from '@tsunagu/contracts';
import { AppLogger } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { inTransaction } from '../../platform/database/sql';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { PlatformSettingsService } from '../settings/platform-settings.service';
import { type MaintenanceNoticeView, setMaintenanceBoard } from './maintenance-banner';
import { type MaintenanceNoticeRow, MaintenanceNoticeRepository } from './maintenance-notice.repository';

const REFRESH_MS = 60_000;

/** 2-3(7)イ: the end of the platform's use is announced at least six months ahead. */
export const DOMAIN_END_NOTICE_MONTHS = 6;

/** The same wall-clock time `months` calendar months later (the last day of a shorter month). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** `YYYY-MM-DDTHH:mm` in Japan time (UTC+9, no DST) as an instant. */
export function parseJapanTime(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi) return undefined;
  return new Date(check.getTime() - 9 * 3_600_000);
}

function view(r: MaintenanceNoticeRow): MaintenanceNoticeView {
  const startsAt = new Date(r.starts_at);
  return {
    id: r.id, startsAt, endsAt: new Date(r.ends_at), title: { ja: r.title_ja, en: r.title_en }, body: { ja: r.body_ja, en: r.body_en },
    urgent: r.urgent, kind: r.kind, inProgress: startsAt.getTime() <= Date.now(),
  };
}

/**
 * Planned-maintenance notices. The procurement spec requires residents to be told a week before
 * a planned stop: a notice must start at least `maintenanceNoticeDays` (platform setting, 7 by
 * default) after it is published, unless marked urgent (an unplanned stop; recorded as such).
 * The resident portal shows current notices: {@link current}, or the banner helper.
 */
@Injectable()
export class MaintenanceNoticeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(MaintenanceNoticeService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly repo: MaintenanceNoticeRepository,
    private readonly settings: PlatformSettingsService,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The notices residents should see now (not cancelled, not over), soonest first. */
  async current(): Promise<MaintenanceNoticeView[]> {
    return (await this.repo.current()).map(view);
  }

  recent(): Promise<MaintenanceNoticeRow[]> {
    return this.repo.recent();
  }

  /** One notice (for its cancellation's confirmation page). */
  async get(id: string): Promise<MaintenanceNoticeRow> {
    const row = await this.repo.find(id);
    if (!row) throw new AdminException('notice_not_found');
    return row;
  }

  async create(principal: AdminPrincipal, form: MaintenanceNoticeForm): Promise<string> {
    const startsAt = parseJapanTime(form.startsAt);
    const endsAt = parseJapanTime(form.endsAt);
    const kind = form.kind ?? 'maintenance';
    if (kind === 'domain_end') return this.createDomainEnd(principal, form, startsAt, endsAt);
    const urgent = form.urgent === 'on';
    const { maintenanceNoticeDays } = await this.settings.current();
    const problems: { field: string; problem: string }[] = [];
    if (!startsAt) problems.push({ field: 'startsAt', problem: 'not a date and time' });
    if (!endsAt) problems.push({ field: 'endsAt', problem: 'not a date and time' });
    if (startsAt && endsAt && endsAt <= startsAt) problems.push({ field: 'endsAt', problem: 'must be after the start' });
    if (startsAt && startsAt.getTime() <= Date.now()) problems.push({ field: 'startsAt', problem: 'must be in the future' });
    else if (startsAt && !urgent && startsAt.getTime() < Date.now() + maintenanceNoticeDays * 86_400_000) {
      problems.push({ field: 'startsAt', problem: `must be at least ${maintenanceNoticeDays} days ahead (or mark the stop as urgent)` });
    }
    if (problems.length) {
      throw new AdminException('invalid_maintenance_window', ADMIN_ERROR_MESSAGES_WITH_VALUE.invalid_maintenance_window(maintenanceNoticeDays), problems);
    }
    const id = await inTransaction(this.db, async (tx) => {
      const noticeId = await this.repo.insert(tx, {
        starts_at: startsAt!, ends_at: endsAt!, title_ja: form.titleJa.trim(), title_en: form.titleEn.trim(), body_ja: form.bodyJa.trim(), body_en: form.bodyEn.trim(), urgent, kind: 'maintenance',
      }, principal.adminId);
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, subject: noticeId, outcome: 'success',
        details: { action: 'maintenance_notice.create', startsAt: startsAt!.toISOString(), endsAt: endsAt!.toISOString(), urgent },
      }, tx);
      return noticeId;
    });
    await this.refresh();
    return id;
  }

  /**
   * The domain-end notice (2-3(7)イ): the end of the platform's use (`startsAt`) at least
   * {@link DOMAIN_END_NOTICE_MONTHS} months after it is published; `endsAt` (after the end) is when
   * the notice comes down. Never urgent.
   */
  private async createDomainEnd(principal: AdminPrincipal, form: MaintenanceNoticeForm, endOfUse: Date | undefined, until: Date | undefined): Promise<string> {
    const problems: { field: string; problem: string }[] = [];
    if (!endOfUse) problems.push({ field: 'startsAt', problem: 'not a date and time' });
    if (!until) problems.push({ field: 'endsAt', problem: 'not a date and time' });
    if (endOfUse && until && until <= endOfUse) problems.push({ field: 'endsAt', problem: 'must be after the end of use' });
    if (endOfUse && endOfUse.getTime() < addMonths(new Date(), DOMAIN_END_NOTICE_MONTHS).getTime()) {
      problems.push({ field: 'startsAt', problem: `must be at least ${DOMAIN_END_NOTICE_MONTHS} months ahead` });
    }
    if (form.urgent === 'on') problems.push({ field: 'urgent', problem: 'the end of the platform cannot be urgent' });
    if (problems.length) throw new AdminException('invalid_domain_end', ADMIN_ERROR_MESSAGES.invalid_domain_end, problems);
    const id = await inTransaction(this.db, async (tx) => {
      const noticeId = await this.repo.insert(tx, {
        starts_at: endOfUse!, ends_at: until!, title_ja: form.titleJa.trim(), title_en: form.titleEn.trim(), body_ja: form.bodyJa.trim(), body_en: form.bodyEn.trim(), urgent: false, kind: 'domain_end',
      }, principal.adminId);
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, subject: noticeId, outcome: 'success',
        details: { action: 'domain_end_notice.create', endsUseAt: endOfUse!.toISOString(), until: until!.toISOString() },
      }, tx);
      return noticeId;
    });
    await this.refresh();
    return id;
  }

  /** Announced (not urgent) planned stops overlapping a period, for the availability record. */
  plannedStopsBetween(from: Date, to: Date): Promise<MaintenanceNoticeRow[]> {
    return this.repo.plannedStopsBetween(from, to);
  }

  async cancel(principal: AdminPrincipal, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const row = await this.repo.cancel(tx, id);
      if (!row) throw new AdminException('notice_not_found');
      await this.audit.record({ type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, subject: id, outcome: 'success', details: { action: 'maintenance_notice.cancel' } }, tx);
    });
    await this.refresh();
  }

  /** Reloads this process's copy of the notices for the banner. */
  async refresh(): Promise<void> {
    try {
      const [notices, settings] = await Promise.all([this.current(), this.settings.current()]);
      setMaintenanceBoard({ notices, contact: { ja: settings.supportContactJa, en: settings.supportContactEn } });
    } catch (error) {
      this.logger.error('Could not refresh the maintenance notices', error);
    }
  }
}
