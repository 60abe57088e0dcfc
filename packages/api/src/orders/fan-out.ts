import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '@bistro/db';
import type { LocationRole } from '@bistro/domain';
import { SESSIONS_CHANGED_TOPIC } from '../auth/session-cache.js';
import type { Bus } from '../bus.js';
import type { Context } from '../context.js';
import { orderEventsTopic } from './events.js';

/**
 * The fan-out machinery of live feeds, whatever they carry (tickets.ts says what). The
 * `order_events` table is the source of truth; the bus only rings a doorbell ("location L has
 * new events"). Each subscriber keeps the id of the last event it yielded and reads `id > last`
 * from the table whenever the bell rings, so it gets every event once and in order, whichever
 * instance wrote it, and a reconnect with `lastEventId` replays what was missed first.
 * recordOrderChange commits one location's events in id order, so reading `id > last` never
 * passes over a late commit.
 *
 * A ring can be lost (RedisBus drops a publish it cannot send), so the table is also checked on
 * a timer, bus or not: see `feedPolling`.
 *
 * Subscribers of one location at one position share one read (`shared`), so one event object
 * is yielded to every subscriber of an instance.
 */

/** Events read at once; a feed further behind reads again at once. */
export const PAGE = 200;

/**
 * How often (ms) each location's feeds on this instance check the table on their own, with one
 * cheap query (the location's newest event id), and read when it moved. Without a bus that is
 * how they hear of events; with one it is the safety net for a lost message. Tests shorten these
 * (a change applies to locations whose feeds start afterwards).
 */
export const feedPolling = { withoutBusMs: 1_000, withBusMs: 5_000 };

// One clock for rings and reads, to tell whether a read started after a ring.
let tick = 0;

/** A bell that remembers it rang: a ring during a read makes the next wait return at once. */
class Doorbell {
  private rung = true;
  /** The tick of the latest ring; a read must start after it to see what the ring announced. */
  private rangAt = ++tick;
  private waiter: (() => void) | undefined;
  readonly ring = (): void => {
    this.rung = true;
    this.rangAt = ++tick;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  };
  /** Forgets earlier rings (call just before reading, so a ring during the read is kept); returns the tick a read must start after. */
  clear(): number {
    this.rung = false;
    return this.rangAt;
  }
  wait(): Promise<void> {
    if (this.rung) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

/**
 * The feeds of one location on this instance (per database and bus): one bus subscription and
 * one timer for all of them, however many screens are open.
 */
class LocationFeeds {
  readonly bells = new Set<Doorbell>();
  private readonly stops: (() => void)[];
  private readonly timer: ReturnType<typeof setInterval>;
  /** The newest event id the timer saw; null before its first look. */
  private seen: number | null = null;
  private checking = false;

  constructor(
    private readonly db: Kysely<DB>,
    bus: Bus | undefined,
    private readonly locationId: string,
    private readonly onEmpty: () => void,
  ) {
    // Rung again once the subscription is live: an event announced before then is read then.
    this.stops = bus ? [bus.subscribe(orderEventsTopic(locationId), this.ringAll, this.ringAll), bus.onResync(this.ringAll)] : [];
    this.timer = setInterval(() => void this.check(), bus ? feedPolling.withBusMs : feedPolling.withoutBusMs);
    this.timer.unref?.();
  }

  readonly ringAll = (): void => {
    for (const bell of this.bells) bell.ring();
  };

  leave(bell: Doorbell): void {
    this.bells.delete(bell);
    if (this.bells.size > 0) return;
    for (const stop of this.stops) stop();
    clearInterval(this.timer);
    this.onEmpty();
  }

  /**
   * Rings when the location's newest event id moved since the last look. Ids of a location
   * commit in order, so an unchanged newest id means nothing committed since the last ring,
   * which every feed has read after.
   */
  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const newest = await latestEventId(this.db, this.locationId);
      if (newest !== this.seen) {
        this.seen = newest;
        this.ringAll();
      }
    } catch {
      // The next look tries again; a down database shows up in the feeds' own reads.
      this.seen = null;
    } finally {
      this.checking = false;
    }
  }
}

const noBus = {};
const locations = new WeakMap<Kysely<DB>, WeakMap<object, Map<string, LocationFeeds>>>();

function feedsOf(db: Kysely<DB>, bus: Bus | undefined, locationId: string): LocationFeeds {
  let byBus = locations.get(db);
  if (!byBus) locations.set(db, (byBus = new WeakMap()));
  let byLocation = byBus.get(bus ?? noBus);
  if (!byLocation) byBus.set(bus ?? noBus, (byLocation = new Map<string, LocationFeeds>()));
  let feeds = byLocation.get(locationId);
  if (!feeds) {
    const map = byLocation;
    feeds = new LocationFeeds(db, bus, locationId, () => map.delete(locationId));
    byLocation.set(locationId, feeds);
  }
  return feeds;
}

// Reads per database and position: a thousand kitchen screens of one location, all at the same
// event, cost one query per new event, not a thousand. A subscriber joins a read only if it
// started after the ring it answers (an older read may have missed the event the ring
// announced); otherwise it joins the read queued behind the running one, which starts later
// still. So a position has at most one read running and one waiting, however many screens
// connect at once (a burst of new screens would otherwise each read on their own and drain the
// pool).
interface SharedRead {
  /** The tick the read started at; null while it waits for the one before it. */
  startedAt: number | null;
  rows: Promise<unknown>;
}
const reads = new WeakMap<Kysely<DB>, Map<string, { running?: SharedRead; queued?: SharedRead }>>();

