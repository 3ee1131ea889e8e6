import { ConfigError } from '@tsunagu/config';
import { AppLogger } from '@tsunagu/logger';
import { bootstrap } from './app';

const logger = new AppLogger('DemoCashlessMain');

bootstrap()
  .then((running) => running.app.enableShutdownHooks())
  .catch((error: unknown) => {
    logger.error(error instanceof ConfigError ? error.message : 'The cashless demo failed to start', error);
    process.exit(1);
  });
