import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '@tsunagu/common';

/** SQL of platform settings: platform-wide key/value rows (not tenant-owned). */
@Injectable()
export class PlatformSettingsRepository {
  constructor(private readonly db: DataSource) {}

  async all(q: Queryable = this.db): Promise<Record<string, unknown>> {
    const rows: { key: string; value: unknown }[] = await q.query(`SELECT key, value FROM platform_settings`);
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async put(q: Queryable, key: string, value: unknown, adminId: string): Promise<void> {
    await q.query(
      `INSERT INTO platform_settings (key, value, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [key, JSON.stringify(value), adminId]);
  }
}
