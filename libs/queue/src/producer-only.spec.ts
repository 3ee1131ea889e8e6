import { InProcessJobQueue } from './in-process.job-queue';
import { producerOnly } from './job-queue.factory';
import type { MaintenanceJobs } from './job-data';

describe(producerOnly.name, () => {
  it('adds and counts jobs but never runs a handler', async () => {
    const queue = new InProcessJobQueue<MaintenanceJobs>('maintenance');
    const web = producerOnly<MaintenanceJobs>(queue);
    const ran: number[] = [];
    await web.process('purge-retired-keys', async ({ olderThanDays }) => { ran.push(olderThanDays); });
    await web.add('purge-retired-keys', { olderThanDays: 3 });
    expect(web.name).toBe('maintenance');
    expect((await web.counts()).waiting).toBe(1);
    expect(ran).toEqual([]);
    // The same queue processed by a worker runs it.
    await queue.process('purge-retired-keys', async ({ olderThanDays }) => { ran.push(olderThanDays); });
    for (let i = 0; i < 50 && !ran.length; i++) await new Promise((r) => setImmediate(r));
    expect(ran).toEqual([3]);
    await web.close();
  });
});
