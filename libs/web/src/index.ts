export * from './csrf';
export * from './data-table';
export * from './html';
export * from './lang';
export * from './layout';
export * from './support-details';
export * from './same-origin';
export * from './web-reply';
