import { bistroVitestConfig } from '@bistro/vitest-config';

export default bistroVitestConfig();
