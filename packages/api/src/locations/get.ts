import { locationGetInput } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { locationDetails } from './details.js';

/**
 * A location as its manager edits it: details, opening hours as "HH:MM" ranges, every closure,
 * tax, prep time, slot capacity, order prefix, whether it takes orders, and the `version` that
 * `locations.update` expects back. The same shape `locations.update` answers with.
 */
export const get = managerProcedure.input(locationGetInput).query(({ ctx }) => locationDetails(ctx.db, ctx.locationId));
