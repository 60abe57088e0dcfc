import type { AddressInfo } from 'node:net';
import { getTRPCErrorShape, TRPCError } from '@trpc/server';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { backgroundWorkSettled } from '../src/auth/emails.js';
import { createSession } from '../src/auth/sessions.js';
import { appRouter, type BistroError, createMailer, type JobQueue, Limiter, type Services } from '../src/index.js';
import { settled, startWorker } from './jobs-fixtures.js';
import type { BistroErrorData } from '../src/trpc.js';
import { callerFor, createUser, DEFAULT_PASSWORD, demoLocationIds, silent, testServices } from './helpers.js';

/**
 * The single-use email flows end to end: every email travels over SMTP to a real server
 * started here, and the tests follow the links in them as a person would.
 */

interface Received {
  to: string;
  subject: string;
  text: string;
}

let tdb: TestDatabase;
let smtp: SMTPServer;
let smtpUrl: string;
const inbox: Received[] = [];
const waiting: { to: string; resolve: (mail: Received) => void }[] = [];

function deliver(mail: Received): void {
  const i = waiting.findIndex((w) => w.to === mail.to);
  if (i >= 0) waiting.splice(i, 1)[0]!.resolve(mail);
  else inbox.push(mail);
}

/** The next email to `to` (taken out of the inbox), waiting for it if it hasn't arrived. */
function nextEmail(to: string): Promise<Received> {
  const i = inbox.findIndex((m) => m.to === to);
  if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]!);
  return new Promise((resolve) => waiting.push({ to, resolve }));
}

/** Every email still in the inbox, once all background work and every queued email has finished. */
async function undelivered(): Promise<Received[]> {
  await backgroundWorkSettled();
  await settled(tdb.db);
  return [...inbox];
}

/** The token of the single link in an email, checking the link's path. */
function tokenFrom(mail: Received, path: string): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  const withToken = links.map((l) => new URL(l)).filter((u) => u.searchParams.has('token'));
  expect(withToken).toHaveLength(1);
  expect(withToken[0]!.origin).toBe('http://bistro.test');
  expect(withToken[0]!.pathname).toBe(path);
  return withToken[0]!.searchParams.get('token')!;
}

let services: Services;
let worker: JobQueue;
beforeAll(async () => {
  tdb = await createTestDatabase();
  // Emails go through the job queue; its worker sends with each test's mailer.
  worker = await startWorker(tdb, { ...testServices(), mailer: { send: (email) => services.mailer.send(email) } }, () => new Date());
  smtp = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback, like Mailpit in development: no STARTTLS offered.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          // Only accept (250) once the message is in the inbox: a settled send means delivered.
          for (const rcpt of session.envelope.rcptTo) deliver({ to: rcpt.address, subject: parsed.subject ?? '', text: parsed.text ?? '' });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await backgroundWorkSettled();
  await worker?.stop(2_000);
  await new Promise<void>((resolve) => smtp?.close(resolve));
  await tdb?.drop();
});
beforeEach(async () => {
  // Fresh counters for each test; the mailer really speaks SMTP.
  services = testServices({ limiter: new Limiter(), mailer: createMailer({ smtpUrl, from: 'Bistro <no-reply@bistro.test>', log: silent }) });
  await backgroundWorkSettled();
  await settled(tdb.db);
  inbox.length = 0;
});

