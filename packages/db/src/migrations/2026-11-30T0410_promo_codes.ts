import { type Kysely, sql } from 'kysely';

// Discount codes (issue 14): the code, its rule (percent or fixed amount, minimum subtotal, local
// validity dates, total and per-customer limits, active flag), and one redemption row per order.
// The total limit is the database's: a redemption is a conditional UPDATE of `uses`, backed by a
// CHECK, inside the order's own transaction. Typed Kysely<any> on purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('promo_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Upper case, as guests type it in any case.
    .addColumn('code', 'text', (c) => c.notNull().check(sql`code ~ '^[A-Z0-9_-]{3,32}$'`))
    // One location, or null: every location (created by an admin).
    .addColumn('location_id', 'uuid', (c) => c.references('locations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('percent', 'amount')`))
    .addColumn('percent_bp', 'integer', (c) => c.check(sql`percent_bp between 1 and 10000`))
    .addColumn('amount_minor', 'bigint', (c) => c.check(sql`amount_minor > 0`))
    // A fixed amount is in one currency; it applies only where the location's currency is the same.
    .addColumn('currency', 'text')
    .addColumn('min_subtotal_minor', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`min_subtotal_minor >= 0`))
    // Calendar dates in the location's time zone, both included; null: open-ended.
    .addColumn('valid_from', 'date')
    .addColumn('valid_to', 'date')
    .addColumn('max_uses', 'integer', (c) => c.check(sql`max_uses > 0`))
    .addColumn('max_uses_per_customer', 'integer', (c) => c.check(sql`max_uses_per_customer > 0`))
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('promo_codes_rule', sql`(kind = 'percent' and percent_bp is not null and amount_minor is null) or (kind = 'amount' and amount_minor is not null and currency is not null and percent_bp is null)`)
    .addCheckConstraint('promo_codes_uses', sql`uses >= 0 and (max_uses is null or uses <= max_uses)`)
    .addCheckConstraint('promo_codes_dates', sql`valid_from is null or valid_to is null or valid_from <= valid_to`)
    .addUniqueConstraint('promo_codes_code', ['code'])
    .execute();
  await db.schema.createIndex('promo_codes_location_idx').on('promo_codes').column('location_id').execute();

  await db.schema
    .createTable('promo_redemptions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('promo_id', 'uuid', (c) => c.notNull().references('promo_codes.id').onDelete('cascade'))
    .addColumn('order_id', 'uuid', (c) => c.notNull().unique().references('orders.id').onDelete('cascade'))
    // Who redeemed it: the customer's account, or a guest's contact (the idempotency scope).
    .addColumn('customer_key', 'text', (c) => c.notNull())
    .addColumn('discount_minor', 'bigint', (c) => c.notNull().check(sql`discount_minor >= 0`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('promo_redemptions_customer_idx').on('promo_redemptions').columns(['promo_id', 'customer_key']).execute();

  await db.schema
    .alterTable('orders')
    .addColumn('discount_minor', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`discount_minor >= 0 and discount_minor <= subtotal_minor`))
    .addColumn('promo_code', 'text')
    .execute();
  await sql`alter table orders drop constraint orders_check`.execute(db);
  await sql`alter table orders add constraint orders_total check (total_minor = subtotal_minor - discount_minor + tax_minor + tip_minor)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table orders drop constraint orders_total`.execute(db);
  await sql`alter table orders add constraint orders_check check (total_minor = subtotal_minor + tax_minor + tip_minor)`.execute(db);
  await db.schema.alterTable('orders').dropColumn('discount_minor').dropColumn('promo_code').execute();
  await db.schema.dropTable('promo_redemptions').execute();
  await db.schema.dropTable('promo_codes').execute();
}
