import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { menuForEditInput, photoUrls } from '@bistro/domain';
import { managerProcedure } from '../trpc.js';
import { categoryColumns, itemColumns, optionColumns, optionGroupColumns } from './editing.js';

/**
 * The location's menu as its manager edits it: every active category, item and option group
 * (with its options), each with the `version` its update and archive procedures expect back,
 * in the columns those procedures answer with (items also with their photo's URLs). Archived entries are left out (they cannot change).
 */
export const forEdit = managerProcedure.meta({ scope: 'menu:read' }).input(menuForEditInput).query(async ({ ctx }) => {
  const { locationId } = ctx;
  const [categories, items, optionGroups] = await Promise.all([
    ctx.db
      .selectFrom('menu_categories')
      .select(categoryColumns)
      .where('location_id', '=', locationId)
      .where('archived_at', 'is', null)
      .orderBy('sort_order')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('menu_items')
      .select([...itemColumns, 'photo_key as photoKey'])
      .where('location_id', '=', locationId)
      .where('archived_at', 'is', null)
      .orderBy('category_id')
      .orderBy('sort_order')
      .orderBy('id')
      .execute(),
    ctx.db
      .selectFrom('option_groups as g')
      .select(optionGroupColumns.map((c) => `g.${c}` as const))
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('options as o')
            .select(optionColumns.map((c) => `o.${c}` as const))
            .whereRef('o.option_group_id', '=', 'g.id')
            .where('o.archived_at', 'is', null)
            .orderBy('o.sort_order')
            .orderBy('o.id'),
        ).as('options'),
      )
      .where('g.location_id', '=', locationId)
      .where('g.archived_at', 'is', null)
      .orderBy('g.sort_order')
      .orderBy('g.id')
      .execute(),
  ]);
  // The photo as the guest's menu shows it (its URLs), so the editor previews what guests see.
  return { categories, items: items.map(({ photoKey, ...item }) => ({ ...item, photo: photoKey ? photoUrls(photoKey) : null })), optionGroups };
});
