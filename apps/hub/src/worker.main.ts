import { AppLogger, LogKind } from '@tsunagu/logger';
import { type RunningWorker, startWorker } from './worker.app';

/** How long a stop may take (active jobs) before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;
const logger = new AppLogger('Worker');
let worker: RunningWorker | undefined;

function stop(signal: NodeJS.Signals): void {
  if (!worker) process.exit(0);
  logger.log(LogKind.Event, 'Hub worker stopping', { signal });
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
  worker.close().then(() => process.exit(0), (error: unknown) => {
    logger.error('Hub worker stopped with an error', error);
    process.exit(1);
  });
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);

startWorker().then((running) => {
  worker = running;
}).catch((error) => {
  logger.error('Hub worker failed to start', error);
  process.exit(1);
});
