export * from './embedded-postgres';
export * from './data-source-options';
export * from './transaction-guard';
