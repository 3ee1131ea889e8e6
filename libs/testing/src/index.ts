export * from './test-database';
export * from './browser-agent';
