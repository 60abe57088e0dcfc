import { categoryArchiveInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { archiveBelow, archiveIfCurrent, lockForEdit } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/**
 * Takes a category, and everything in it, off the menu. Nothing is deleted: past orders keep
 * their names and prices, and the audit log says what was archived.
 */
export const archive = managerProcedure.input(categoryArchiveInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const category = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockForEdit(trx, 'menu_categories', input.categoryId, 'Category');
    const after = await archiveIfCurrent(trx, 'menu_categories', { id: input.categoryId, version: input.version }, now, 'Category');
    const archivedBelow = await archiveBelow(trx, { categoryIds: [after.id] }, now);
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, {
      action: 'menu.category_archived',
      locationId,
      targetType: 'menu_category',
      targetId: after.id,
      details: { before, after, archivedBelow },
    });
    return after;
  });
  menuChanged(ctx, locationId);
  return category;
});
