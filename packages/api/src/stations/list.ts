import { stationsListInput } from '@bistro/domain';
import { staffProcedure } from '../trpc.js';
import { activeStations } from './queries.js';

/** The location's active stations in their order: the kitchen's station picker and the menu editor's routing choice. */
export const list = staffProcedure.meta({ scope: 'kitchen:read' }).input(stationsListInput).query(async ({ ctx }) => {
  return activeStations(ctx.db, ctx.locationId);
});
