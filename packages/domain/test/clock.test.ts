import { describe, expect, it } from 'vitest';

// `npm run test:future` sets BISTRO_FAKE_NOW: this proves the whole run really is on that clock
// (tooling/vitest/fake-now.js), so a green run says something about that date.
const fakeNow = process.env.BISTRO_FAKE_NOW;

describe('the test clock', () => {
  it.runIf(fakeNow)('is the one BISTRO_FAKE_NOW sets, and it runs on', async () => {
    const start = Date.parse(fakeNow!);
    const first = Date.now();
    expect(first).toBeGreaterThanOrEqual(start);
    expect(new Date().getUTCFullYear()).toBe(new Date(start).getUTCFullYear());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Date.now()).toBeGreaterThan(first);
  });

  it.skipIf(fakeNow)('is the real one otherwise', () => {
    expect(new Date().getUTCFullYear()).toBeGreaterThanOrEqual(2026);
  });
});
