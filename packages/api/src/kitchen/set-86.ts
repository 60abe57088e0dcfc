import { set86Input } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { notFound } from '../errors.js';
import { menuChanged, touchMenu } from '../menu/version.js';
import { staffProcedure } from '../trpc.js';

/**
 * The kitchen marks an item sold out by hand ("86 it"), or back on. Staff may do it; it does
 * not count as an edit of the item (its `version` stays), so a manager's open edit still applies.
 */
export const set86 = staffProcedure.meta({ scope: 'kitchen:write' }).input(set86Input).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const reason = input.eightySixed ? (input.reason ?? '') || null : null;
  const after = await ctx.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('menu_items')
      .select(['eighty_sixed as eightySixed', 'eighty_six_reason as reason'])
      .where('id', '=', input.itemId)
      .where('location_id', '=', locationId)
      .where('archived_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('Item');
    const after = await trx
      .updateTable('menu_items')
      .set({ eighty_sixed: input.eightySixed, eighty_six_reason: reason })
      .where('id', '=', input.itemId)
      .returning(['id as itemId', 'eighty_sixed as eightySixed', 'eighty_six_reason as reason'])
      .executeTakeFirstOrThrow();
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, { action: input.eightySixed ? 'kitchen.item_86ed' : 'kitchen.item_un86ed', targetType: 'menu_item', targetId: input.itemId, locationId, details: { before, after } });
    return after;
  });
  menuChanged(ctx, locationId);
  return after;
});
