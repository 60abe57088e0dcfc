import type { ViteUserConfig } from 'vitest/config';
export declare function bistroVitestConfig(overrides?: ViteUserConfig): ViteUserConfig;