const as = (options: Parameters<typeof callerFor>[1] = {}) => callerFor(tdb.db, { services: { ...services, jobs: worker }, ...options });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; data: BistroErrorData }> {
  const error = await promise.then(
    () => expect.fail('expected a refusal'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  // The shape a client receives, made by the app's own error formatter.
  const shape = getTRPCErrorShape({ config: appRouter._def._config, error: error as TRPCError, type: 'mutation', path: undefined, input: undefined, ctx: undefined });
  return { code: (error as TRPCError).code, data: shape.data };
}

async function expectTokenRefused(promise: Promise<unknown>, bistroCode: 'TOKEN_USED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID') {
  const { code, data } = await refusal(promise);
  expect(code).toBe('BAD_REQUEST');
  expect(data.bistroCode).toBe(bistroCode);
  expect(data.fieldErrors?.token?.length).toBeGreaterThan(0);
}

function locationIds(): Promise<{ centrale: string; harbor: string }> {
  return demoLocationIds(tdb.db);
}

const MADE_UP_TOKEN = 'A'.repeat(43);
const HOUR = 60 * 60 * 1000;
const later = (ms: number) => new Date(Date.now() + ms);

describe('email verification', () => {
  it('emails a link that confirms the address once; a second use gets TOKEN_USED', async () => {
    const user = await createUser(tdb.db);
    expect((await as({ token: user.token }).auth.me())?.emailVerified).toBe(false);

    expect(await as({ token: user.token }).auth.requestEmailVerification()).toEqual({ status: 'sent' });
    const mail = await nextEmail(user.email);
    expect(mail.subject).toMatch(/confirm/i);
    const token = tokenFrom(mail, '/verify-email');

    // No session needed: the link may be opened on another device.
    expect(await as().auth.verifyEmail({ token })).toEqual({ emailVerified: true });
    expect((await as({ token: user.token }).auth.me())?.emailVerified).toBe(true);
    await expectTokenRefused(as().auth.verifyEmail({ token }), 'TOKEN_USED');

    // Once confirmed, asking again sends nothing.
    expect(await as({ token: user.token }).auth.requestEmailVerification()).toEqual({ status: 'already_verified' });
    expect(await undelivered()).toEqual([]);
  });

  it('refuses a link older than 48 hours with TOKEN_EXPIRED and leaves the address unconfirmed', async () => {
    const user = await createUser(tdb.db);
    await as({ token: user.token }).auth.requestEmailVerification();
    const token = tokenFrom(await nextEmail(user.email), '/verify-email');
    await expectTokenRefused(as({ now: later(49 * HOUR) }).auth.verifyEmail({ token }), 'TOKEN_EXPIRED');
    const row = await tdb.db.selectFrom('users').select('email_verified_at').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.email_verified_at).toBeNull();
  });

  it('needs a signed-in caller to ask for a link', async () => {
    const { code } = await refusal(as().auth.requestEmailVerification());
    expect(code).toBe('UNAUTHORIZED');
  });

  it('throttles verification emails per address with a retry-after', async () => {
    const user = await createUser(tdb.db);
    for (let i = 0; i < 3; i += 1) await as({ token: user.token, ip: `198.51.100.${i}` }).auth.requestEmailVerification();
    const { code, data } = await refusal(as({ token: user.token, ip: '198.51.100.9' }).auth.requestEmailVerification());
    expect(code).toBe('TOO_MANY_REQUESTS');
    expect(data.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('made-up and misplaced tokens', () => {
  it('answers TOKEN_INVALID for a well-formed token that was never issued, in every flow', async () => {
    await expectTokenRefused(as().auth.verifyEmail({ token: MADE_UP_TOKEN }), 'TOKEN_INVALID');
    await expectTokenRefused(as().auth.resetPassword({ token: MADE_UP_TOKEN, password: 'a new and long password' }), 'TOKEN_INVALID');
    await expectTokenRefused(as().auth.acceptInvitation({ token: MADE_UP_TOKEN, name: 'Nobody', password: 'a new and long password' }), 'TOKEN_INVALID');
  });

  it('does not let a verification link reset a password (TOKEN_INVALID), and leaves it usable for its own purpose', async () => {
    const user = await createUser(tdb.db);
    await as({ token: user.token }).auth.requestEmailVerification();
    const token = tokenFrom(await nextEmail(user.email), '/verify-email');
    await expectTokenRefused(as().auth.resetPassword({ token, password: 'a new and long password' }), 'TOKEN_INVALID');
    expect(await as().auth.verifyEmail({ token })).toEqual({ emailVerified: true });
  });
});

describe('password reset', () => {
  it('emails a link that sets a new password once and ends every session of the account', async () => {
    const user = await createUser(tdb.db);
    const otherDevice = await createSession(tdb.db, user.id, { ip: null, userAgent: 'phone', now: new Date() });
    expect(await as().auth.requestPasswordReset({ email: user.email })).toEqual({ status: 'check_your_email' });
    const mail = await nextEmail(user.email);
    expect(mail.subject).toMatch(/reset/i);
    const token = tokenFrom(mail, '/reset-password');

    const newPassword = 'a brand new pantry key';
    expect(await as().auth.resetPassword({ token, password: newPassword })).toEqual({ status: 'password_reset' });

    // Every old session is over: a guest to `me`, refused by anything that needs a session.
    for (const old of [user.token, otherDevice.token]) {
      expect(await as({ token: old }).auth.me()).toBeNull();
      expect((await refusal(as({ token: old }).auth.sessions.list())).code).toBe('UNAUTHORIZED');
    }
    expect(await tdb.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);

    // The new password works, the old one doesn't.
    const signedIn = await as().auth.signIn({ email: user.email, password: newPassword, mode: 'token' });
    expect(signedIn.user.id).toBe(user.id);
    expect((await refusal(as().auth.signIn({ email: user.email, password: DEFAULT_PASSWORD }))).data.bistroCode).toBe('INVALID_CREDENTIALS');

    const audit = await tdb.db.selectFrom('audit_log').select(['actor_user_id', 'target_id']).where('action', '=', 'auth.password_reset').execute();
    expect(audit).toEqual([{ actor_user_id: user.id, target_id: user.id }]);

    await expectTokenRefused(as().auth.resetPassword({ token, password: 'yet another long password' }), 'TOKEN_USED');
  });

  it('lets only one of two racing uses of a reset link win; the other gets TOKEN_USED', async () => {
    const user = await createUser(tdb.db);
    await as().auth.requestPasswordReset({ email: user.email });
    const token = tokenFrom(await nextEmail(user.email), '/reset-password');
    const results = await Promise.allSettled([
      as().auth.resetPassword({ token, password: 'the first racer password' }),
      as().auth.resetPassword({ token, password: 'the second racer password' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as BistroError).bistroCode).toBe('TOKEN_USED');
    const audit = await tdb.db.selectFrom('audit_log').select('id').where('action', '=', 'auth.password_reset').where('target_id', '=', user.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses a link older than an hour with TOKEN_EXPIRED and keeps the old password', async () => {
    const user = await createUser(tdb.db);
    await as().auth.requestPasswordReset({ email: user.email });
    const token = tokenFrom(await nextEmail(user.email), '/reset-password');
    await expectTokenRefused(as({ now: later(61 * 60 * 1000) }).auth.resetPassword({ token, password: 'too late for this one' }), 'TOKEN_EXPIRED');
    expect((await as().auth.signIn({ email: user.email, password: DEFAULT_PASSWORD, mode: 'token' })).user.id).toBe(user.id);
    expect(await as({ token: user.token }).auth.me()).not.toBeNull();
  });

  it('refuses a common password without using up the link', async () => {
    const user = await createUser(tdb.db);
    await as().auth.requestPasswordReset({ email: user.email });
    const token = tokenFrom(await nextEmail(user.email), '/reset-password');
    const { data } = await refusal(as().auth.resetPassword({ token, password: 'password' }));
    expect(data.bistroCode).toBe('PASSWORD_TOO_COMMON');
    expect(data.fieldErrors?.password?.length).toBeGreaterThan(0);
    // Nothing happened: the session lives and the same link still works.
    expect(await as({ token: user.token }).auth.me()).not.toBeNull();
    expect(await as().auth.resetPassword({ token, password: 'an uncommon choice at last' })).toEqual({ status: 'password_reset' });
  });

  it('makes older unused reset links useless once one of them was used', async () => {
    const user = await createUser(tdb.db);
    await as({ ip: '203.0.113.1' }).auth.requestPasswordReset({ email: user.email });
    const first = tokenFrom(await nextEmail(user.email), '/reset-password');
    await as({ ip: '203.0.113.2' }).auth.requestPasswordReset({ email: user.email });
    const second = tokenFrom(await nextEmail(user.email), '/reset-password');
    await as().auth.resetPassword({ token: second, password: 'the second link wins' });
    await expectTokenRefused(as().auth.resetPassword({ token: first, password: 'the first link loses' }), 'TOKEN_USED');
  });

  it('answers an unknown email exactly like a known one, and sends nothing to it', async () => {
    const known = await createUser(tdb.db);
    const unknown = `nobody.${Date.now()}@bistro.test`;
    const forUnknown = await as().auth.requestPasswordReset({ email: unknown });
    const forKnown = await as().auth.requestPasswordReset({ email: known.email });
    expect(forUnknown).toEqual(forKnown);
    expect(JSON.stringify(forUnknown)).toBe(JSON.stringify(forKnown));

    await nextEmail(known.email);
    expect(await undelivered()).toEqual([]);
    expect(await tdb.db.selectFrom('auth_tokens').select('id').where('email', '=', unknown).execute()).toEqual([]);
  });

  it('throttles reset emails per address, known or not, with a retry-after', async () => {
    const unknown = `flooded.${Date.now()}@bistro.test`;
    for (let i = 0; i < 3; i += 1) await as({ ip: `198.51.100.${i}` }).auth.requestPasswordReset({ email: unknown });
    const { code, data } = await refusal(as({ ip: '198.51.100.200' }).auth.requestPasswordReset({ email: unknown }));
    expect(code).toBe('TOO_MANY_REQUESTS');
    expect(data.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('throttles reset emails per IP across addresses', async () => {
    for (let i = 0; i < 10; i += 1) await as({ ip: '203.0.113.77' }).auth.requestPasswordReset({ email: `spray${i}.${Date.now()}@bistro.test` });
    const { code } = await refusal(as({ ip: '203.0.113.77' }).auth.requestPasswordReset({ email: `spray-last.${Date.now()}@bistro.test` }));
    expect(code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('staff invitations', () => {
  it('creates the account with the role from the emailed link; the email counts as verified', async () => {
    const { centrale } = await locationIds();
    const manager = await createUser(tdb.db, { name: 'Maria Manager', roles: [{ locationId: centrale, role: 'manager' }] });
    const email = `new.cook.${Date.now()}@bistro.test`;

    const invited = await as({ token: manager.token }).locations.staff.invite({ locationId: centrale, email, role: 'staff' });
    expect(invited.email).toBe(email);
    expect(invited.role).toBe('staff');
    expect(Object.keys(invited).sort()).toEqual(['email', 'expiresAt', 'role']);
    const mail = await nextEmail(email);
    expect(mail.subject).toContain('Bistro Centrale');
    expect(mail.text).toContain('Maria Manager');
    const token = tokenFrom(mail, '/accept-invitation');

    // Creating an account needs a name and a password; asking for them does not use the link.
    const missing = await refusal(as().auth.acceptInvitation({ token }));
    expect(missing.code).toBe('BAD_REQUEST');
    expect(Object.keys(missing.data.fieldErrors ?? {}).sort()).toEqual(['name', 'password']);

    const password = 'mise en place every morning';
    expect(await as().auth.acceptInvitation({ token, name: 'Nico Cook', password })).toEqual({
      status: 'account_created',
      locationId: centrale,
      role: 'staff',
      signInRequired: true,
    });
    const signedIn = await as().auth.signIn({ email, password, mode: 'token' });
    const me = await as({ token: signedIn.token! }).auth.me();
    expect(me?.name).toBe('Nico Cook');
    expect(me?.emailVerified).toBe(true);
    expect(me?.roles).toEqual([{ locationId: centrale, role: 'staff' }]);

    const staff = await as({ token: manager.token }).locations.staff.list({ locationId: centrale });
    expect(staff).toContainEqual({ userId: me!.id, name: 'Nico Cook', email, role: 'staff' });
    expect(staff).toContainEqual({ userId: manager.id, name: 'Maria Manager', email: manager.email, role: 'manager' });

    const audit = await tdb.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'target_id', 'location_id'])
      .where('action', '=', 'role.granted')
      .where('target_id', '=', me!.id)
      .execute();
    expect(audit).toEqual([{ actor_user_id: manager.id, target_id: me!.id, location_id: centrale }]);
    expect(await tdb.db.selectFrom('audit_log').select('id').where('action', '=', 'staff.invited').where('target_id', '=', email).execute()).toHaveLength(1);

    await expectTokenRefused(as().auth.acceptInvitation({ token, name: 'Nico Again', password }), 'TOKEN_USED');
  });

  it('grants the role to an existing verified account, keeps its password and ends its sessions', async () => {
    const { harbor } = await locationIds();
    const manager = await createUser(tdb.db, { roles: [{ locationId: harbor, role: 'manager' }] });
    const customer = await verified(await createUser(tdb.db));
    await as({ token: manager.token }).locations.staff.invite({ locationId: harbor, email: customer.email, role: 'manager' });
    const token = tokenFrom(await nextEmail(customer.email), '/accept-invitation');

    // A password sent along is ignored: an invitation never changes an existing account's password.
    expect(await as({ token: customer.token }).auth.acceptInvitation({ token, password: 'an attempt to take over' })).toEqual({
      status: 'role_granted',
      locationId: harbor,
      role: 'manager',
      signInRequired: true,
    });
    // A new token on a change of role: the old session is over.
    expect(await as({ token: customer.token }).auth.me()).toBeNull();
    const signedIn = await as().auth.signIn({ email: customer.email, password: DEFAULT_PASSWORD, mode: 'token' });
    expect((await as({ token: signedIn.token! }).auth.me())?.roles).toEqual([{ locationId: harbor, role: 'manager' }]);
    // The new manager can now manage the location's staff.
    const staff = await as({ token: signedIn.token! }).locations.staff.list({ locationId: harbor });
    expect(staff.map((s) => s.userId)).toContain(customer.id);

    const audit = await tdb.db.selectFrom('audit_log').select('details').where('action', '=', 'role.granted').where('target_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ role: 'manager', previousRole: null, accountCreated: false });
  });

  it('never lowers a role: a manager invited as staff stays a manager and keeps their sessions', async () => {
    const { harbor } = await locationIds();
    const inviter = await createUser(tdb.db, { roles: [{ locationId: harbor, role: 'manager' }] });
    const colleague = await verified(await createUser(tdb.db, { roles: [{ locationId: harbor, role: 'manager' }] }));
    await as({ token: inviter.token }).locations.staff.invite({ locationId: harbor, email: colleague.email, role: 'staff' });
    const token = tokenFrom(await nextEmail(colleague.email), '/accept-invitation');
    expect(await as({ token: colleague.token }).auth.acceptInvitation({ token })).toMatchObject({ role: 'manager', signInRequired: false });
    expect((await as({ token: colleague.token }).auth.me())?.roles).toEqual([{ locationId: harbor, role: 'manager' }]);
  });

  it('gives an account signed up before the invitation, its email never verified, to the invitee: their name and password, every old session ended', async () => {
    const { centrale } = await locationIds();
    const manager = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'manager' }] });
    // Someone who does not own the address signed up with it first (createUser leaves it unverified).
    const squatter = await createUser(tdb.db, { email: `new.hire.${Date.now()}@bistro.test`, name: 'Squatter' });
    await as({ token: manager.token }).locations.staff.invite({ locationId: centrale, email: squatter.email, role: 'manager' });
    const token = tokenFrom(await nextEmail(squatter.email), '/accept-invitation');

    // The link's holder proves the address, but must choose a name and a password, as for a new
    // account; asking for them does not use the link.
    for (const partial of [{}, { password: 'the real hire chooses this' }, { name: 'Real Hire' }]) {
      const missing = await refusal(as().auth.acceptInvitation({ token, ...partial }));
      expect(missing.data.bistroCode).toBe('INVALID_INPUT');
      expect(Object.keys(missing.data.fieldErrors ?? {}).sort()).toEqual(['name', 'password'].filter((f) => !(f in partial)));
    }
    expect((await as({ token: squatter.token }).auth.me())?.roles).toEqual([]);

    const password = 'the real hire chooses this';
    expect(await as().auth.acceptInvitation({ token, name: 'Real Hire', password })).toEqual({
      status: 'account_created',
      locationId: centrale,
      role: 'manager',
      signInRequired: true,
    });
    // The one who signed up first is out: their session ended and their password no longer works.
    expect(await as({ token: squatter.token }).auth.me()).toBeNull();
    expect((await refusal(as().auth.signIn({ email: squatter.email, password: DEFAULT_PASSWORD, mode: 'token' }))).data.bistroCode).toBe('INVALID_CREDENTIALS');
    // The invitee signs in with their own password, holds the role, and the address counts as verified.
    const signedIn = await as().auth.signIn({ email: squatter.email, password, mode: 'token' });
    const me = await as({ token: signedIn.token! }).auth.me();
    expect(me).toMatchObject({ name: 'Real Hire', emailVerified: true, roles: [{ locationId: centrale, role: 'manager' }] });
    expect(await tdb.db.selectFrom('users').select('id').where('email', '=', squatter.email).execute()).toHaveLength(1);

    const audit = await tdb.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', me!.id).where('action', 'in', ['auth.account_claimed', 'role.granted']).orderBy('action').execute();
    expect(audit).toEqual([
      { action: 'auth.account_claimed', details: expect.objectContaining({ via: 'invitation', sessionsEnded: 1 }) },
      { action: 'role.granted', details: expect.objectContaining({ role: 'manager', accountCreated: false, accountClaimed: true }) },
    ]);
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it('refuses an invitation older than 7 days with TOKEN_EXPIRED and grants nothing', async () => {
    const { centrale } = await locationIds();
    const manager = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'manager' }] });
    const email = `slow.reader.${Date.now()}@bistro.test`;
    await as({ token: manager.token }).locations.staff.invite({ locationId: centrale, email, role: 'staff' });
    const token = tokenFrom(await nextEmail(email), '/accept-invitation');
    await expectTokenRefused(
      as({ now: later(7 * 24 * HOUR + 60_000) }).auth.acceptInvitation({ token, name: 'Slow Reader', password: 'better late than never' }),
      'TOKEN_EXPIRED',
    );
    expect(await tdb.db.selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);
  });

  it('answers NOT_FOUND to a manager of another location and to staff, and sends nothing', async () => {
    const { centrale, harbor } = await locationIds();
    const otherManager = await createUser(tdb.db, { roles: [{ locationId: harbor, role: 'manager' }] });
    const staff = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'staff' }] });
    const customer = await createUser(tdb.db);
    const email = `hopeful.${Date.now()}@bistro.test`;
    const tokensBefore = await countRows('auth_tokens');

    for (const caller of [otherManager, staff, customer]) {
      const invite = await refusal(as({ token: caller.token }).locations.staff.invite({ locationId: centrale, email, role: 'manager' }));
      expect(invite.code).toBe('NOT_FOUND');
      const list = await refusal(as({ token: caller.token }).locations.staff.list({ locationId: centrale }));
      expect(list.code).toBe('NOT_FOUND');
    }
    expect((await refusal(as().locations.staff.invite({ locationId: centrale, email, role: 'staff' }))).code).toBe('UNAUTHORIZED');
    // A location that does not exist looks the same as one the caller may not manage.
    const unknown = await refusal(as({ token: otherManager.token }).locations.staff.invite({ locationId: crypto.randomUUID(), email, role: 'staff' }));
    expect(unknown.code).toBe('NOT_FOUND');

    expect(await countRows('auth_tokens')).toBe(tokensBefore);
    expect(await undelivered()).toEqual([]);
  });
});

/** The user, with their email marked verified (as after following a verification link). */
async function verified<T extends { id: string }>(user: T): Promise<T> {
  await tdb.db.updateTable('users').set({ email_verified_at: new Date() }).where('id', '=', user.id).execute();
  return user;
}

async function countRows(table: 'auth_tokens' | 'users' | 'location_roles' | 'audit_log' | 'sessions'): Promise<number> {
  const row = await tdb.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('bad input', () => {
  const TEN_KB = 'x'.repeat(10_000);
  const ZERO_WIDTH_EMAIL = 'chef\u200b@bistro.test';

  it.each<[string, string, (ids: { centrale: string }, token: string) => Promise<unknown>]>([
    ['reset request: an email with a zero-width space', 'email', () => as().auth.requestPasswordReset({ email: ZERO_WIDTH_EMAIL })],
    ['reset request: a 10 kB email', 'email', () => as().auth.requestPasswordReset({ email: `${TEN_KB}@bistro.test` })],
    ['reset request: an unknown key', 'admin', () => as().auth.requestPasswordReset({ email: 'a@bistro.test', admin: true } as never)],
    ['reset request: a number for the email', 'email', () => as().auth.requestPasswordReset({ email: 42 } as never)],
    ['verify: a token of the wrong length', 'token', () => as().auth.verifyEmail({ token: 'A'.repeat(42) })],
    ['verify: a 10 kB token', 'token', () => as().auth.verifyEmail({ token: TEN_KB })],
    ['verify: a token with other characters', 'token', () => as().auth.verifyEmail({ token: `${'A'.repeat(42)}=` })],
    ['verify: no token', 'token', () => as().auth.verifyEmail({} as never)],
    ['reset: a 10 kB password', 'password', () => as().auth.resetPassword({ token: MADE_UP_TOKEN, password: TEN_KB })],
    ['reset: a short password', 'password', () => as().auth.resetPassword({ token: MADE_UP_TOKEN, password: 'short' })],
    ['reset: an unknown key', 'userId', () => as().auth.resetPassword({ token: MADE_UP_TOKEN, password: 'long enough password', userId: 'x' } as never)],
    ['accept: a 10 kB name', 'name', () => as().auth.acceptInvitation({ token: MADE_UP_TOKEN, name: TEN_KB, password: 'long enough password' })],
    ['accept: an unknown key', 'role', () => as().auth.acceptInvitation({ token: MADE_UP_TOKEN, role: 'manager' } as never)],
    ['accept: a token of the wrong length', 'token', () => as().auth.acceptInvitation({ token: 'short' })],
    ['email verification request: an unknown key', 'force', (_, token) => as({ token }).auth.requestEmailVerification({ force: true } as never)],
    ['invite: an email with a zero-width space', 'email', ({ centrale }, token) => as({ token }).locations.staff.invite({ locationId: centrale, email: ZERO_WIDTH_EMAIL, role: 'staff' })],
    ['invite: a 10 kB email', 'email', ({ centrale }, token) => as({ token }).locations.staff.invite({ locationId: centrale, email: TEN_KB, role: 'staff' })],
    ['invite: a role that does not exist', 'role', ({ centrale }, token) => as({ token }).locations.staff.invite({ locationId: centrale, email: 'a@bistro.test', role: 'owner' } as never)],
    ['invite: an unknown key', 'isAdmin', ({ centrale }, token) => as({ token }).locations.staff.invite({ locationId: centrale, email: 'a@bistro.test', role: 'staff', isAdmin: true } as never)],
    ['staff list: an unknown key', 'all', ({ centrale }, token) => as({ token }).locations.staff.list({ locationId: centrale, all: true } as never)],
  ])('refuses %s as BAD_REQUEST with a field error, storing and sending nothing', async (_, field, call) => {
    const { centrale } = await locationIds();
    const manager = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'manager' }] });
    const counts = async () => Promise.all((['auth_tokens', 'users', 'location_roles', 'audit_log', 'sessions'] as const).map(countRows));
    const before = await counts();

    const { code, data } = await refusal(call({ centrale }, manager.token));
    expect(code).toBe('BAD_REQUEST');
    expect(data.bistroCode).toBe('INVALID_INPUT');
    expect(data.fieldErrors?.[field]?.length).toBeGreaterThan(0);

    expect(await counts()).toEqual(before);
    expect(await undelivered()).toEqual([]);
  });
});

it('keeps only a hash of a link token and never answers with the token', async () => {
  const { centrale } = await locationIds();
  const manager = await createUser(tdb.db, { roles: [{ locationId: centrale, role: 'manager' }] });
  const email = `quiet.${Date.now()}@bistro.test`;
  const answer = await as({ token: manager.token }).locations.staff.invite({ locationId: centrale, email, role: 'staff' });
  const token = tokenFrom(await nextEmail(email), '/accept-invitation');
  expect(JSON.stringify(answer)).not.toContain(token);
  const stored = await tdb.db.selectFrom('auth_tokens').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  expect(JSON.stringify(stored)).not.toContain(token);
  expect(stored.token_hash.toString('base64url')).not.toBe(token);
  expect(stored.token_hash).toHaveLength(32);
});
