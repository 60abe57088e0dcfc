import { slotsInput } from '@bistro/domain';
import { notFound } from '../errors.js';
import { publicProcedure } from '../trpc.js';
import { slotsOn } from './opening.js';

/**
 * The wanted-at times still open on a local calendar day: 15-minute slots inside opening
 * hours (ranges past midnight count for the day their slots fall on, closures shut the ranges
 * that open on them), at least the kitchen's prep time from now, with room left.
 */
export const slots = publicProcedure.input(slotsInput).query(async ({ ctx, input }) => {
  const location = await ctx.db
    .selectFrom('locations')
    .select(['id', 'time_zone', 'prep_minutes', 'slot_capacity', 'accepting_orders'])
    .where('slug', '=', input.locationSlug)
    .executeTakeFirst();
  if (!location) throw notFound('Location');
  const earliest = new Date(ctx.now().getTime() + location.prep_minutes * 60_000);
  const rows = location.accepting_orders ? await slotsOn(ctx.db, { id: location.id, timeZone: location.time_zone }, input.date, earliest) : [];
  return {
    date: input.date,
    timeZone: location.time_zone,
    slots: rows
      .map((slot) => ({ startsAt: slot.startsAt, remaining: Math.max(0, location.slot_capacity - slot.taken) }))
      .filter((slot) => slot.remaining > 0),
  };
});
