export * from './identity';
export * from './notebooks';
export * from './tracking';
export * from './registry';
export * from './fleet';
export * from './datasets';
export * from './registry-review';