function shared<T>(db: Kysely<DB>, key: string, notBefore: number, read: () => Promise<T>): Promise<T> {
  let byKey = reads.get(db);
  if (!byKey) reads.set(db, (byKey = new Map<string, { running?: SharedRead; queued?: SharedRead }>()));
  let position = byKey.get(key);
  if (!position) byKey.set(key, (position = {}));
  const { running, queued } = position;
  if (running && running.startedAt! > notBefore) return running.rows as Promise<T>;
  if (queued) return queued.rows as Promise<T>;
  const slot = position;
  const entry: SharedRead = { startedAt: null, rows: Promise.resolve() };
  const start = (): Promise<unknown> => {
    entry.startedAt = ++tick;
    slot.running = entry;
    if (slot.queued === entry) slot.queued = undefined;
    return read().finally(() => {
      if (slot.running === entry) slot.running = undefined;
      if (!slot.running && !slot.queued && byKey.get(key) === slot) byKey.delete(key);
    });
  };
  if (running) {
    slot.queued = entry;
    entry.rows = running.rows.then(start, start);
  } else {
    entry.rows = start();
  }
  return entry.rows as Promise<T>;
}

/** The newest event id of a location (0 when it has none): where a feed without `lastEventId` starts. */
export async function latestEventId(db: Kysely<DB>, locationId: string): Promise<number> {
  const row = await db
    .selectFrom('order_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('location_id', '=', locationId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** `lastEventId` as the client sent it, or null. */
export function parseEventId(lastEventId: string | null | undefined): number | null {
  return lastEventId ? Number(lastEventId) : null;
}

/** What a session may still do: null once it has ended (signed out, revoked, expired, its user disabled). */
export async function liveSession(
  db: Kysely<DB>,
  sessionId: string,
  now: Date,
): Promise<{ isAdmin: boolean; roles: { locationId: string; role: LocationRole }[] } | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .select('u.is_admin as isAdmin')
    .select((eb) =>
      jsonArrayFrom(eb.selectFrom('location_roles as r').whereRef('r.user_id', '=', 'u.id').select(['r.location_id as locationId', 'r.role'])).as(
        'roles',
      ),
    )
    .executeTakeFirst();
  return row ? { isAdmin: row.isAdmin, roles: row.roles } : null;
}

/**
 * Whose rights a feed runs on. When a `sessions.changed` message names the user or the session
 * (sign-out, revoke, disable, role or password change), and once the watch is live, `check`
 * runs and throws if the feed may no longer go on, which ends it.
 */
export interface FeedAccess {
  userId: string;
  sessionId: string;
  check: () => Promise<void>;
}

/**
 * Events of a location (or of one order there) after `after`, then each new one as it commits,
 * until `signal` aborts, each tracked by its id (the SSE event id a client resumes from). Subscribes to the bus before the first read, so nothing that commits
 * between the replay and the live part can slip through.
 */
export async function* follow<T extends { eventId: number }>(
  ctx: Pick<Context, 'db' | 'services'>,
  options: {
    locationId: string;
    /** Start after this event id; null: from the newest event now. */
    after: number | null;
    signal: AbortSignal | undefined;
    access: FeedAccess | null;
    /** Names the read for sharing: same key and position, same rows. */
    key: string;
    read: (after: number) => Promise<T[]>;
    /** Rows the feed reads past (its position moves on) without sending them: another station's tickets. */
    passOver?: (row: T) => boolean;
  },
): AsyncGenerator<TrackedEnvelope<T>, void, undefined> {
  const { signal, access } = options;
  const bell = new Doorbell();
  const bus = ctx.services.bus;
  const feeds = feedsOf(ctx.db, bus, options.locationId);
  feeds.bells.add(bell);
  let recheck = false;
  const stops: (() => void)[] = [];
  if (access && bus) {
    const mine = [`user:${access.userId}`, `session:${access.sessionId}`];
    const again = () => {
      recheck = true;
      bell.ring();
    };
    // Checked once the watch is live too: a change just before then was not heard.
    stops.push(
      bus.subscribe(SESSIONS_CHANGED_TOPIC, (message) => mine.includes(message) && again(), again),
      bus.onResync(again),
    );
  }
  const verify = async () => {
    if (!recheck || !access) return;
    recheck = false;
    await access.check();
  };
  signal?.addEventListener('abort', bell.ring);
  try {
    let last = options.after ?? (await latestEventId(ctx.db, options.locationId));
    while (!signal?.aborted) {
      if (recheck) await verify();
      const notBefore = bell.clear();
      const from = last;
      const rows = await shared(ctx.db, `${options.key}@${from}`, notBefore, () => options.read(from));
      for (const row of rows) {
        if (row.eventId <= last) continue;
        // Only when a session change asked for it: most events pass with no extra await per screen.
        if (recheck) await verify();
        last = row.eventId;
        if (options.passOver?.(row)) continue;
        yield tracked(String(row.eventId), row);
        if (signal?.aborted) return;
      }
      if (rows.length < PAGE) await bell.wait();
    }
  } finally {
    feeds.leave(bell);
    for (const stop of stops) stop();
    signal?.removeEventListener('abort', bell.ring);
  }
}
