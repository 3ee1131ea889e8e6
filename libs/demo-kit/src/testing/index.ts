export * from './discovery-document.server';
export * from './fake-hub';
export * from './demo-flow';
export * from './demo-app.suite';
export * from './sdk-stand-in';
export * from './app-per-suite';
export * from './connector-section.harness';
export * from './demo-config.suite';
