import { bistroVitestConfig } from './index.js';

export default bistroVitestConfig({ test: { include: ['test/**/*.test.js'] } });
