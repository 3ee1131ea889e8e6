import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface TenantRow {
  id: string;
  code: string;
  name_ja: string;
  name_en: string;
  kind: 'prefecture' | 'municipality';
  active: boolean;
}

/** SQL for tenants (the prefecture and the municipalities). */
@Injectable()
export class TenantsRepository {
  constructor(private readonly db: DataSource) {}

  async findByCode(code: string): Promise<TenantRow | undefined> {
    return (await this.db.query(`SELECT * FROM tenants WHERE code = $1`, [code]))[0];
  }

  list(): Promise<TenantRow[]> {
    return this.db.query(`SELECT * FROM tenants ORDER BY kind DESC, code`);
  }
}
