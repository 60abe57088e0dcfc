import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bistro/db/testing';
import { createSession, resolveSession, revokeAllSessions, SESSION_DAYS } from '../src/auth/sessions.js';
import { createCaller, createContext } from '../src/index.js';
import { callerFor, createUser, demoLocationIds, silent, testServices } from './helpers.js';
import { refusal } from './procedures.js';

/**
 * Sessions slide: used in the second half of its 30 days, a session is renewed for 30 days from
 * that use; unused for 30 days, it ends. Every instant comes from a fixed clock.
 */

let tdb: TestDatabase;
const DAY = 24 * 60 * 60 * 1000;
const t0 = new Date('2026-11-01T09:00:00.000Z');
const at = (days: number, ms = 0) => new Date(t0.getTime() + days * DAY + ms);

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb?.drop());

async function freshSession(meta: { ip?: string | null; userAgent?: string | null } = {}) {
  const user = await createUser(tdb.db);
  const session = await createSession(tdb.db, user.id, { ip: meta.ip ?? null, userAgent: meta.userAgent ?? null, now: t0 });
  return { user, ...session };
}

/** A browser's request: the token in the session cookie, and what the response does to the cookie. */
function browser(token: string, now: Date) {
  const cookies = { set: [] as string[], cleared: 0 };
  const caller = createCaller(() =>
    createContext({
      db: tdb.db,
      log: silent,
      requestId: 'test',
      services: testServices(),
      now: () => now,
      token,
      request: { credential: 'cookie' },
      cookies: { set: (t, until) => void cookies.set.push(`${t} until ${until.toISOString()}`), clear: () => void (cookies.cleared += 1) },
    }),
  );
  return { caller, cookies };
}

async function stored(sessionId: string) {
  return tdb.db.selectFrom('sessions').select(['expires_at', 'last_used_at', 'created_at', 'ip', 'user_agent']).where('id', '=', sessionId).executeTakeFirstOrThrow();
}

describe('a session’s life', () => {
  it('starts with 30 days to live, stamped with the request’s clock, the address and the browser', async () => {
    expect(SESSION_DAYS).toBe(30);
    const { sessionId, expiresAt } = await freshSession({ ip: '192.0.2.7', userAgent: `Mozilla/5.0 ${'x'.repeat(400)}` });
    expect(expiresAt).toEqual(at(30));
    const row = await stored(sessionId);
    expect(row).toMatchObject({ expires_at: at(30), last_used_at: t0, created_at: t0, ip: '192.0.2.7' });
    expect(row.user_agent).toHaveLength(300);
  });

  it('used in its first half, it is not renewed and nothing is written', async () => {
    const { token, sessionId } = await freshSession();
    for (const when of [at(1), at(14, DAY - 1), at(15)]) {
      const resolved = await resolveSession(tdb.db, token, when);
      expect(resolved, when.toISOString()).toMatchObject({ renewed: false, session: { id: sessionId, expiresAt: at(30) } });
    }
    expect(await stored(sessionId)).toMatchObject({ expires_at: at(30), last_used_at: t0 });
  });

  it('used just after the middle of its life, it is renewed for 30 days from that use', async () => {
    const { token, sessionId } = await freshSession();
    const use = at(15, 1);
    const resolved = await resolveSession(tdb.db, token, use);
    expect(resolved).toMatchObject({ renewed: true, session: { id: sessionId, expiresAt: at(45, 1) } });
    expect(await stored(sessionId)).toMatchObject({ expires_at: at(45, 1), last_used_at: use });
  });

  it('kept in use every few weeks, it never ends; left alone, it ends exactly 30 days after the last use', async () => {
    const { token } = await freshSession();
    let lastUse = t0;
    for (const days of [20, 40, 60, 80]) {
      lastUse = at(days);
      expect((await resolveSession(tdb.db, token, lastUse))?.renewed, `day ${days}`).toBe(true);
    }
    const end = new Date(lastUse.getTime() + 30 * DAY);
    const justBefore = await resolveSession(tdb.db, token, new Date(end.getTime() - 1));
    expect(justBefore?.session.expiresAt).toEqual(new Date(end.getTime() - 1 + 30 * DAY));
    // A second session of the same age, left alone since day 80 as well.
    const other = await freshSession();
    await resolveSession(tdb.db, other.token, at(20));
    await resolveSession(tdb.db, other.token, at(40));
    await resolveSession(tdb.db, other.token, at(60));
    await resolveSession(tdb.db, other.token, at(80));
    expect(await resolveSession(tdb.db, other.token, end)).toBeNull();
    expect(await resolveSession(tdb.db, other.token, new Date(end.getTime() - 1))).not.toBeNull();
  });

  it('never used, it ends at its 30th day to the millisecond', async () => {
    const { token } = await freshSession();
    const twin = await freshSession();
    expect(await resolveSession(tdb.db, twin.token, at(30, -1))).not.toBeNull();
    expect(await resolveSession(tdb.db, token, at(30))).toBeNull();
    expect(await resolveSession(tdb.db, token, at(31))).toBeNull();
  });

  it('through the API: a signed-in browser gets its cookie again when the session is renewed, and is signed out once it ended', async () => {
    const { token, user } = await freshSession();
    const early = browser(token, at(3));
    expect(await early.caller.auth.me()).toMatchObject({ email: user.email, sessionExpiresAt: at(30) });
    expect(early.cookies).toEqual({ set: [], cleared: 0 });
    const later = browser(token, at(20));
    expect(await later.caller.auth.me()).toMatchObject({ email: user.email, sessionExpiresAt: at(50) });
    expect(later.cookies).toEqual({ set: [`${token} until ${at(50).toISOString()}`], cleared: 0 });
    const gone = browser(token, at(50));
    expect(await gone.caller.auth.me()).toBeNull();
    expect(gone.cookies).toEqual({ set: [], cleared: 1 });
    expect((await refusal(callerFor(tdb.db, { token, now: at(50) }).auth.sessions.list())).bistroCode).toBe('UNAUTHORIZED');
  });
});

