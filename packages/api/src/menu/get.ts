import { isOpenAt, menuGetInput } from '@bistro/domain';
import { notFound } from '../errors.js';
import { publicProcedure } from '../trpc.js';
import { fetchMenu } from './queries.js';

/** The public menu of one location, by its slug. Prices are integer minor units of `location.currency`. */
export const get = publicProcedure.input(menuGetInput).query(async ({ ctx, input }) => {
  const row = await fetchMenu(ctx.db, input.locationSlug);
  if (!row) throw notFound('Location');
  const { categories, ...location } = row;
  return {
    location: { ...location, isOpenNow: isOpenAt(location.openingHours, location.timeZone, ctx.now()) },
    categories,
  };
});
