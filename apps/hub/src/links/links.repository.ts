import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';

export interface LinkRow {
  id: string;
  tenant_id: string;
  service_id: string;
  resident_id: string;
  local_id: string;
  linked_at: Date;
}

export interface ResidentLinkRow extends LinkRow {
  client_id: string;
  name_ja: string;
  name_en: string;
}

/** SQL for ID links (個別ID紐づけ): (service, local ID) ↔ resident, unique on both sides. */
@Injectable()
export class LinksRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts a link, or reports which uniqueness rule stopped it. The constraints decide, so two
   * replicas linking the same local ID at once cannot both succeed.
   */
  async insert(values: { tenantId: string; serviceId: string; residentId: string; localId: string }): Promise<{ row: LinkRow; created: boolean } | 'local_id_taken' | 'resident_linked'> {
    const rows = await this.db.query(
      `INSERT INTO service_links (tenant_id, service_id, resident_id, local_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING *`,
      [values.tenantId, values.serviceId, values.residentId, values.localId]);
    if (rows[0]) return { row: rows[0], created: true };
    const byLocal = await this.findByLocalId(values.serviceId, values.localId);
    if (byLocal) return byLocal.resident_id === values.residentId ? { row: byLocal, created: false } : 'local_id_taken';
    return 'resident_linked';
  }

  async findByLocalId(serviceId: string, localId: string): Promise<LinkRow | undefined> {
    return (await this.db.query(`SELECT * FROM service_links WHERE service_id = $1 AND local_id = $2`, [serviceId, localId]))[0];
  }

  async findForResidentAtService(serviceId: string, residentId: string): Promise<LinkRow | undefined> {
    return (await this.db.query(`SELECT * FROM service_links WHERE service_id = $1 AND resident_id = $2`, [serviceId, residentId]))[0];
  }

  /** Scoped by resident: the caller is the resident, across every tenant's services. */
  listForResident(residentId: string): Promise<ResidentLinkRow[]> {
    return this.db.query(
      `SELECT l.*, s.client_id, s.name_ja, s.name_en FROM service_links l JOIN services s ON s.id = l.service_id
       WHERE l.resident_id = $1 ORDER BY l.linked_at`, [residentId]);
  }

  /** The resident's link at one service, by the service's client ID. */
  async findForResidentByClient(residentId: string, clientId: string): Promise<ResidentLinkRow | undefined> {
    return (await this.db.query(
      `SELECT l.*, s.client_id, s.name_ja, s.name_en FROM service_links l JOIN services s ON s.id = l.service_id
       WHERE l.resident_id = $1 AND s.client_id = $2`, [residentId, clientId]))[0];
  }

  async findOfResident(residentId: string, linkId: string): Promise<ResidentLinkRow | undefined> {
    if (!isUuid(linkId)) return undefined;
    return (await this.db.query(
      `SELECT l.*, s.client_id, s.name_ja, s.name_en FROM service_links l JOIN services s ON s.id = l.service_id
       WHERE l.resident_id = $1 AND l.id = $2`, [residentId, linkId]))[0];
  }

  async deleteForResident(residentId: string, linkId: string): Promise<boolean> {
    if (!isUuid(linkId)) return false;
    const [, count] = await this.db.query(`DELETE FROM service_links WHERE id = $1 AND resident_id = $2`, [linkId, residentId]);
    return count === 1;
  }
}
