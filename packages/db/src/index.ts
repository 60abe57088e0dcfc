export { connectionFailure, createDb, createPool, isDatabaseUnavailable, type Database, type DbConfig } from './create-db.js';
export { executeNamed, nameStatement, useNamedStatements } from './named-statements.js';
export { migrateToLatest, isMigrated, LATEST_MIGRATION, installJobSchema, JOB_SCHEMA } from './migrate.js';
export { seedDemo, seedDemoAccounts, DEMO_ACCOUNTS, DEMO_LOCATIONS } from './seed.js';
export { generateSchemaTypes } from './codegen.js';
export type * from './schema.js';
