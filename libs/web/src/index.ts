export * from './csrf';
export * from './html';
export * from './lang';
export * from './layout';
export * from './web-reply';
export * from './http-defaults';
