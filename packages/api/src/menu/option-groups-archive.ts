import { optionGroupArchiveInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { activeOptions, archiveBelow, archiveIfCurrent, lockForEdit } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/** Takes a choice, its options and any choices under them, off the menu. Nothing is deleted. */
export const archive = managerProcedure.input(optionGroupArchiveInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const group = await ctx.db.transaction().execute(async (trx) => {
    const beforeGroup = await lockForEdit(trx, 'option_groups', input.optionGroupId, 'Option group');
    const before = { ...beforeGroup, options: await activeOptions(trx, beforeGroup.id) };
    const after = await archiveIfCurrent(trx, 'option_groups', { id: input.optionGroupId, version: input.version }, now, 'Option group');
    const archivedBelow = await archiveBelow(trx, { groupIds: [after.id] }, now);
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, {
      action: 'menu.option_group_archived',
      locationId,
      targetType: 'option_group',
      targetId: after.id,
      details: { before, after, archivedBelow },
    });
    return after;
  });
  menuChanged(ctx, locationId);
  return group;
});
