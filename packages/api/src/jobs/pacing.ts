import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { DB } from '@bistro/db';

/**
 * A sending rate for the whole deployment, kept in PostgreSQL (`send_pacing`), so every worker
 * of every process shares it: two campaigns at once, or two instances, still send at the rate,
 * not twice it.
 *
 * The row holds when the next send is due (GCRA, the "generic cell rate algorithm": a token
 * bucket written as one timestamp). A send may go when that time is no later than now plus a
 * second's worth of sends (the burst), and moves it on by one interval, in one conditional
 * statement: two workers can't both take the same turn. So sends are spread one interval apart,
 * and no minute ever carries more than the rate plus that second's burst (none for rates of 60 a
 * minute or less). Time is the injected clock's: tests move it and count sends per window.
 */
export interface Pace {
  /** The rate's row (`newsletter`). */
  name: string;
  perMinute: number;
}

/** How long a waiting sender sleeps at most before it looks again (another worker may have let a turn go by, or the clock moved). */
const MAX_NAP_MS = 1000;

/** Takes the next turn if it is due: true, or when the next turn is due. */
export async function takeTurn(db: Kysely<DB>, pace: Pace, now: Date): Promise<true | Date> {
  const intervalMs = 60_000 / pace.perMinute;
  const burstMs = Math.max(0, 1000 - intervalMs);
  const { rows } = await sql<{ taken: boolean; due: Date | null }>`
    with taken as (
      insert into send_pacing as p (name, next_at) values (${pace.name}, ${now}::timestamptz + make_interval(secs => ${intervalMs / 1000}))
      on conflict (name) do update set next_at = greatest(p.next_at, ${now}::timestamptz) + make_interval(secs => ${intervalMs / 1000})
        where p.next_at <= ${now}::timestamptz + make_interval(secs => ${burstMs / 1000})
      returning p.next_at
    )
    select exists (select 1 from taken) as taken,
      (select next_at - make_interval(secs => ${burstMs / 1000}) from send_pacing where name = ${pace.name}) as due`.execute(db);
  const row = rows[0];
  return row?.taken ? true : new Date(row?.due ?? now);
}

/**
 * Waits for this sender's turn: takes it as soon as it is due (by `now()`), sleeping between
 * looks. False, with no turn taken, once `deadline` has passed (turns go to whoever asks first:
 * a sender sharing a slow rate may wait long).
 */
export async function waitForTurn(db: Kysely<DB>, pace: Pace, now: () => Date, deadline: Date): Promise<boolean> {
  for (;;) {
    const at = now();
    if (at >= deadline) return false;
    const turn = await takeTurn(db, pace, at);
    if (turn === true) return true;
    await sleep(Math.max(5, Math.min(MAX_NAP_MS, turn.getTime() - now().getTime(), deadline.getTime() - now().getTime())));
  }
}
