import { type Kysely, sql } from 'kysely';

// Running the restaurant: location details and closures, menu versions (for revalidation),
// 86 flags, photos, nested option groups, ingredients with a stock ledger, and recipes.
// Typed Kysely<any> on purpose: a migration is a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('locations')
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    // Bumped in the same transaction as anything menu.get shows; the menu's ETag.
    .addColumn('menu_version', 'bigint', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('location_closures')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('location_closures_day', ['location_id', 'date'])
    .execute();

  await db.schema
    .alterTable('menu_items')
    .addColumn('eighty_sixed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('eighty_six_reason', 'text')
    // Content hash of the photo; files are <photo_key>-320.webp and <photo_key>-1280.webp.
    .addColumn('photo_key', 'text')
    .execute();

  await db.schema.alterTable('options').addColumn('eighty_sixed', 'boolean', (c) => c.notNull().defaultTo(false)).execute();

  // A group hangs off an item or off an option (a choice that opens a further choice).
  await db.schema.alterTable('option_groups').alterColumn('item_id', (c) => c.dropNotNull()).execute();
  await db.schema.alterTable('option_groups').addColumn('parent_option_id', 'uuid', (c) => c.references('options.id')).execute();
  await db.schema
    .alterTable('option_groups')
    .addCheckConstraint('option_groups_one_parent', sql`num_nonnulls(item_id, parent_option_id) = 1`)
    .execute();
  await db.schema
    .createIndex('option_groups_parent_option_idx')
    .on('option_groups')
    .columns(['parent_option_id', 'sort_order'])
    .where(sql.ref('archived_at'), 'is', null)
    .execute();

  // Quantities are integers in the ingredient's unit (grams, millilitres, pieces).
  await db.schema
    .createTable('ingredients')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('unit', 'text', (c) => c.notNull().check(sql`unit in ('g', 'ml', 'piece')`))
    // Kept equal to the sum of the ingredient's movements, in the same transaction; never negative.
    .addColumn('on_hand', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`on_hand >= 0`))
    .addColumn('low_stock_threshold', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`low_stock_threshold >= 0`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ingredients_name', ['location_id', 'name'])
    .execute();

  await db.schema
    .createTable('stock_movements')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('ingredient_id', 'uuid', (c) => c.notNull().references('ingredients.id').onDelete('cascade'))
    .addColumn('delta', 'bigint', (c) => c.notNull().check(sql`delta <> 0`))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('delivery', 'waste', 'count', 'correction', 'sale', 'return')`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('order_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('stock_movements_ingredient_idx').on('stock_movements').columns(['ingredient_id', 'id desc']).execute();
  await db.schema.createIndex('stock_movements_location_idx').on('stock_movements').columns(['location_id', 'id desc']).execute();

  // What one portion of an item, or one chosen option, takes from the pantry.
  await db.schema
    .createTable('recipe_lines')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('item_id', 'uuid', (c) => c.references('menu_items.id').onDelete('cascade'))
    .addColumn('option_id', 'uuid', (c) => c.references('options.id').onDelete('cascade'))
    .addColumn('ingredient_id', 'uuid', (c) => c.notNull().references('ingredients.id'))
    .addColumn('quantity', 'bigint', (c) => c.notNull().check(sql`quantity > 0`))
    .addCheckConstraint('recipe_lines_one_owner', sql`num_nonnulls(item_id, option_id) = 1`)
    .addUniqueConstraint('recipe_lines_item', ['item_id', 'ingredient_id'])
    .addUniqueConstraint('recipe_lines_option', ['option_id', 'ingredient_id'])
    .execute();
  await db.schema.createIndex('recipe_lines_ingredient_idx').on('recipe_lines').column('ingredient_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['recipe_lines', 'stock_movements', 'ingredients', 'location_closures']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('option_groups').dropConstraint('option_groups_one_parent').execute();
  await db.schema.alterTable('option_groups').dropColumn('parent_option_id').execute();
  await db.schema.alterTable('options').dropColumn('eighty_sixed').execute();
  await db.schema.alterTable('menu_items').dropColumn('eighty_sixed').dropColumn('eighty_six_reason').dropColumn('photo_key').execute();
  await db.schema.alterTable('locations').dropColumn('address').dropColumn('menu_version').execute();
}
