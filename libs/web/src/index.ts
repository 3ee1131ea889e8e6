export * from './csrf';
export * from './html';
export * from './lang';
export * from './layout';
export * from './same-origin';
export * from './web-reply';
