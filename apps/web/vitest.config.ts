import { bistroVitestConfig } from '@bistro/vitest-config';

// Browser tests start a real server and Chromium: one file at a time leaves the two cores to them.
export default bistroVitestConfig({ test: { fileParallelism: false, testTimeout: 300_000 } });
