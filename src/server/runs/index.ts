export * from './types';
export * from './trigger';
export * from './queries';
