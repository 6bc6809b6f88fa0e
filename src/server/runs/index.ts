export * from './types';
export * from './trigger';
export * from './queries';
export * from './cancel-run';
