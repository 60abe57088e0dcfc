import { bistroEslintConfig } from '@bistro/eslint-config';

export default bistroEslintConfig(import.meta.dirname);
