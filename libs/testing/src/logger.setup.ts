import { configureLogger, isLogLevel } from '@tsunagu/logger';

/**
 * Jest `setupFiles` entry (jest.config.js): specs and the apps they start in-process log nothing,
 * unless the run asks for lines with LOG_LEVEL (`LOG_LEVEL=debug npx jest …`). An app's own start-up
 * sets the level from its config but never lifts the silence.
 */
const level = process.env.LOG_LEVEL;
configureLogger(isLogLevel(level) ? { level } : { silent: true });
