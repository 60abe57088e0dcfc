import type { Bus } from '../bus.js';
import type { Context } from '../context.js';
import type { ResolvedSession } from './sessions.js';

/**
 * The bus topic on which every end or change of a session is announced, as `user:<id>` (all of a
 * user's sessions) or `session:<id>` (one session). Live feeds listen to it too (orders/fan-out.ts).
 */
export const SESSIONS_CHANGED_TOPIC = 'sessions.changed';

interface Entry {
  session: ResolvedSession;
  /** Re-read from the database after this instant, whatever happens. */
  until: number;
}

/**
 * Resolved sessions by token hash, so a signed-in request costs no query. Correctness rests on
 * explicit invalidation: every change that ends a session or changes what it carries (sign-out,
 * revoke, password change or reset, disable, role change, email verified) calls
 * `sessionsChanged` after commit, which drops the entries here and, through the bus, on every
 * other instance. A short TTL bounds the damage of a lost message; a bus reconnect drops all.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly bus: Bus,
    private readonly ttlMs = 10_000,
  ) {
    bus.subscribe(SESSIONS_CHANGED_TOPIC, (message) => this.drop(message));
    bus.onResync(() => this.clear());
  }

  get(tokenHash: string, now: Date): ResolvedSession | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (now.getTime() >= entry.until || now.getTime() >= entry.session.session.expiresAt.getTime()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.session;
  }

  startFill(): number {
    return this.generation;
  }

  set(tokenHash: string, session: ResolvedSession, fill: number, now: Date): void {
    if (fill !== this.generation) return;
    if (this.entries.size >= 50_000) this.entries.clear();
    this.entries.set(tokenHash, { session: { ...session, renewed: false }, until: now.getTime() + this.ttlMs });
  }

  /** Drops what is cached for a user or a session, here and on every instance. */
  changed(target: { userId: string } | { sessionId: string }): void {
    const message = 'userId' in target ? `user:${target.userId}` : `session:${target.sessionId}`;
    this.drop(message);
    this.bus.publish(SESSIONS_CHANGED_TOPIC, message);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  private drop(message: string): void {
    this.generation += 1;
    const [kind, id] = message.split(':');
    for (const [hash, { session }] of this.entries) {
      if ((kind === 'user' && session.user.id === id) || (kind === 'session' && session.session.id === id)) this.entries.delete(hash);
    }
  }
}

/** After commit: a user's sessions (or one session) ended or changed; no cache may keep serving them. */
export function sessionsChanged(ctx: Pick<Context, 'services'>, target: { userId: string } | { sessionId: string }): void {
  ctx.services.sessionCache?.changed(target);
}
