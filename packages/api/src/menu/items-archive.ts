import { itemArchiveInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { archiveBelow, archiveIfCurrent, lockForEdit } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/** Takes an item, with its option groups and options, off the menu. Nothing is deleted. */
export const archive = managerProcedure.input(itemArchiveInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const item = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockForEdit(trx, 'menu_items', input.itemId, 'Item');
    const after = await archiveIfCurrent(trx, 'menu_items', { id: input.itemId, version: input.version }, now, 'Item');
    const archivedBelow = await archiveBelow(trx, { itemIds: [after.id] }, now);
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, { action: 'menu.item_archived', locationId, targetType: 'menu_item', targetId: after.id, details: { before, after, archivedBelow } });
    return after;
  });
  menuChanged(ctx, locationId);
  return item;
});
