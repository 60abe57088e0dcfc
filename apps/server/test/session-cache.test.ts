import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { Passwords } from '@bistro/api';
import type { BistroServer } from '../src/index.js';
import { startSecondInstance, startTestServer, type TestServer } from './helpers.js';

// Set when a Redis answers (tooling/vitest/services.js); without one, this file's tests are skipped.
const REDIS_URL = process.env.REDIS_URL ?? '';

let a: TestServer;
let b: BistroServer;
let bUrl: string;

beforeAll(async () => {
  a = await startTestServer({ REDIS_URL });
  ({ server: b, url: bUrl } = await startSecondInstance(a, { REDIS_URL }));
});
afterAll(async () => {
  await b?.stop();
  await a?.close();
});

const PASSWORD = 'a long walk to the market';
let passwordHash: Promise<string> | undefined;

/** An account made in the database (sign-ups are throttled per IP in the shared Redis), signed in through the API. */
async function signUpAndIn(url: string, email: string) {
  passwordHash ??= new Passwords().hash(PASSWORD);
  await a.tdb.db.insertInto('users').values({ email, name: 'Cached Cook', password_hash: await passwordHash }).execute();
  const { token } = await createBistroClient({ url }).auth.signIn.mutate({ email, password: PASSWORD, mode: 'token' });
  return token;
}

describe.skipIf(!REDIS_URL)('cached sessions across two instances sharing Redis', () => {
  it('stops honouring a token on the other instance as soon as it is signed out', async () => {
    const token = await signUpAndIn(a.url, `cache.${Date.now()}@bistro.test`);
    const onB = createBistroClient({ url: bUrl, token });
    // Resolved and cached on B.
    expect((await onB.auth.me.query())?.name).toBe('Cached Cook');
    expect((await onB.auth.me.query())?.name).toBe('Cached Cook');

    await createBistroClient({ url: a.url, token }).auth.signOut.mutate();
    await expect.poll(async () => (await onB.auth.me.query()) === null, { timeout: 5_000 }).toBe(true);
  });

  it('drops a user’s cached sessions everywhere when an admin disables the account', async () => {
    const email = `disable.${Date.now()}@bistro.test`;
    const token = await signUpAndIn(a.url, email);
    const onB = createBistroClient({ url: bUrl, token });
    expect(await onB.auth.me.query()).not.toBeNull();

    const user = await a.tdb.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const adminEmail = `admin.${Date.now()}@bistro.test`;
    const adminToken = await signUpAndIn(a.url, adminEmail);
    await a.tdb.db.updateTable('users').set({ is_admin: true }).where('email', '=', adminEmail).execute();
    await createBistroClient({ url: a.url, token: adminToken }).admin.users.setDisabled.mutate({ userId: user.id, disabled: true });
    await expect.poll(async () => (await onB.auth.me.query()) === null, { timeout: 5_000 }).toBe(true);
  });
});
