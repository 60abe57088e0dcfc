import { MAX_OPTION_GROUP_DEPTH, optionGroupCreateInput, optionGroupRuleViolations } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { managerProcedure } from '../trpc.js';
import { assertEditable, endOf, optionGroupDepth, optionGroupRulesError, optionGroupWithOptions } from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/**
 * Adds a choice to an item (`itemId`), or under one of an option's choices (`optionId`: "Side:
 * Fries" opens "Fries size"), at most MAX_OPTION_GROUP_DEPTH groups deep, with its options.
 */
export const create = managerProcedure.input(optionGroupCreateInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const violations = optionGroupRuleViolations(input);
  if (violations.length) throw optionGroupRulesError(violations);
  const group = await ctx.db.transaction().execute(async (trx) => {
    // The parent row stays locked (shared) until commit: archiving it waits, then archives this group too.
    let parent: { item_id: string } | { parent_option_id: string };
    if (input.itemId !== undefined) {
      const item = await trx
        .selectFrom('menu_items')
        .select(['id', 'archived_at as archivedAt'])
        .where('id', '=', input.itemId)
        .forShare()
        .executeTakeFirst();
      assertEditable(item, 'Item');
      parent = { item_id: item.id };
    } else {
      const option = await trx
        .selectFrom('options')
        .select(['id', 'option_group_id as groupId', 'archived_at as archivedAt'])
        .where('id', '=', input.optionId!)
        .forShare()
        .executeTakeFirst();
      assertEditable(option, 'Option');
      if ((await optionGroupDepth(trx, option.groupId)) >= MAX_OPTION_GROUP_DEPTH) {
        throw new BistroError('OPTION_GROUP_TOO_DEEP', `Choices nest at most ${MAX_OPTION_GROUP_DEPTH} groups deep`, {
          fieldErrors: { optionId: [`This option is already ${MAX_OPTION_GROUP_DEPTH} groups deep`] },
        });
      }
      parent = { parent_option_id: option.id };
    }
    const [column, parentId] = 'item_id' in parent ? (['item_id', parent.item_id] as const) : (['parent_option_id', parent.parent_option_id] as const);
    const inserted = await trx
      .insertInto('option_groups')
      .values({
        location_id: locationId,
        ...parent,
        name: input.name,
        min_selections: input.minSelections,
        max_selections: input.maxSelections,
        sort_order: endOf('option_groups', column, parentId),
        created_at: ctx.now(),
        updated_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('options')
      .values(
        input.options.map((o, i) => ({
          option_group_id: inserted.id,
          name: o.name,
          price_delta_minor: o.priceDeltaMinor,
          is_default: o.isDefault ?? false,
          sort_order: i,
          created_at: ctx.now(),
          updated_at: ctx.now(),
        })),
      )
      .execute();
    const after = await optionGroupWithOptions(trx, inserted.id);
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, { action: 'menu.option_group_created', locationId, targetType: 'option_group', targetId: after.id, details: { before: null, after } });
    return after;
  });
  menuChanged(ctx, locationId);
  return group;
});
