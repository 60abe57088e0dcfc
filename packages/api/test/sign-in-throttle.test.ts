import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { Limiter, type Services } from '../src/index.js';
import { callerFor, createUser, DEFAULT_PASSWORD, testServices } from './helpers.js';
import { outcome, refusal } from './procedures.js';

/**
 * Password guessing against the throttle: an attempt takes its point before the password is
 * checked, so guesses sent all at once fare no better than guesses sent one by one.
 */

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb?.drop());

// Counters of its own for each test: nothing depends on another test's attempts.
const freshServices = (): Services => testServices({ limiter: new Limiter() });
let ips = 0;
const newIp = () => `198.51.100.${++ips}`;

async function failedSignIns(db: TestDatabase['db'], email: string, n: number, services: Services, ip: string) {
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) => outcome(callerFor(db, { services, ip }).auth.signIn({ email, password: `wrong-guess-number-${i}`, mode: 'token' }))),
  );
  return answers.map((a) => (a.ok ? 'signed in' : a.data.bistroCode));
}

async function auditedFailures(email: string): Promise<number> {
  const rows = await tdb.db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', 'auth.sign_in_failed')
    .where(sql<string>`details->>'email'`, '=', email)
    .execute();
  return rows.length;
}

describe('sign-in throttling under concurrent guesses', () => {
  it.each([
    ['an existing account', true],
    ['an unknown email', false],
  ])('checks at most 10 of 40 concurrent wrong passwords for %s; the other 30 get TOO_MANY_REQUESTS', async (_, exists) => {
    const services = freshServices();
    const email = exists ? (await createUser(tdb.db)).email : `nobody.${Date.now()}@bistro.test`;
    const codes = await failedSignIns(tdb.db, email, 40, services, newIp());
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(10);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(30);
    // Only the checked attempts reached the password check (each failure leaves an audit row).
    expect(await auditedFailures(email)).toBe(10);
  });

  it('locks the account for the window: the right password right after is refused with a retry-after', async () => {
    const services = freshServices();
    const user = await createUser(tdb.db);
    await failedSignIns(tdb.db, user.email, 40, services, newIp());
    // Even from another address: the lock is the account's.
    const refused = await refusal(callerFor(tdb.db, { services, ip: newIp() }).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD, mode: 'token' }));
    expect(refused.bistroCode).toBe('TOO_MANY_REQUESTS');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(await tdb.db.selectFrom('audit_log').select('id').where('action', '=', 'auth.signed_in').where('actor_user_id', '=', user.id).execute()).toEqual([]);
  });

  it('refuses the 11th attempt of sequential failures, and a success before that clears the account’s count', async () => {
    const services = freshServices();
    const user = await createUser(tdb.db);
    const ip = newIp();
    const signIn = (password: string) => outcome(callerFor(tdb.db, { services, ip }).auth.signIn({ email: user.email, password, mode: 'token' }));
    for (let i = 0; i < 9; i += 1) expect((await signIn(`wrong-${i}-guess`)).ok).toBe(false);
    expect((await signIn(DEFAULT_PASSWORD)).ok).toBe(true);
    // A fresh budget of 10 after the success.
    for (let i = 0; i < 10; i += 1) {
      const failed = await signIn(`again-${i}-wrong`);
      expect(failed.ok ? 'signed in' : failed.data.bistroCode).toBe('INVALID_CREDENTIALS');
    }
    const eleventh = await signIn(DEFAULT_PASSWORD);
    expect(eleventh.ok ? 'signed in' : eleventh.data.bistroCode).toBe('TOO_MANY_REQUESTS');
  });

  it('counts only failures against an address: successful sign-ins and refusals of a locked account give their point back', async () => {
    const services = freshServices();
    const ip = newIp();
    const users = await Promise.all(Array.from({ length: 3 }, () => createUser(tdb.db)));
    // 40 concurrent guesses at one account: 10 failures count for the address, 30 refusals do not.
    await failedSignIns(tdb.db, users[0]!.email, 40, services, ip);
    // 39 more failures over other (unknown) accounts: 49 of the address's 50.
    const stuffing = await Promise.all(
      Array.from({ length: 39 }, (_, i) =>
        outcome(callerFor(tdb.db, { services, ip }).auth.signIn({ email: `stuffed.${i}.${Date.now()}@bistro.test`, password: 'credential-stuffing' })),
      ),
    );
    expect(stuffing.map((a) => (a.ok ? 'signed in' : a.data.bistroCode))).toEqual(Array(39).fill('INVALID_CREDENTIALS'));
    // Successes take nothing away from what is left.
    for (const user of [users[1]!, users[2]!, users[1]!]) {
      const signedIn = await callerFor(tdb.db, { services, ip }).auth.signIn({ email: user.email, password: DEFAULT_PASSWORD, mode: 'token' });
      // The token opens a session of this user.
      expect((await callerFor(tdb.db, { services, token: signedIn.token! }).auth.me())?.email).toBe(user.email);
    }
    // The 50th failure is allowed; after it the address is refused, even with a right password.
    expect((await refusal(callerFor(tdb.db, { services, ip }).auth.signIn({ email: users[2]!.email, password: 'one-more-wrong-guess' }))).bistroCode).toBe(
      'INVALID_CREDENTIALS',
    );
    expect((await refusal(callerFor(tdb.db, { services, ip }).auth.signIn({ email: users[1]!.email, password: DEFAULT_PASSWORD }))).bistroCode).toBe('TOO_MANY_REQUESTS');
  });
});

describe('change-password throttling under concurrent guesses', () => {
  it('checks at most 10 of 30 concurrent wrong current passwords; then the right one is refused too', async () => {
    const services = freshServices();
    const user = await createUser(tdb.db);
    const as = () => callerFor(tdb.db, { services, token: user.token, ip: newIp() });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => outcome(as().auth.changePassword({ currentPassword: `wrong-current-${i}`, newPassword: 'a brand new passphrase' }))),
    );
    const codes = answers.map((a) => (a.ok ? 'changed' : a.data.bistroCode));
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(10);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(20);

    const refused = await refusal(as().auth.changePassword({ currentPassword: DEFAULT_PASSWORD, newPassword: 'a brand new passphrase' }));
    expect(refused.bistroCode).toBe('TOO_MANY_REQUESTS');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    // The password stayed as it was.
    const row = await tdb.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(await services.passwords.verify(row.password_hash, DEFAULT_PASSWORD)).toBe(true);
  });

  it('gives the point back when the current password is right', async () => {
    const services = freshServices();
    const user = await createUser(tdb.db);
    let token = user.token;
    // Twelve changes in a row, each with the right current password: none counts as a guess.
    let current = DEFAULT_PASSWORD;
    for (let i = 0; i < 12; i += 1) {
      const next = `passphrase number ${i} of many`;
      const changed = await callerFor(tdb.db, { services, token }).auth.changePassword({ currentPassword: current, newPassword: next });
      token = changed.token!;
      current = next;
    }
    const signedIn = await callerFor(tdb.db, { services }).auth.signIn({ email: user.email, password: current, mode: 'token' });
    expect((await callerFor(tdb.db, { services, token: signedIn.token! }).auth.me())?.email).toBe(user.email);
  });
});
