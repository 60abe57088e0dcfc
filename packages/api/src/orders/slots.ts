import { closuresSince, slotStartsOn, slotsInput } from '@bistro/domain';
import { notFound } from '../errors.js';
import { slotsOutput } from '../outputs.js';
import { publicProcedure } from '../trpc.js';
import { readLocationForOrders, takenPerSlot } from './schedule.js';

/**
 * The wanted-at times still open on a local calendar day: 15-minute slots inside opening
 * hours (the domain's `slotStartsOn`: ranges past midnight count for the day their slots fall
 * on, closures shut the ranges that open on them), at least the kitchen's prep time from now,
 * with room left.
 */
export const slots = publicProcedure
  .meta({ scope: 'any', openapi: { method: 'GET', path: '/locations/{locationSlug}/slots', tags: ['orders'], protect: false, summary: 'Wanted-at times still open on a local day' } })
  .input(slotsInput)
  .output(slotsOutput)
  .query(async ({ ctx, input }) => {
  const now = ctx.now();
  const location = await readLocationForOrders(ctx.db, input.locationSlug, closuresSince(now));
  if (!location) throw notFound('Location');
  const earliest = now.getTime() + location.prepMinutes * 60_000;
  const starts = location.acceptingOrders
    ? slotStartsOn(location.openingHours, location.timeZone, input.date, location.closures).filter((start) => start.getTime() >= earliest)
    : [];
  const taken = await takenPerSlot(ctx.db, location.id, starts);
  return {
    date: input.date,
    timeZone: location.timeZone,
    slots: starts
      .map((startsAt) => ({ startsAt, remaining: Math.max(0, location.slotCapacity - (taken.get(startsAt.getTime()) ?? 0)) }))
      .filter((slot) => slot.remaining > 0),
  };
});
