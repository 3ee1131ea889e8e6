import { AppLogger, LogKind } from '@tsunagu/logger';
import { type RunningHub, startHub } from './hub.app';

/** How long a stop may take (in-flight requests, a stuck query) before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;
const logger = new AppLogger('Hub');
let hub: RunningHub | undefined;
let stopping: NodeJS.Signals | undefined;

function stop(signal: NodeJS.Signals): void {
  if (!hub) process.exit(0); // not up yet: nothing to close
  if (stopping) {
    // The same signal again is a second Ctrl+C: leave now. Another one is `npm start` passing the
    // stop on (Ctrl+C reaches the whole group, then it sends SIGTERM): let the close finish — the
    // embedded database must shut down cleanly to keep ./data intact.
    if (signal === stopping) process.exit(1);
    return;
  }
  stopping = signal;
  logger.log(LogKind.Event, 'Hub stopping', { signal });
  setTimeout(() => {
    logger.warn(LogKind.Event, 'Hub did not stop in time; exiting', { graceMs: SHUTDOWN_GRACE_MS });
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  hub.close().then(() => process.exit(0), (error: unknown) => {
    logger.error('Hub stopped with an error', error);
    process.exit(1);
  });
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);

startHub().then((running) => {
  hub = running;
}).catch((error) => {
  logger.error('Hub failed to start', error);
  process.exit(1);
});
