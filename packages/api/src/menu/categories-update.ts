import { categoryUpdateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { assertEditable, categoryColumns, staleVersion } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/** Renames or redescribes a category, if nobody changed it since the editor loaded `version`. */
export const update = managerProcedure.input(categoryUpdateInput).mutation(async ({ ctx, input }) => {
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
      .set((eb) => ({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', input.categoryId)
      .where('version', '=', input.version)
      .where('archived_at', 'is', null)
      .returning(categoryColumns)
      .executeTakeFirst();
    if (!after) throw staleVersion('Category');
    await touchMenu(trx, locationId);
    await recordAudit(
      ctx,
      { action: 'menu.category.updated', locationId, targetType: 'menu_category', targetId: after.id, details: { before, after } },
      trx,
    );
    return after;
  });
  menuChanged(ctx, locationId);
  return category;
});
