export * from './changes.js';
export * from './clock.js';
export * from './faults.js';
export * from './presign.js';
export * from './router.js';
export * from './sim-server.js';
export * from './zip.js';
export * from './random.js';
