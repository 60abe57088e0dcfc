import { listStaffInput } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';

/** The location's staff and managers, managers first, then by name. */
export const list = managerProcedure.input(listStaffInput).query(({ ctx }) =>
  ctx.db
    .selectFrom('location_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.id as userId', 'u.name', 'u.email', 'r.role'])
    .where('r.location_id', '=', ctx.locationId)
    .orderBy('r.role')
    .orderBy('u.name')
    .orderBy('u.id')
    .execute(),
);
