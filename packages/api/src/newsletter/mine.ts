import { authedProcedure } from '../trpc.js';
import { emailLookupHash, requireKeys } from './subscribers.js';

/** The signed-in customer's newsletter subscriptions (found by their account's address): each list and its status. */
export const mine = authedProcedure.query(async ({ ctx }) => {
  const hash = emailLookupHash(requireKeys(ctx), ctx.auth.user.email);
  const rows = await ctx.db
    .selectFrom('newsletter_subscribers as s')
    .leftJoin('locations as l', 'l.id', 's.location_id')
    .select(['s.location_id as locationId', 'l.name as locationName', 's.status'])
    .where('s.email_hash', '=', hash)
    .orderBy('l.name')
    .execute();
  return rows.map((r) => ({ locationId: r.locationId, locationName: r.locationName ?? 'Bistro', status: r.status }));
});
