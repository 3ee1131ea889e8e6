export * from './test-database';
export * from './browser-agent';
export * from './wait-for';
export * from './replay-cache.contract';
export * from './attempt-limiter.contract';
export * from './test-card';
