import { categoryArchiveInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { archiveBelow, assertEditable, categoryColumns, staleVersion } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/**
 * Takes a category, and everything in it, off the menu. Nothing is deleted: past orders keep
 * their names and prices, and the audit log says what was archived.
 */
export const archive = managerProcedure.input(categoryArchiveInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const category = await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('menu_categories')
      .select([...categoryColumns, 'archived_at as archivedAt'])
      .where('id', '=', input.categoryId)
      .forUpdate()
      .executeTakeFirst();
    assertEditable(locked, 'Category');
    const { archivedAt: _, ...before } = locked;
    const after = await trx
      .updateTable('menu_categories')
      .set((eb) => ({ archived_at: now, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', input.categoryId)
      .where('version', '=', input.version)
      .where('archived_at', 'is', null)
      .returning([...categoryColumns, 'archived_at as archivedAt'])
      .executeTakeFirst();
    if (!after) throw staleVersion('Category');
    const archivedBelow = await archiveBelow(trx, { categoryIds: [after.id] }, now);
    await touchMenu(trx, locationId);
    await recordAudit(
      ctx,
      {
        action: 'menu.category.archived',
        locationId,
        targetType: 'menu_category',
        targetId: after.id,
        details: { before, after, archivedBelow },
      },
      trx,
    );
    return after;
  });
  menuChanged(ctx, locationId);
  return category;
});
