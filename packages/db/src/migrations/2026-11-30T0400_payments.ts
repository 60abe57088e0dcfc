import { type Kysely, sql } from 'kysely';

// Payments (issue 14): tenders (one payment towards an order: a card through a provider, or cash
// at the counter), refunds against them, the ledger of every money movement, and the provider
// events already applied. The refund cap lives here, in a CHECK on the tender: two managers
// refunding at once can never give back more than was captured. Typed Kysely<any> on purpose.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('orders')
    // How the order is paid: at the counter (the kitchen sees it at once) or online (pending_payment until captured).
    .addColumn('payment_method', 'text', (c) => c.notNull().defaultTo('counter').check(sql`payment_method in ('counter', 'online')`))
    .execute();
  // The expiry sweep reads pending orders by age.
  await sql`create index orders_pending_payment_idx on orders (created_at) where status = 'pending_payment'`.execute(db);

  await db.schema
    .createTable('tenders')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id'))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('sandbox', 'stripe', 'cash')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'requires_action', 'captured', 'failed', 'cancelled')`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn('captured_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    // Refunds asked for and not failed: reserved the moment a refund is asked, released if the provider fails it.
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    // The provider's id of the payment (a PaymentIntent's pi_…); null for cash, and until the provider answered.
    .addColumn('provider_ref', 'text')
    // What the guest's browser needs to pay (a client secret), sealed like personal data.
    .addColumn('client_secret_enc', 'bytea')
    .addColumn('idempotency_key', 'text')
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('tenders_captured_range', sql`captured_minor >= 0 and captured_minor <= amount_minor`)
    .addCheckConstraint('tenders_refund_cap', sql`refunded_minor >= 0 and refunded_minor <= captured_minor`)
    .addUniqueConstraint('tenders_idempotency', ['order_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('tenders_order_idx').on('tenders').column('order_id').execute();
  await sql`create unique index tenders_provider_ref_idx on tenders (method, provider_ref) where provider_ref is not null`.execute(db);

  await db.schema
    .createTable('refunds')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('tender_id', 'uuid', (c) => c.notNull().references('tenders.id').onDelete('cascade'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    // The manager's request it belongs to (one request may refund several tenders); null for automatic refunds.
    .addColumn('request_id', 'uuid')
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refunds_order_idx').on('refunds').column('order_id').execute();
  await db.schema.createIndex('refunds_tender_idx').on('refunds').column('tender_id').execute();

  // A manager's refund request, by its idempotency key: a retry answers the first request's refunds.
  await db.schema
    .createTable('refund_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'bytea', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('refund_requests_key', ['order_id', 'idempotency_key'])
    .execute();

  // Every authorisation, capture, refund and failure: a row. Signed: captures +, refunds −, a failed refund's reversal +.
  await db.schema
    .createTable('payment_ledger')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('tender_id', 'uuid', (c) => c.notNull().references('tenders.id').onDelete('cascade'))
    .addColumn('refund_id', 'uuid', (c) => c.references('refunds.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('authorisation', 'capture', 'refund', 'refund_reversal', 'failure')`))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('provider_event_id', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint(
      'payment_ledger_sign',
      sql`(kind in ('capture', 'refund_reversal') and amount_minor > 0) or (kind = 'refund' and amount_minor < 0) or (kind in ('authorisation', 'failure') and amount_minor >= 0)`,
    )
    .execute();
  await db.schema.createIndex('payment_ledger_order_idx').on('payment_ledger').columns(['order_id', 'id']).execute();

  // Provider events applied, by the provider's own id: each is applied once, a replay is answered without effect.
  await db.schema
    .createTable('payment_events')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_events_pk', ['provider', 'event_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['payment_events', 'payment_ledger', 'refund_requests', 'refunds', 'tenders']) await db.schema.dropTable(table).execute();
  await sql`drop index orders_pending_payment_idx`.execute(db);
  await db.schema.alterTable('orders').dropColumn('payment_method').execute();
}
