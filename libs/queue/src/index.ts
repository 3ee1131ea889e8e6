export * from './queue-name';
export * from './job-data';
export * from './job-queue';
export * from './bull.job-queue';
export * from './in-process.job-queue';
export * from './job-queue.factory';
