import { locationUpdateInput, rangeToMinutes } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { menuChanged, touchMenu } from '../menu/version.js';
import { managerProcedure } from '../trpc.js';
import { locationDetails, replaceHours } from './details.js';

/**
 * Changes a location's details, hours, closures or whether it takes orders. The caller sends
 * the `version` they last saw; if someone changed the location since, nothing changes and the
 * answer is STALE_VERSION (two managers never silently overwrite each other).
 */
export const update = managerProcedure.input(locationUpdateInput).mutation(async ({ ctx, input }) => {
  const { locationId, version, openingHours, closures, ...changes } = input;
  const after = await ctx.db.transaction().execute(async (trx) => {
    // Read for the audit trail only: the conditional UPDATE below decides.
    const before = await locationDetails(trx, locationId);
    const updated = await trx
      .updateTable('locations')
      .set((eb) => ({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.address !== undefined && { address: changes.address }),
        ...(changes.timeZone !== undefined && { time_zone: changes.timeZone }),
        ...(changes.currency !== undefined && { currency: changes.currency }),
        ...(changes.taxRateBp !== undefined && { tax_rate_bp: changes.taxRateBp }),
        ...(changes.acceptingOrders !== undefined && { accepting_orders: changes.acceptingOrders }),
        ...(changes.prepMinutes !== undefined && { prep_minutes: changes.prepMinutes }),
        ...(changes.slotCapacity !== undefined && { slot_capacity: changes.slotCapacity }),
        ...(changes.orderPrefix !== undefined && { order_prefix: changes.orderPrefix }),
        version: eb('version', '+', 1),
        updated_at: ctx.now(),
      }))
      .where('id', '=', locationId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) {
      throw new BistroError('STALE_VERSION', 'This location was changed by someone else; reload it and try again');
    }
    await replaceHours(trx, locationId, openingHours?.map(rangeToMinutes), closures);
    await touchMenu(trx, locationId);
    const after = await locationDetails(trx, locationId);
    await recordAudit(trx, ctx, { action: 'location.updated', targetType: 'location', targetId: locationId, locationId, details: { before, after } });
    return after;
  });
  menuChanged(ctx, locationId);
  return after;
});
