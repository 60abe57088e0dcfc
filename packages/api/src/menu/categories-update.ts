import { categoryUpdateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { lockForEdit, updateIfCurrent } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/** Renames or redescribes a category, if nobody changed it since the editor loaded `version`. */
export const update = managerProcedure.input(categoryUpdateInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const category = await ctx.db.transaction().execute(async (trx) => {
    const before = await lockForEdit(trx, 'menu_categories', input.categoryId, 'Category');
    const changes = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
    };
    const after = await updateIfCurrent(trx, 'menu_categories', { id: input.categoryId, version: input.version }, changes, now, 'Category');
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, { action: 'menu.category_updated', locationId, targetType: 'menu_category', targetId: after.id, details: { before, after } });
    return after;
  });
  menuChanged(ctx, locationId);
  return category;
});
