import { type Kysely, sql } from 'kysely';

// The newsletter (issue 15). Subscribers per location (or every location: location_id null),
// their address encrypted with the data keys and found by a keyed hash; single-use confirmation
// tokens (hash only, expiring); campaigns; and one delivery row per campaign and subscriber,
// whose primary key and conditional claim make "at most once per subscriber" hold across
// retries and restarts. Typed Kysely<any> on purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('newsletter_subscribers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Null: every location's campaigns.
    .addColumn('location_id', 'uuid', (c) => c.references('locations.id').onDelete('cascade'))
    // HMAC of the normalised address (DataKeys.lookupHash): finds a subscriber without decrypting every row.
    .addColumn('email_hash', 'bytea', (c) => c.notNull())
    // AES-GCM, bound to `newsletter_subscribers.email:<id>`.
    .addColumn('email_enc', 'bytea', (c) => c.notNull())
    // The signed-in customer who subscribed from their profile, if any.
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'confirmed', 'unsubscribed')`))
    // The one-click unsubscribe link's secret: its hash to find it, sealed to put it in each email.
    .addColumn('unsubscribe_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('unsubscribe_sealed', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('unsubscribed_at', 'timestamptz')
    .execute();
  // One row per address and list (the "every location" list included).
  await sql`create unique index newsletter_subscribers_email_list on newsletter_subscribers (email_hash, location_id) nulls not distinct`.execute(db);
  await db.schema.createIndex('newsletter_subscribers_list_idx').on('newsletter_subscribers').columns(['location_id', 'status']).execute();
  await db.schema.createIndex('newsletter_subscribers_user_idx').on('newsletter_subscribers').column('user_id').execute();

  await db.schema
    .createTable('newsletter_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('subscriber_id', 'uuid', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('newsletter_tokens_subscriber_idx').on('newsletter_tokens').column('subscriber_id').execute();

  await db.schema
    .createTable('newsletter_campaigns')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'sending', 'sent')`))
    // Counts: fixed when sending starts (recipients), then kept by the batches.
    .addColumn('recipients', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('send_started_at', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('newsletter_campaigns_location_idx').on('newsletter_campaigns').columns(['location_id', 'created_at']).execute();

  await db.schema
    .createTable('newsletter_deliveries')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('newsletter_campaigns.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'uuid', (c) => c.notNull().references('newsletter_subscribers.id').onDelete('cascade'))
    // pending → sending (claimed by one run) → sent; skipped (unsubscribed meanwhile); failed
    // (refused by SMTP every try, or in flight when its worker died: never sent a second time).
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'skipped', 'failed')`))
    .addColumn('claimed_by', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('newsletter_deliveries_pk', ['campaign_id', 'subscriber_id'])
    .execute();
  await db.schema.createIndex('newsletter_deliveries_status_idx').on('newsletter_deliveries').columns(['campaign_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('newsletter_deliveries').execute();
  await db.schema.dropTable('newsletter_campaigns').execute();
  await db.schema.dropTable('newsletter_tokens').execute();
  await db.schema.dropTable('newsletter_subscribers').execute();
}
