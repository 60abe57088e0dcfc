import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin, Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { ApiScope, LocationRole } from '@bistro/domain';
import { newApiKey } from '../src/api-keys/keys.js';
import { createSession } from '../src/auth/sessions.js';
import { createCaller, createContext, DataKeys, FolderMediaStorage, JobQueue, Limiter, Passwords, SandboxProvider, TASKS, type Email, type Services } from '../src/index.js';

export const silent = { fatal() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {} };

export interface TestServices extends Services {
  /** Emails "sent" by a test whose subject is not email delivery (those use a real SMTP server). */
  outbox: Email[];
}

/** One throwaway key per test file: a worker opens what any caller of the file sealed. */
const TEST_KEYS = new DataKeys([{ id: 'test', key: randomBytes(32) }]);

export function testServices(overrides: Partial<Services> = {}): TestServices {
  const outbox: Email[] = [];
  return {
    passwords: new Passwords(),
    limiter: new Limiter(),
    // A throwaway key: placing an order encrypts the guest's phone and email.
    dataKeys: TEST_KEYS,
    mailer: { send: async (email) => void outbox.push(email) },
    // Real files in a scratch folder: photo procedures write and delete there.
    media: new FolderMediaStorage(join(tmpdir(), `bistro-test-media-${randomBytes(6).toString('hex')}`)),
    settings: { publicUrl: 'http://bistro.test', allowedOrigins: ['http://bistro.test'] },
    // The sandbox provider, its webhooks dropped: a test of the payment flow brings its own (payments.test.ts).
    payments: { provider: new SandboxProvider({ secret: randomBytes(32), now: () => new Date(), deliver: async () => {} }), timeoutMinutes: 15 },
    outbox,
    ...overrides,
  };
}

export interface CallerOptions {
  now?: Date;
  token?: string | null;
  via?: 'cookie' | 'bearer';
  ip?: string;
  origin?: string;
  services?: Services;
}

const queues = new WeakMap<Kysely<DB>, JobQueue>();

/**
 * The job queue of a test database: jobs are enqueued into it (and stay there, unless the test
 * runs a worker: `startWorker` in jobs-fixtures.ts).
 */
export function jobsFor(db: Kysely<DB>): JobQueue {
  let queue = queues.get(db);
  if (!queue) {
    queue = new JobQueue({ db, log: silent, tasks: TASKS });
    queues.set(db, queue);
  }
  return queue;
}

/** The services with the database's job queue, unless they bring their own. */
export function withJobs(services: Services, db: Kysely<DB>): Services {
  return services.jobs ? services : { ...services, jobs: jobsFor(db) };
}

/** A caller as the server would build it: optional session token, fixed clock, test services. */
export function callerFor(db: Kysely<DB>, options: CallerOptions = {}) {
  const cookies = { set: [] as string[], cleared: 0 };
  const caller = createCaller(() =>
    createContext({
      db,
      log: silent,
      requestId: 'test',
      services: withJobs(options.services ?? sharedServices, db),
      ...(options.now ? { now: () => options.now! } : {}),
      token: options.token ?? null,
      request: { ip: options.ip ?? '192.0.2.1', credential: options.via ?? 'bearer', origin: options.origin ?? null },
      cookies: { set: (token) => void cookies.set.push(token), clear: () => void (cookies.cleared += 1) },
    }),
  );
  return Object.assign(caller, { cookies });
}

const sharedServices = testServices();

export interface TestUser {
  id: string;
  email: string;
  password: string;
  /** A bearer token of a fresh session. */
  token: string;
}

let counter = 0;
// One argon2 hash for every test user: tests that are not about hashing stay fast.
let hashOfDefault: Promise<string> | undefined;
export const DEFAULT_PASSWORD = 'plate-of-oysters-42';

/** A user with roles, signed in (a session token ready for `callerFor(db, { token })`). */
export async function createUser(
  db: Kysely<DB>,
  options: { email?: string; name?: string; isAdmin?: boolean; roles?: { locationId: string; role: LocationRole }[]; disabled?: boolean } = {},
): Promise<TestUser> {
  counter += 1;
  const email = options.email ?? `user${counter}.${Date.now()}@bistro.test`;
  hashOfDefault ??= sharedServices.passwords.hash(DEFAULT_PASSWORD);
  const user = await db
    .insertInto('users')
    .values({
      email,
      name: options.name ?? `User ${counter}`,
      password_hash: await hashOfDefault,
      is_admin: options.isAdmin ?? false,
      disabled_at: options.disabled ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.roles?.length) {
    await db
      .insertInto('location_roles')
      .values(options.roles.map((r) => ({ user_id: user.id, location_id: r.locationId, role: r.role })))
      .execute();
  }
  const { token } = await createSession(db, user.id, { ip: null, userAgent: null, now: new Date() });
  return { id: user.id, email, password: DEFAULT_PASSWORD, token };
}

/**
 * An API key of `locationId` with `scopes`, made by a new manager of that location (or by
 * `createdBy`), written as apiKeys.create writes it. Returns the key itself and its id.
 */
export async function createApiKey(
  db: Kysely<DB>,
  options: { locationId: string; scopes: readonly ApiScope[]; createdBy?: string; expiresAt?: Date; name?: string },
): Promise<{ id: string; key: string; createdBy: string }> {
  const createdBy = options.createdBy ?? (await createUser(db, { roles: [{ locationId: options.locationId, role: 'manager' }] })).id;
  const { key, prefix, hash } = newApiKey();
  const { id } = await db
    .insertInto('api_keys')
    .values({
      location_id: options.locationId,
      name: options.name ?? 'Test key',
      prefix,
      secret_hash: hash,
      scopes: [...options.scopes],
      created_by: createdBy,
      created_at: new Date(),
      expires_at: options.expiresAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, key, createdBy };
}

/** Counts the SQL statements a piece of work runs (precompiled ones too). */
export function countingStatements(db: Kysely<DB>): { db: Kysely<DB>; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      return args.node;
    },
    async transformResult(args) {
      n += 1;
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), count: () => n };
}

/** The ids of the two seeded demo locations. */
export async function demoLocationIds(db: Kysely<DB>): Promise<{ centrale: string; harbor: string }> {
  const rows = await db.selectFrom('locations').select(['id', 'slug']).where('slug', 'in', ['bistro-centrale', 'harbor-bistro']).execute();
  const id = (slug: string) => rows.find((r) => r.slug === slug)!.id;
  return { centrale: id('bistro-centrale'), harbor: id('harbor-bistro') };
}
