import { locationCreateInput, rangeToMinutes } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { adminProcedure } from '../trpc.js';
import { isUniqueViolation, locationDetails, replaceHours } from './details.js';

/** Opens a new location (admins only), with its hours and closures. A taken slug is ALREADY_EXISTS. */
export const create = adminProcedure.input(locationCreateInput).mutation(async ({ ctx, input }) => {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('locations')
        .values({
          slug: input.slug,
          name: input.name,
          address: input.address,
          time_zone: input.timeZone,
          currency: input.currency,
          tax_rate_bp: input.taxRateBp,
          accepting_orders: input.acceptingOrders,
          prep_minutes: input.prepMinutes,
          slot_capacity: input.slotCapacity,
          order_prefix: input.orderPrefix,
          created_at: ctx.now(),
          updated_at: ctx.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await replaceHours(trx, id, input.openingHours.map(rangeToMinutes), input.closures);
      const after = await locationDetails(trx, id);
      await recordAudit(trx, ctx, { action: 'location.created', targetType: 'location', targetId: id, locationId: id, details: { before: null, after } });
      return after;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'locations_slug_key')) {
      throw new BistroError('ALREADY_EXISTS', 'A location already has this slug', { fieldErrors: { slug: ['Already taken'] } });
    }
    throw error;
  }
});
