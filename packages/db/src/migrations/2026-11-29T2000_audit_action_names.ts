import { type Kysely, sql } from 'kysely';

// One naming style for audit actions (`subject.event`, lower snake_case, past tense; the list is
// AUDIT_ACTIONS in @bistro/domain): stored rows of the earlier names are renamed. Typed
// Kysely<any> and the names written out here on purpose: a snapshot in time.

const RENAMED: [string, string][] = [
  ['auth.sign_up', 'auth.signed_up'],
  ['auth.sign_in', 'auth.signed_in'],
  ['auth.sign_out_everywhere', 'auth.signed_out_everywhere'],
  ['locations.create', 'location.created'],
  ['locations.update', 'location.updated'],
  ['menu.category.created', 'menu.category_created'],
  ['menu.category.updated', 'menu.category_updated'],
  ['menu.category.archived', 'menu.category_archived'],
  ['menu.categories.reordered', 'menu.categories_reordered'],
  ['menu.item.created', 'menu.item_created'],
  ['menu.item.updated', 'menu.item_updated'],
  ['menu.item.archived', 'menu.item_archived'],
  ['menu.items.reordered', 'menu.items_reordered'],
  ['menu.items.setPhoto', 'menu.item_photo_set'],
  ['menu.items.removePhoto', 'menu.item_photo_removed'],
  ['menu.option_group.created', 'menu.option_group_created'],
  ['menu.option_group.updated', 'menu.option_group_updated'],
  ['menu.option_group.archived', 'menu.option_group_archived'],
  ['inventory.adjust', 'inventory.stock_adjusted'],
  ['kitchen.86', 'kitchen.item_86ed'],
  ['kitchen.un86', 'kitchen.item_un86ed'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [from, to] of RENAMED) {
    await sql`update audit_log set action = ${to} where action = ${from}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [from, to] of RENAMED) {
    await sql`update audit_log set action = ${from} where action = ${to}`.execute(db);
  }
}
