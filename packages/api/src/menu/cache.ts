import type { Bus } from '../bus.js';
import type { MenuCacheLike } from '../context.js';

const TOPIC = 'menu.changed';

interface Entry<T> {
  locationId: string;
  value: T;
  /** Dropped after this instant even if no change was heard (a lost message must not last). */
  until: number;
}

/**
 * Prepared menus by slug, kept until the location's menu changes. A change on any instance
 * reaches every instance through the bus; if the bus loses messages (Redis reconnecting) the
 * whole cache is dropped, and no entry lives longer than a minute in any case. A read that raced with a change is not stored: each fill checks the
 * invalidation generation it started under.
 */
export class MenuCache<T> implements MenuCacheLike {
  private readonly entries = new Map<string, Entry<T>>();
  private generation = 0;

  constructor(
    private readonly bus: Bus,
    private readonly ttlMs = 60_000,
  ) {
    bus.subscribe(TOPIC, (locationId) => this.drop(locationId));
    bus.onResync(() => this.clear());
  }

  get(slug: string): T | undefined {
    const entry = this.entries.get(slug);
    if (entry && performance.now() >= entry.until) {
      this.entries.delete(slug);
      return undefined;
    }
    return entry?.value;
  }

  /** The token to pass to `set`, taken before reading the database. */
  startFill(): number {
    return this.generation;
  }

  set(slug: string, locationId: string, value: T, fill: number): void {
    if (fill === this.generation) this.entries.set(slug, { locationId, value, until: performance.now() + this.ttlMs });
  }

  /** Drops the location's menu here and tells every other instance to do the same. */
  invalidate(locationId: string): void {
    this.drop(locationId);
    this.bus.publish(TOPIC, locationId);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  private drop(locationId: string): void {
    this.generation += 1;
    for (const [slug, entry] of this.entries) if (entry.locationId === locationId) this.entries.delete(slug);
  }
}
