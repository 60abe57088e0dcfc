import { type Kysely, sql } from 'kysely';

// Sign-in with an identity provider (OIDC). `user_identities` links a provider's subject to a
// user (a user may have a password, identities, or both: password_hash becomes optional).
// `oidc_logins` holds a sign-in in flight: the hash of its state (the browser holds the state in
// a cookie), the PKCE verifier and the nonce; a callback consumes its row, so a replay finds
// nothing. Typed Kysely<any> on purpose.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').alterColumn('password_hash', (c) => c.dropNotNull()).execute();
  await db.schema
    .createTable('user_identities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('user_identities_issuer_subject_key', ['issuer', 'subject'])
    .execute();
  await db.schema.createIndex('user_identities_user_idx').on('user_identities').column('user_id').execute();
  await db.schema
    .createTable('oidc_logins')
    .addColumn('state_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_logins').execute();
  await db.schema.dropTable('user_identities').execute();
  await db.schema.alterTable('users').alterColumn('password_hash', (c) => c.setNotNull()).execute();
}
