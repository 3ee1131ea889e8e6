export * from './errors';
export * from './links';
export * from './residents';
export * from './assurance';
