import { testRedis } from '@tsunagu/testing';
import { BullJobQueue } from './bull.job-queue';
import { InProcessJobQueue } from './in-process.job-queue';
import { createJobQueue } from './job-queue.factory';
import { QueueName } from './queue-name';

describe(createJobQueue.name, () => {
  it('creates an in-process queue when no Redis URL is given', async () => {
    const queue = createJobQueue(QueueName.Maintenance, { prefix: 'unused' });

    expect(queue).toBeInstanceOf(InProcessJobQueue);
    expect(queue.name).toBe('maintenance');
    await queue.close();
  });

  it('creates a bull queue on Redis when a Redis URL is given', async () => {
    const { url, prefix } = testRedis();
    const queue = createJobQueue(QueueName.Jpki, { redisUrl: url, prefix });

    expect(queue).toBeInstanceOf(BullJobQueue);
    await queue.add('refresh-crls', {});
    expect((await queue.counts()).waiting).toBe(1);
    await queue.close();
  });

  it('accepts only the job names and data of its own queue', async () => {
    const queue = createJobQueue(QueueName.Maintenance, { prefix: 'unused' });

    await queue.add('purge-retired-keys', { olderThanDays: 30 });
    // tsc (npm run typecheck) checks the two lines below; at run time nothing stops them.
    // @ts-expect-error the JPKI job does not belong to the maintenance queue
    await queue.add('refresh-crls', {});
    // @ts-expect-error olderThanDays is a number
    await queue.add('purge-retired-keys', { olderThanDays: '30' });

    expect((await queue.counts()).waiting).toBe(3);
    await queue.close();
  });

  it('rejects a retry policy with a non-positive number of attempts', () => {
    expect(() => createJobQueue(QueueName.Revocations, { prefix: 'unused', attempts: 0 })).toThrow(RangeError);
  });
});
