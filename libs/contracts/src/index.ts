export * from './errors';
export * from './links';
export * from './residents';
export * from './assurance';
export * from './identity-proofing';
