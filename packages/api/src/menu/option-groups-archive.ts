import { optionGroupArchiveInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { activeOptions, archiveBelow, assertEditable, optionGroupColumns, staleVersion } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/** Takes a choice, its options and any choices under them, off the menu. Nothing is deleted. */
export const archive = managerProcedure.input(optionGroupArchiveInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const group = await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('option_groups')
      .select([...optionGroupColumns, 'archived_at as archivedAt'])
      .where('id', '=', input.optionGroupId)
      .forUpdate()
      .executeTakeFirst();
    assertEditable(locked, 'Option group');
    const { archivedAt: _, ...beforeGroup } = locked;
    const before = { ...beforeGroup, options: await activeOptions(trx, locked.id) };
    const after = await trx
      .updateTable('option_groups')
      .set((eb) => ({ archived_at: now, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', input.optionGroupId)
      .where('version', '=', input.version)
      .where('archived_at', 'is', null)
      .returning([...optionGroupColumns, 'archived_at as archivedAt'])
      .executeTakeFirst();
    if (!after) throw staleVersion('Option group');
    const archivedBelow = await archiveBelow(trx, { groupIds: [after.id] }, now);
    await touchMenu(trx, locationId);
    await recordAudit(
      ctx,
      {
        action: 'menu.option_group.archived',
        locationId,
        targetType: 'option_group',
        targetId: after.id,
        details: { before, after, archivedBelow },
      },
      trx,
    );
    return after;
  });
  menuChanged(ctx, locationId);
  return group;
});
