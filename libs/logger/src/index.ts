export * from './log-kind';
export * from './correlation';
export * from './app-logger';
export * from './access-log.middleware';
