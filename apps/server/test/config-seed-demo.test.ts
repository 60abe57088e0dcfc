import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index.js';

const KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const PRODUCTION = { NODE_ENV: 'production', BISTRO_DATA_KEYS: KEY, SMTP_URL: 'smtp://mail:25' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('the demo seed', () => {
  it('is refused in production, naming SEED_DEMO (its admin password would be printed to the log)', () => {
    expect(problems({ ...PRODUCTION, SEED_DEMO: 'true' })).toEqual([expect.stringMatching(/^SEED_DEMO: /)]);
    expect(problems(PRODUCTION)).toEqual([]);
    expect(problems({ ...PRODUCTION, SEED_DEMO: 'false' })).toEqual([]);
  });

  it('is allowed in development and in tests', () => {
    expect(loadConfig({ SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });
});
