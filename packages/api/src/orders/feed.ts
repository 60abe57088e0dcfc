import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { OrderStatus } from '@bistro/domain';
import type { Context } from '../context.js';
import { orderEventsTopic } from './events.js';
import { ticketsByOrder, type Ticket } from './queries.js';

/**
 * Live feeds of order events. The `order_events` table is the source of truth; the bus only
 * rings a doorbell ("location L has new events"). Each subscriber keeps the id of the last
 * event it yielded and reads `id > last` from the table whenever the bell rings, so it gets
 * every event once and in order, whichever instance wrote it, and a reconnect with
 * `lastEventId` replays what was missed first. recordOrderChange commits one location's events
 * in id order, so reading `id > last` never passes over a late commit.
 */

export interface OrderEvent {
  eventId: number;
  type: string;
  orderId: string;
  status: OrderStatus;
  at: Date;
}

export interface KitchenEvent extends OrderEvent {
  /** The ticket as of this event (its status is the event's); null if the order is gone. */
  ticket: Ticket | null;
}

const PAGE = 200;
/** Without a bus (some tests and scripts), the table is polled this often. */
const POLL_MS = 1_000;

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

// Reads in flight, per database and position: a hundred kitchen screens of one location, all
// at the same event, cost one query (and one ticket load) per new event, not a hundred. A
// subscriber joins a read only if it started after the ring it answers (an older read may
// have missed the event the ring announced).
const inFlight = new WeakMap<Kysely<DB>, Map<string, { startedAt: number; rows: Promise<unknown> }>>();

function shared<T>(db: Kysely<DB>, key: string, notBefore: number, read: () => Promise<T>): Promise<T> {
  let reads = inFlight.get(db);
  if (!reads) inFlight.set(db, (reads = new Map()));
  const pending = reads.get(key);
  if (pending && pending.startedAt > notBefore) return pending.rows as Promise<T>;
  const entry = { startedAt: ++tick, rows: Promise.resolve() as Promise<unknown> };
  entry.rows = read().finally(() => {
    if (reads.get(key) === entry) reads.delete(key);
  });
  reads.set(key, entry);
  return entry.rows as Promise<T>;
}

async function readEvents(db: Kysely<DB>, locationId: string, orderId: string | null, after: number): Promise<OrderEvent[]> {
  let query = db
    .selectFrom('order_events')
    .select(['id as eventId', 'type', 'order_id as orderId', 'status', 'at'])
    .where('location_id', '=', locationId)
    .where('id', '>', after)
    .orderBy('id')
    .limit(PAGE);
  if (orderId) query = query.where('order_id', '=', orderId);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, status: row.status as OrderStatus, at: new Date(row.at) }));
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

/**
 * Events of a location (or of one order there) after `after`, then each new one as it commits,
 * until `signal` aborts. Subscribes to the bus before the first read, so nothing that commits
 * between the replay and the live part can slip through.
 */
async function* follow<T extends { eventId: number }>(
  ctx: Pick<Context, 'db' | 'services'>,
  options: {
    locationId: string;
    /** Start after this event id; null: from the newest event now. */
    after: number | null;
    signal: AbortSignal | undefined;
    /** Names the read for sharing: same key and position, same rows. */
    key: string;
    read: (after: number) => Promise<T[]>;
  },
): AsyncGenerator<T, void, undefined> {
  const { signal } = options;
  const bell = new Doorbell();
  const bus = ctx.services.bus;
  // Rung again once the subscription is live: an event announced before then is read then.
  const stops = bus ? [bus.subscribe(orderEventsTopic(options.locationId), bell.ring, bell.ring), bus.onResync(bell.ring)] : [];
  const poll = bus ? undefined : setInterval(bell.ring, POLL_MS);
  signal?.addEventListener('abort', bell.ring);
  try {
    let last = options.after ?? (await latestEventId(ctx.db, options.locationId));
    while (!signal?.aborted) {
      const notBefore = bell.clear();
      const from = last;
      const rows = await shared(ctx.db, `${options.key}@${from}`, notBefore, () => options.read(from));
      for (const row of rows) {
        if (row.eventId <= last) continue;
        last = row.eventId;
        yield row;
        if (signal?.aborted) return;
      }
      if (rows.length < PAGE) await bell.wait();
    }
  } finally {
    for (const stop of stops) stop();
    if (poll) clearInterval(poll);
    signal?.removeEventListener('abort', bell.ring);
  }
}

/** A guest's or customer's view of their order's events: id, type, status, when. */
export function followOrder(
  ctx: Pick<Context, 'db' | 'services'>,
  options: { locationId: string; orderId: string; after: number | null; signal: AbortSignal | undefined },
): AsyncGenerator<OrderEvent, void, undefined> {
  return follow(ctx, {
    locationId: options.locationId,
    // An order's own feed is short: without a position it starts from the order's first event.
    after: options.after ?? 0,
    signal: options.signal,
    key: `order:${options.orderId}`,
    read: (after) => readEvents(ctx.db, options.locationId, options.orderId, after),
  });
}

/** The kitchen's view of a location's events, each with its ticket. */
export function followKitchen(
  ctx: Pick<Context, 'db' | 'services'>,
  options: { locationId: string; after: number | null; signal: AbortSignal | undefined },
): AsyncGenerator<KitchenEvent, void, undefined> {
  return follow(ctx, {
    locationId: options.locationId,
    after: options.after,
    signal: options.signal,
    key: `kitchen:${options.locationId}`,
    read: async (after) => {
      const events = await readEvents(ctx.db, options.locationId, null, after);
      const tickets = await ticketsByOrder(
        ctx.db,
        options.locationId,
        events.map((e) => e.orderId),
      );
      return events.map((event) => {
        const ticket = tickets.get(event.orderId);
        return { ...event, ticket: ticket ? { ...ticket, status: event.status } : null };
      });
    },
  });
}
