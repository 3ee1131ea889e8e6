import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlatformSettingsForm } from '@tsunagu/contracts';
import { AuditService } from '../../audit/audit.service';
import { inTransaction } from '../../platform/database/sql';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { DEFAULT_PLATFORM_SETTINGS, type PlatformSettings, SETTING_RANGES } from './platform-settings';
import { PlatformSettingsRepository } from './platform-settings.repository';

/**
 * Platform settings: defaults overlaid with what the system admin saved. Read from the database
 * each time (a few rows), so a change holds on every replica at once.
 */
@Injectable()
export class PlatformSettingsService {
  constructor(private readonly db: DataSource, private readonly repo: PlatformSettingsRepository, private readonly audit: AuditService) {}

  async current(): Promise<PlatformSettings> {
    const stored = await this.repo.all();
    const settings = { ...DEFAULT_PLATFORM_SETTINGS };
    for (const key of Object.keys(settings) as (keyof PlatformSettings)[]) {
      const value = stored[key];
      if (typeof value === typeof settings[key]) (settings as Record<string, unknown>)[key] = value;
    }
    return settings;
  }

  async update(principal: AdminPrincipal, form: PlatformSettingsForm): Promise<PlatformSettings> {
    const next: PlatformSettings = { ...DEFAULT_PLATFORM_SETTINGS, supportContactJa: form.supportContactJa.trim(), supportContactEn: form.supportContactEn.trim() };
    const problems: { field: string; problem: string }[] = [];
    for (const [key, [min, max]] of Object.entries(SETTING_RANGES) as [keyof typeof SETTING_RANGES, [number, number]][]) {
      const value = Number(form[key]);
      if (!Number.isInteger(value) || value < min || value > max) problems.push({ field: key, problem: `must be an integer from ${min} to ${max}` });
      else next[key] = value;
    }
    if (problems.length) {
      throw new AdminException('invalid_setting', problems);
    }
    const before = await this.current();
    const changed = (Object.keys(next) as (keyof PlatformSettings)[]).filter((k) => next[k] !== before[k]);
    await inTransaction(this.db, async (tx) => {
      for (const key of changed) await this.repo.put(tx, key, next[key], principal.adminId);
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, subject: 'platform_settings', outcome: 'success',
        details: { action: 'platform_settings.update', changed: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: next[k] }])) },
      }, tx);
    });
    return next;
  }
}