describe('what a session opens', () => {
  it('the user, whether their email is verified, and their roles', async () => {
    const { centrale, harbor } = await demoLocationIds(tdb.db);
    const user = await createUser(tdb.db, {
      roles: [
        { locationId: centrale, role: 'manager' },
        { locationId: harbor, role: 'staff' },
      ],
    });
    const resolved = await resolveSession(tdb.db, user.token, new Date());
    expect(resolved?.user).toMatchObject({ id: user.id, email: user.email, isAdmin: false, emailVerified: false });
    expect(resolved?.roles.sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { locationId: centrale, role: 'manager' },
      { locationId: harbor, role: 'staff' },
    ]);
    await tdb.db.updateTable('users').set({ email_verified_at: new Date() }).where('id', '=', user.id).execute();
    expect((await resolveSession(tdb.db, user.token, new Date()))?.user.emailVerified).toBe(true);
  });

  it('nothing for an unknown token or a disabled user', async () => {
    const user = await createUser(tdb.db);
    expect(await resolveSession(tdb.db, 'A'.repeat(43), new Date())).toBeNull();
    await tdb.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
    expect(await resolveSession(tdb.db, user.token, new Date())).toBeNull();
  });
});

describe('ending every session of a user', () => {
  it('ends them all, or all but the one in use, and says how many', async () => {
    const user = await createUser(tdb.db);
    const more = await Promise.all([1, 2, 3].map(() => createSession(tdb.db, user.id, { ip: null, userAgent: null, now: new Date() })));
    const bystander = await createUser(tdb.db);
    expect(await revokeAllSessions(tdb.db, user.id, more[0]!.sessionId)).toBe(3);
    expect(await resolveSession(tdb.db, more[0]!.token, new Date())).not.toBeNull();
    expect(await resolveSession(tdb.db, user.token, new Date())).toBeNull();
    expect(await revokeAllSessions(tdb.db, user.id)).toBe(1);
    expect(await resolveSession(tdb.db, more[0]!.token, new Date())).toBeNull();
    expect(await resolveSession(tdb.db, bystander.token, new Date())).not.toBeNull();
  });
});
