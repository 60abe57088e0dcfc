import { bistroVitestConfig } from './index.js';

// Each test starts PostgreSQL servers (initdb included): room for a loaded machine.
export default bistroVitestConfig({ test: { include: ['test/**/*.test.js'], testTimeout: 180_000 } });
