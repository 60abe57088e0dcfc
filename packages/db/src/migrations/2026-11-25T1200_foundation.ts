import { type Kysely, sql } from 'kysely';

// A migration is a snapshot in time: it is typed Kysely<any> on purpose and must never
// import today's schema types.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('locations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('slug', 'text', (c) => c.notNull().unique().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 64`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('tax_rate_bp', 'integer', (c) => c.notNull().check(sql`tax_rate_bp between 0 and 10000`))
    .addColumn('accepting_orders', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Opening hours as wall-clock minutes after the location's local midnight; a range may run
  // past midnight (closes_at up to 24 h after opens_at), so "Fri 18:00–02:00" is one row.
  await db.schema
    .createTable('opening_hours')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('weekday', 'smallint', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('opens_at', 'smallint', (c) => c.notNull().check(sql`opens_at between 0 and 1439`))
    .addColumn('closes_at', 'smallint', (c) => c.notNull())
    .addCheckConstraint('opening_hours_range', sql`closes_at > opens_at and closes_at <= opens_at + 1440`)
    .execute();
  await db.schema.createIndex('opening_hours_location_idx').on('opening_hours').columns(['location_id', 'weekday']).execute();

  await db.schema
    .createTable('menu_categories')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('menu_categories_location_idx')
    .on('menu_categories')
    .columns(['location_id', 'sort_order'])
    .where(sql.ref('archived_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('menu_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('category_id', 'uuid', (c) => c.notNull().references('menu_categories.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    // Money is integer minor units of the location's currency, never a float.
    .addColumn('price_minor', 'integer', (c) => c.notNull().check(sql`price_minor >= 0`))
    .addColumn('allergens', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('menu_items_category_idx')
    .on('menu_items')
    .columns(['category_id', 'sort_order'])
    .where(sql.ref('archived_at'), 'is', null)
    .execute();
  await db.schema.createIndex('menu_items_location_idx').on('menu_items').column('location_id').execute();

  await db.schema
    .createTable('option_groups')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('menu_items.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('min_selections', 'smallint', (c) => c.notNull().defaultTo(0))
    .addColumn('max_selections', 'smallint', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('option_groups_min_max', sql`min_selections >= 0 and max_selections >= min_selections and max_selections >= 1`)
    .execute();
  await db.schema
    .createIndex('option_groups_item_idx')
    .on('option_groups')
    .columns(['item_id', 'sort_order'])
    .where(sql.ref('archived_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('options')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('option_group_id', 'uuid', (c) => c.notNull().references('option_groups.id'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    // May be negative ("no cheese −0.50"); integer minor units like every amount.
    .addColumn('price_delta_minor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('options_group_idx')
    .on('options')
    .columns(['option_group_id', 'sort_order'])
    .where(sql.ref('archived_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['options', 'option_groups', 'menu_items', 'menu_categories', 'opening_hours', 'locations']) {
    await db.schema.dropTable(table).execute();
  }
}
