import { AppLogger } from '@tsunagu/logger';
import { startHub } from './hub.app';

process.env.TSUNAGU_SERVICE ??= 'hub';

startHub().then((hub) => {
  const stop = () => hub.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}).catch((error) => {
  new AppLogger('Hub').error('Hub failed to start', error);
  process.exit(1);
});
