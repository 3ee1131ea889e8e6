/**
 * Every queue the hub uses. The value is the queue's name in Redis (under the configured key
 * prefix), so renaming one orphans the jobs already stored under the old name.
 */
export enum QueueName {
  Maintenance = 'maintenance',
  Jpki = 'jpki',
  Revocations = 'revocations',
}
