import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { backgroundWorkSettled } from '../src/auth/emails.js';
import { createSession } from '../src/auth/sessions.js';
import { callerFor, createUser, testServices, type TestUser } from './helpers.js';
import { storedJobs } from './jobs-fixtures.js';
import { callPath, outcome, procedures, refusal } from './procedures.js';

let tdb: TestDatabase;
let here: string;
let there: string;
let admin: TestUser;
// Its own limiter and outbox: nothing here depends on other files' attempts.
const services = testServices();

beforeAll(async () => {
  tdb = await createTestDatabase();
  const locations = await tdb.db.selectFrom('locations').select('id').orderBy('slug').execute();
  here = locations[0]!.id;
  there = locations[1]!.id;
  admin = await createUser(tdb.db, { isAdmin: true });
});
afterAll(() => tdb?.drop());

const as = (user: TestUser | null, ip = '192.0.2.10') => callerFor(tdb.db, { token: user?.token ?? null, services, ip });
const asAdmin = () => as(admin, '192.0.2.99');
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function sessionsOf(userId: string): Promise<number> {
  const row = await tdb.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('one account cannot reach another’s', () => {
  it('revoking another customer’s session answers NOT_FOUND, and that session keeps working', async () => {
    const alice = await createUser(tdb.db);
    const bob = await createUser(tdb.db);
    const bobSession = (await as(bob).auth.me())!;
    const bobSessions = await as(bob).auth.sessions.list();
    const error = await refusal(as(alice).auth.sessions.revoke({ sessionId: bobSessions[0]!.id }));
    expect(error.bistroCode).toBe('NOT_FOUND');
    expect((await as(bob).auth.me())?.id).toBe(bobSession.id);
    expect(await sessionsOf(bob.id)).toBe(1);
  });

  it('a customer’s session list holds only their own sessions', async () => {
    const alice = await createUser(tdb.db);
    const bob = await createUser(tdb.db);
    await createSession(tdb.db, bob.id, { ip: '198.51.100.7', userAgent: 'Bob’s phone', now: new Date() });
    const mine = await as(alice).auth.sessions.list();
    expect(mine).toHaveLength(1);
    expect(mine[0]!.current).toBe(true);
  });

  it('a manager cannot list or invite the staff of another location (NOT_FOUND, no invitation), while that location’s manager can', async () => {
    expect(procedures().has('locations.staff.list') && procedures().has('locations.staff.invite')).toBe(true);
    const managerHere = await createUser(tdb.db, { roles: [{ locationId: here, role: 'manager' }] });
    const managerThere = await createUser(tdb.db, { roles: [{ locationId: there, role: 'manager' }] });
    const cookThere = await createUser(tdb.db, { roles: [{ locationId: there, role: 'staff' }] });
    const invitationsThere = () =>
      tdb.db.selectFrom('auth_tokens').select('email').where('kind', '=', 'invitation').where('location_id', '=', there).execute();
    const email = `poached.${Date.now()}@bistro.test`;
    const emailJobs = async () => (await storedJobs(tdb.db)).length;
    const jobsBefore = await emailJobs();

    const list = await outcome(callPath(as(managerHere), 'locations.staff.list', { locationId: there }));
    expect(list.ok ? 'allowed' : list.data.bistroCode).toBe('NOT_FOUND');
    const invite = await outcome(callPath(as(managerHere), 'locations.staff.invite', { locationId: there, email, role: 'manager' }));
    expect(invite.ok ? 'allowed' : invite.data.bistroCode).toBe('NOT_FOUND');
    await backgroundWorkSettled();
    expect(await invitationsThere()).toEqual([]);
    // No invitation email was enqueued.
    expect(await emailJobs()).toBe(jobsBefore);

    // The very same calls from that location's manager work: the refusal was about the caller.
    const staff = (await callPath(as(managerThere), 'locations.staff.list', { locationId: there })) as { userId: string }[];
    expect(staff.map((s) => s.userId)).toContain(cookThere.id);
    await callPath(as(managerThere), 'locations.staff.invite', { locationId: there, email, role: 'staff' });
    expect(await invitationsThere()).toContainEqual({ email });
    expect(await emailJobs()).toBe(jobsBefore + 1);
  });
});

describe('admin.users.setDisabled', () => {
  it('disabling a user ends all their sessions at once: the token stops working and sign-in is refused', async () => {
    const user = await createUser(tdb.db);
    await createSession(tdb.db, user.id, { ip: null, userAgent: 'second device', now: new Date() });
    expect(await sessionsOf(user.id)).toBe(2);

    const result = await asAdmin().admin.users.setDisabled({ userId: user.id, disabled: true });
    expect(result).toEqual({ userId: user.id, disabled: true, changed: true, sessionsEnded: 2 });
    expect(await sessionsOf(user.id)).toBe(0);
    expect(await as(user).auth.me()).toBeNull();
    expect((await refusal(as(user).auth.sessions.list())).bistroCode).toBe('UNAUTHORIZED');
    const signIn = await refusal(as(user).auth.signIn({ email: user.email, password: user.password, mode: 'token' }));
    expect(signIn.bistroCode).toBe('INVALID_CREDENTIALS');

    // Enabled again, the user signs in anew; the old token stays dead.
    await asAdmin().admin.users.setDisabled({ userId: user.id, disabled: false });
    const again = await as(null).auth.signIn({ email: user.email, password: user.password, mode: 'token' });
    expect(again.token).toEqual(expect.any(String));
    expect(await as(user).auth.me()).toBeNull();
  });

  it('an admin cannot disable themselves (CANNOT_DISABLE_SELF) and stays signed in', async () => {
    const self = await createUser(tdb.db, { isAdmin: true });
    const error = await refusal(as(self).admin.users.setDisabled({ userId: self.id, disabled: true }));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', bistroCode: 'CANNOT_DISABLE_SELF', fieldErrors: { userId: [expect.any(String)] } });
    expect((await as(self).auth.me())?.id).toBe(self.id);
  });

  it('disabling an unknown user answers NOT_FOUND', async () => {
    expect((await refusal(asAdmin().admin.users.setDisabled({ userId: randomUUID(), disabled: true }))).bistroCode).toBe('NOT_FOUND');
  });

  it('disabling an already disabled user changes nothing and writes no second audit row', async () => {
    const user = await createUser(tdb.db);
    await asAdmin().admin.users.setDisabled({ userId: user.id, disabled: true });
    const second = await asAdmin().admin.users.setDisabled({ userId: user.id, disabled: true });
    expect(second).toEqual({ userId: user.id, disabled: true, changed: false, sessionsEnded: 0 });
    const { entries } = await asAdmin().admin.audit.list({ action: 'user.disabled', userId: user.id });
    expect(entries).toHaveLength(1);
  });
});

describe('admin.users.setRole', () => {
  it('a role change ends the user’s sessions; signed in again, they hold the new role', async () => {
    const user = await createUser(tdb.db);
    const result = await asAdmin().admin.users.setRole({ userId: user.id, locationId: here, role: 'staff' });
    expect(result).toEqual({ userId: user.id, locationId: here, role: 'staff', changed: true, sessionsEnded: 1 });
    expect(await as(user).auth.me()).toBeNull();

    const { token } = await as(null).auth.signIn({ email: user.email, password: user.password, mode: 'token' });
    const me = await callerFor(tdb.db, { token, services }).auth.me();
    expect(me?.roles).toEqual([{ locationId: here, role: 'staff' }]);

    // Promoted: the staff session ends too, and the new one carries `manager`.
    await asAdmin().admin.users.setRole({ userId: user.id, locationId: here, role: 'manager' });
    expect(await callerFor(tdb.db, { token, services }).auth.me()).toBeNull();
  });

  it('removing a role (null) takes the location away and ends the sessions', async () => {
    const cook = await createUser(tdb.db, { roles: [{ locationId: here, role: 'staff' }, { locationId: there, role: 'manager' }] });
    await asAdmin().admin.users.setRole({ userId: cook.id, locationId: here, role: null });
    expect(await sessionsOf(cook.id)).toBe(0);
    const roles = await tdb.db.selectFrom('location_roles').select(['location_id as locationId', 'role']).where('user_id', '=', cook.id).execute();
    expect(roles).toEqual([{ locationId: there, role: 'manager' }]);
  });

  it('setting the role the user already has changes nothing and keeps their sessions', async () => {
    const cook = await createUser(tdb.db, { roles: [{ locationId: here, role: 'staff' }] });
    const result = await asAdmin().admin.users.setRole({ userId: cook.id, locationId: here, role: 'staff' });
    expect(result).toMatchObject({ changed: false, sessionsEnded: 0 });
    expect((await as(cook).auth.me())?.id).toBe(cook.id);
  });

  it('an unknown user or location answers NOT_FOUND and stores nothing', async () => {
    const user = await createUser(tdb.db);
    const unknownUser = await refusal(asAdmin().admin.users.setRole({ userId: randomUUID(), locationId: here, role: 'staff' }));
    const unknownLocation = await refusal(asAdmin().admin.users.setRole({ userId: user.id, locationId: randomUUID(), role: 'manager' }));
    expect([unknownUser.bistroCode, unknownLocation.bistroCode]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(await tdb.db.selectFrom('location_roles').select('role').where('user_id', '=', user.id).execute()).toEqual([]);
    expect(await sessionsOf(user.id)).toBe(1);
  });
});

describe('the audit log', () => {
  it('records role changes and disabling with before and after, who, which location, IP and request id', async () => {
    const user = await createUser(tdb.db);
    await asAdmin().admin.users.setRole({ userId: user.id, locationId: there, role: 'staff' });
    await asAdmin().admin.users.setRole({ userId: user.id, locationId: there, role: 'manager' });
    await asAdmin().admin.users.setDisabled({ userId: user.id, disabled: true });
    await asAdmin().admin.users.setDisabled({ userId: user.id, disabled: false });

    const { entries } = await asAdmin().admin.audit.list({ userId: user.id });
    const common = { actorUserId: admin.id, targetType: 'user', targetId: user.id, ip: '192.0.2.99', requestId: 'test' };
    expect(entries.map(({ id: _id, at: _at, ...rest }) => rest)).toEqual([
      { ...common, action: 'user.enabled', locationId: null, details: { before: { disabled: true }, after: { disabled: false }, sessionsEnded: 0 } },
      { ...common, action: 'user.disabled', locationId: null, details: { before: { disabled: false }, after: { disabled: true }, sessionsEnded: 0 } },
      { ...common, action: 'role.changed', locationId: there, details: { before: { role: 'staff' }, after: { role: 'manager' }, sessionsEnded: 0 } },
      { ...common, action: 'role.changed', locationId: there, details: { before: { role: null }, after: { role: 'staff' }, sessionsEnded: 1 } },
    ]);
    expect(entries.every((e) => e.at instanceof Date)).toBe(true);
    const roleChanges = await asAdmin().admin.audit.list({ action: 'role.changed', userId: user.id });
    expect(roleChanges.entries.map((e) => e.action)).toEqual(['role.changed', 'role.changed']);
  });

  it('pages newest first, 100 rows a page, each row exactly once', async () => {
    const actor = await createUser(tdb.db);
    await tdb.db
      .insertInto('audit_log')
      .values(Array.from({ length: 230 }, (_, i) => ({ action: 'user.enabled', actor_user_id: actor.id, details: JSON.stringify({ i }) })))
      .execute();
    const seen: number[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await asAdmin().admin.audit.list({ action: 'user.enabled', userId: actor.id, ...(cursor ? { cursor } : {}) });
      pageSizes.push(page.entries.length);
      seen.push(...page.entries.map((e) => (e.details as { i: number }).i));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pageSizes).toEqual([100, 100, 30]);
    expect(seen).toEqual(Array.from({ length: 230 }, (_, i) => 229 - i));
  });
});

describe('admin.users.list', () => {
  it('walks every user exactly once, newest first, 50 a page, even when many were created in the same instant', async () => {
    // 130 users in one instant (the id breaks the tie), then 100 users a microsecond apart within
    // one millisecond: a cursor kept to the millisecond, as a JS Date is, would skip them.
    await sql`insert into users (email, name, password_hash, created_at)
      select 'same.instant.' || n || '@bistro.test', 'Same Instant ' || n, 'x', timestamptz '2026-11-20 10:00:00.123456+00'
      from generate_series(1, 130) n`.execute(tdb.db);
    await sql`insert into users (email, name, password_hash, created_at)
      select 'micro.' || n || '@bistro.test', 'Micro ' || n, 'x', timestamptz '2026-11-20 10:00:00.123100+00' + n * interval '1 microsecond'
      from generate_series(1, 100) n`.execute(tdb.db);

    const all = await tdb.db.selectFrom('users').select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await asAdmin().admin.users.list(cursor ? { cursor } : {});
      pageSizes.push(page.users.length);
      seen.push(...page.users.map((u) => u.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((u) => u.id));
    expect(new Set(seen).size).toBe(all.length);
    expect(pageSizes.slice(0, -1).every((n) => n === 50)).toBe(true);
  });

  it('shows each user’s id, email, name, admin flag, disabled and verified state, roles per location and creation time, and nothing else', async () => {
    const cook = await createUser(tdb.db, { name: 'Listed Cook', roles: [{ locationId: here, role: 'staff' }, { locationId: there, role: 'manager' }] });
    const { users } = await asAdmin().admin.users.list({ query: cook.email });
    expect(users).toHaveLength(1);
    const [listed] = users;
    expect(Object.keys(listed!).sort()).toEqual(['createdAt', 'disabled', 'email', 'emailVerified', 'id', 'isAdmin', 'name', 'roles']);
    expect(listed).toMatchObject({ id: cook.id, email: cook.email, name: 'Listed Cook', isAdmin: false, disabled: false, emailVerified: false });
    expect(listed!.roles).toHaveLength(2);
    expect(listed!.roles).toEqual(expect.arrayContaining([{ locationId: here, role: 'staff' }, { locationId: there, role: 'manager' }]));
    expect(listed!.createdAt).toBeInstanceOf(Date);
  });

  it('search matches email or name regardless of case, and % and _ match only themselves', async () => {
    const tag = `q${Date.now()}`;
    const percent = await createUser(tdb.db, { name: `${tag} 100% Chef` });
    const underscore = await createUser(tdb.db, { email: `${tag}_under@bistro.test` });
    const plain = await createUser(tdb.db, { name: `${tag} Plain Chef` });
    const ids = async (query: string) => (await asAdmin().admin.users.list({ query })).users.map((u) => u.id).sort();
    expect(await ids(`${tag.toUpperCase()} 100%`)).toEqual([percent.id]);
    expect(await ids(`${tag}%`)).toEqual([]);
    expect(await ids(`${tag}_`)).toEqual([underscore.id]);
    expect(await ids(`${tag} plain`)).toEqual([plain.id]);
    expect(await ids(tag)).toEqual([percent.id, underscore.id, plain.id].sort());
  });
});

describe('bad input to the admin procedures', () => {
  const LONG = 'x'.repeat(10 * 1024);
  const usersCursor = base64url(['users', '2026-11-20T10:00:00.123456Z', randomUUID()]);

  it.each([
    ['admin.users.list', { query: LONG }, 'query'],
    ['admin.users.list', { isAdmin: true }, 'isAdmin'],
    ['admin.users.list', { cursor: LONG }, 'cursor'],
    ['admin.users.list', { cursor: 'not a cursor!' }, 'cursor'],
    ['admin.users.list', { cursor: base64url({ hello: 'world' }) }, 'cursor'],
    ['admin.users.list', { cursor: Buffer.from('{not json').toString('base64url') }, 'cursor'],
    ['admin.users.list', { cursor: base64url(['users', '2026-02-31T10:00:00.000000Z', randomUUID()]) }, 'cursor'],
    ['admin.users.list', { cursor: base64url(['users', "2026-11-20T10:00:00.123456Z'--", randomUUID()]) }, 'cursor'],
    ['admin.users.list', { cursor: base64url(['audit', 5]) }, 'cursor'],
    ['admin.audit.list', { cursor: usersCursor }, 'cursor'],
    ['admin.audit.list', { cursor: base64url(['audit', -1]) }, 'cursor'],
    ['admin.audit.list', { action: LONG }, 'action'],
    ['admin.audit.list', { userId: 'someone' }, 'userId'],
    ['admin.audit.list', { actorUserId: randomUUID() }, 'actorUserId'],
    ['admin.users.setRole', { userId: randomUUID(), locationId: randomUUID(), role: 'owner' }, 'role'],
    ['admin.users.setRole', { userId: randomUUID(), locationId: randomUUID() }, 'role'],
    ['admin.users.setRole', { userId: LONG, locationId: randomUUID(), role: 'staff' }, 'userId'],
    ['admin.users.setRole', { userId: randomUUID(), locationId: randomUUID(), role: 'staff', isAdmin: true }, 'isAdmin'],
    ['admin.users.setDisabled', { userId: randomUUID(), disabled: 'yes' }, 'disabled'],
    ['admin.users.setDisabled', { userId: randomUUID(), disabled: true, reason: LONG }, 'reason'],
  ] as const)('%s with %j is BAD_REQUEST with a field error on %s', async (path, input, field) => {
    const error = await refusal(callPath(asAdmin(), path, input));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', bistroCode: 'INVALID_INPUT' });
    expect(Object.keys(error.fieldErrors ?? {})).toContain(field);
  });

  it('a refused role change or disable stores nothing', async () => {
    const user = await createUser(tdb.db);
    const auditBefore = await tdb.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await refusal(callPath(asAdmin(), 'admin.users.setRole', { userId: user.id, locationId: here, role: 'staff', isAdmin: true }));
    await refusal(callPath(asAdmin(), 'admin.users.setDisabled', { userId: user.id, disabled: true, extra: 1 }));
    const auditAfter = await tdb.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
    const row = await tdb.db.selectFrom('users').select(['is_admin', 'disabled_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ is_admin: false, disabled_at: null });
    expect(await tdb.db.selectFrom('location_roles').select('role').where('user_id', '=', user.id).execute()).toEqual([]);
    expect(await sessionsOf(user.id)).toBe(1);
  });
});
