import { type Kysely, sql } from 'kysely';

// Orders: the cart as sold, its lifecycle history, the event log subscribers read, idempotency
// keys, and per-location daily numbers. Typed Kysely<any> on purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('locations')
    // The earliest a wanted-at time may be, from now; and how many orders one 15-minute slot takes.
    .addColumn('prep_minutes', 'integer', (c) => c.notNull().defaultTo(20).check(sql`prep_minutes between 0 and 1440`))
    .addColumn('slot_capacity', 'integer', (c) => c.notNull().defaultTo(10).check(sql`slot_capacity between 0 and 1000`))
    // The letter before the daily number: "#A-042".
    .addColumn('order_prefix', 'text', (c) => c.notNull().defaultTo('A').check(sql`order_prefix ~ '^[A-Z]{1,3}$'`))
    .execute();

  // The daily counter behind "#A-042", per location and local calendar day.
  await db.schema
    .createTable('order_numbers')
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('local_date', 'date', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_numbers_pk', ['location_id', 'local_date'])
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id'))
    .addColumn('customer_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('local_date', 'date', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('display_number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending_payment', 'placed', 'preparing', 'ready', 'completed', 'cancelled')`),
    )
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('dine_in', 'pickup', 'delivery')`))
    .addColumn('table_label', 'text')
    .addColumn('wanted_at', 'timestamptz')
    // The 15-minute slot the order counts against (wanted_at rounded down, or the placing time).
    .addColumn('slot_start', 'timestamptz', (c) => c.notNull())
    // The kitchen sees the name; phone, email and address are AES-256-GCM ciphertexts.
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('contact_phone_enc', 'bytea')
    .addColumn('contact_email_enc', 'bytea')
    .addColumn('delivery_address_enc', 'bytea')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull().check(sql`subtotal_minor >= 0`))
    .addColumn('tax_minor', 'bigint', (c) => c.notNull().check(sql`tax_minor >= 0`))
    .addColumn('tip_minor', 'bigint', (c) => c.notNull().check(sql`tip_minor >= 0`))
    .addColumn('total_minor', 'bigint', (c) => c.notNull().check(sql`total_minor = subtotal_minor + tax_minor + tip_minor`))
    // SHA-256 of the secret half of the tracking token.
    .addColumn('tracking_secret_hash', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('orders_daily_number', ['location_id', 'local_date', 'number'])
    .execute();
  await db.schema.createIndex('orders_kitchen_idx').on('orders').columns(['location_id', 'status', 'wanted_at', 'created_at']).execute();
  await db.schema.createIndex('orders_slot_idx').on('orders').columns(['location_id', 'slot_start']).execute();
  await db.schema.createIndex('orders_customer_idx').on('orders').columns(['customer_user_id', 'created_at desc']).execute();

  // Lines as sold: names, prices and options copied, so later menu edits never rewrite history.
  await db.schema
    .createTable('order_lines')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('line_index', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'uuid', (c) => c.notNull().references('menu_items.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity between 1 and 999`))
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('line_total_minor', 'bigint', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('note', 'text')
    .addUniqueConstraint('order_lines_index', ['order_id', 'line_index'])
    .execute();

  await db.schema
    .createTable('order_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor', 'text', (c) => c.notNull().check(sql`actor in ('kitchen', 'orderer', 'system')`))
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('order_history_order_idx').on('order_history').columns(['order_id', 'id']).execute();

  // The source of truth for live updates: subscribers resume from an event id.
  await db.schema
    .createTable('order_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('order_events_location_idx').on('order_events').columns(['location_id', 'id']).execute();
  await db.schema.createIndex('order_events_order_idx').on('order_events').columns(['order_id', 'id']).execute();

  // A retried request with the same key answers the first result; kept at least 24 h.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'bytea', (c) => c.notNull())
    .addColumn('order_id', 'uuid', (c) => c.references('orders.id').onDelete('cascade'))
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created_idx').on('idempotency_keys').column('created_at').execute();

  await db.schema
    .alterTable('stock_movements')
    .addForeignKeyConstraint('stock_movements_order_fk', ['order_id'], 'orders', ['id'])
    .onDelete('set null')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stock_movements').dropConstraint('stock_movements_order_fk').execute();
  for (const table of ['idempotency_keys', 'order_events', 'order_history', 'order_lines', 'orders', 'order_numbers']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('locations').dropColumn('prep_minutes').dropColumn('slot_capacity').dropColumn('order_prefix').execute();
}
