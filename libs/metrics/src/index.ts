export * from './metrics-registry';
export * from './http-metrics.middleware';
export * from './metrics-endpoint';
