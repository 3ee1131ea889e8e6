import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';

export interface SessionDeviceRow {
  session_uid: string;
  resident_id: string;
  user_agent: string;
  client_ip: string | null;
  signed_in_at: Date;
  last_seen_at: Date;
}

/** SQL for what the portal shows of each sign-in session (the session itself is oidc-provider's). */
@Injectable()
export class SessionDevicesRepository {
  constructor(private readonly db: DataSource) {}

  /** A sign-in: the session's device row starts again (a session uid signed in by another account is taken over). */
  async recordSignIn(uid: string, residentId: string, userAgent: string, clientIp: string | undefined): Promise<void> {
    if (!isUuid(residentId)) return;
    await this.db.query(
      `INSERT INTO resident_session_devices (session_uid, resident_id, user_agent, client_ip) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_uid) DO UPDATE SET resident_id = EXCLUDED.resident_id, user_agent = EXCLUDED.user_agent,
         client_ip = EXCLUDED.client_ip, signed_in_at = now(), last_seen_at = now()`,
      [uid, residentId, userAgent.slice(0, 512), clientIp ?? null]);
  }

  /** The session was used (a portal page, a service's sign-in): last seen now, from this address. */
  async touch(uid: string, residentId: string, clientIp: string | undefined): Promise<void> {
    if (!isUuid(residentId)) return;
    await this.db.query(
      `UPDATE resident_session_devices SET last_seen_at = now(), client_ip = COALESCE($3, client_ip) WHERE session_uid = $1 AND resident_id = $2`,
      [uid, residentId, clientIp ?? null]);
  }

  async listForResident(residentId: string): Promise<SessionDeviceRow[]> {
    if (!isUuid(residentId)) return [];
    return this.db.query(`SELECT * FROM resident_session_devices WHERE resident_id = $1`, [residentId]);
  }

  async delete(residentId: string, uids: string[]): Promise<void> {
    if (uids.length && isUuid(residentId)) await this.db.query(`DELETE FROM resident_session_devices WHERE resident_id = $1 AND session_uid = ANY($2::text[])`, [residentId, uids]);
  }
}
