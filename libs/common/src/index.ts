export * from './domain.exception';
export * from './domain-exception.filter';
export * from './ajv-body.pipe';
export * from './free-port';
export * from './clock';
export * from './sql';
export * from './replay-cache';
export * from './attempt-limiter';
