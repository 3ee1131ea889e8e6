import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** SQL of the availability probes (platform-wide: one platform, one record). */
@Injectable()
export class AvailabilityRepository {
  constructor(private readonly db: DataSource) {}

  /** Records a probe's minute; a later ok probe in the same minute wins over a failed one. */
  async record(minute: Date, ok: boolean): Promise<void> {
    await this.db.query(`INSERT INTO availability_probes (minute, ok) VALUES (date_trunc('minute', $1::timestamptz), $2)
      ON CONFLICT ON CONSTRAINT availability_probes_pkey DO UPDATE SET ok = availability_probes.ok OR EXCLUDED.ok`, [minute, ok]);
  }

  /** The first minute ever probed (the record starts there). */
  async firstMinute(): Promise<Date | undefined> {
    const [row] = await this.db.query(`SELECT min(minute) AS first FROM availability_probes`);
    return row?.first ? new Date(row.first) : undefined;
  }

  /** The minutes in [from, to) a probe found everything up. */
  async okMinutes(from: Date, to: Date): Promise<Date[]> {
    const rows: { minute: Date }[] = await this.db.query(`SELECT minute FROM availability_probes WHERE ok AND minute >= $1 AND minute < $2`, [from, to]);
    return rows.map((r) => new Date(r.minute));
  }
}
