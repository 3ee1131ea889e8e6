import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { TestClock } from '../../consent/testing/consent-fixtures';
import type { MaintenanceNoticeService } from '../../operations/maintenance/maintenance-notice.service';
import type { MaintenanceNoticeRow } from '../../operations/maintenance/maintenance-notice.repository';
import { AvailabilityRepository } from './availability.repository';
import { AvailabilityService } from './availability.service';

const MINUTE = 60_000;

describe(AvailabilityService.name, () => {
  let db: DataSource;
  let clock: TestClock;
  let repo: AvailabilityRepository;
  let stops: Pick<MaintenanceNoticeRow, 'starts_at' | 'ends_at'>[];
  let service: AvailabilityService;

  beforeAll(async () => {
    db = await openTestDataSource([], 'availability');
    // 2026-12-01 00:00 Japan time + 100 minutes.
    clock = new TestClock(new Date(Date.parse('2026-11-30T15:00:00Z') + 100 * MINUTE));
    repo = new AvailabilityRepository(db);
    stops = [];
    const notices = { plannedStopsBetween: async () => stops } as unknown as MaintenanceNoticeService;
    service = new AvailabilityService(db, repo, notices, clock);
  });
  afterAll(() => db?.destroy());

  it('counts probed minutes as up, missing ones as down, and leaves announced planned stops out', async () => {
    const start = Date.parse('2026-11-30T15:00:00Z');
    // Up for the first 80 minutes, then nothing (the hub was down) for 20.
    for (let m = 0; m < 80; m++) await repo.record(new Date(start + m * MINUTE + 5_000), true);
    expect(await service.month(new Date(start), await repo.firstMinute())).toEqual({ month: '2026-12', observedMinutes: 100, plannedMinutes: 0, upMinutes: 80, availability: 0.8 });
    // The 20 missing minutes were an announced planned stop: 100 % of the promised time.
    stops = [{ starts_at: new Date(start + 80 * MINUTE), ends_at: new Date(start + 120 * MINUTE) }];
    expect(await service.month(new Date(start), await repo.firstMinute())).toMatchObject({ plannedMinutes: 20, upMinutes: 80, availability: 1 });
    const csv = await service.csv();
    expect(csv.split('\r\n')[1]).toBe('2026-12,100,20,80,100.000');
  });

  it('keeps one row per minute, an ok probe winning over a failed one', async () => {
    const at = new Date('2026-12-01T00:00:30Z');
    await repo.record(at, false);
    await repo.record(at, true);
    await repo.record(at, false);
    expect(await db.query(`SELECT ok FROM availability_probes WHERE minute = '2026-12-01T00:00:00Z'`)).toEqual([{ ok: true }]);
  });

  it('shows nothing for a month before the first probe', async () => {
    expect((await service.months(3))[2]).toMatchObject({ month: '2026-10', availability: null, observedMinutes: 0 });
  });
});
