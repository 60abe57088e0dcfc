export * from './errors.js';
export * from './money.js';
export * from './hours.js';
export * from './schemas.js';
export * from './auth.js';
export * from './menu.js';
export * from './locations.js';
export * from './inventory.js';
