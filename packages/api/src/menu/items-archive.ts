import { itemArchiveInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { archiveBelow, assertEditable, itemColumns, staleVersion } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/** Takes an item, with its option groups and options, off the menu. Nothing is deleted. */
export const archive = managerProcedure.input(itemArchiveInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const item = await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('menu_items')
      .select([...itemColumns, 'archived_at as archivedAt'])
      .where('id', '=', input.itemId)
      .forUpdate()
      .executeTakeFirst();
    assertEditable(locked, 'Item');
    const { archivedAt: _, ...before } = locked;
    const after = await trx
      .updateTable('menu_items')
      .set((eb) => ({ archived_at: now, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', input.itemId)
      .where('version', '=', input.version)
      .where('archived_at', 'is', null)
      .returning([...itemColumns, 'archived_at as archivedAt'])
      .executeTakeFirst();
    if (!after) throw staleVersion('Item');
    const archivedBelow = await archiveBelow(trx, { itemIds: [after.id] }, now);
    await touchMenu(trx, locationId);
    await recordAudit(
      ctx,
      { action: 'menu.item.archived', locationId, targetType: 'menu_item', targetId: after.id, details: { before, after, archivedBelow } },
      trx,
    );
    return after;
  });
  menuChanged(ctx, locationId);
  return item;
});
