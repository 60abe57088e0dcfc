import { type Kysely, sql } from 'kysely';

// Stations (issue 13): the places in a kitchen (grill, fryer, cold, bar). Each menu item is
// routed to at most one station of its own location (a composite foreign key: an item can't
// point at another location's station, whatever the code does), and each order line keeps the
// station it was routed to at the time of sale, so re-routing an item later never moves a line
// already on a kitchen screen. Typed Kysely<any> on purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('location_id', 'uuid', (c) => c.notNull().references('locations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 60`))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The target of the composite foreign key below.
    .addUniqueConstraint('stations_id_location', ['id', 'location_id'])
    .execute();
  // One active station of a name per location (case-insensitive); an archived one frees its name.
  await sql`create unique index stations_name_idx on stations (location_id, lower(name)) where archived_at is null`.execute(db);

  await db.schema.alterTable('menu_items').addColumn('station_id', 'uuid').execute();
  // MATCH SIMPLE: an item without a station (null) is not checked; one with a station must name one of its own location.
  await sql`alter table menu_items add constraint menu_items_station_fk
    foreign key (station_id, location_id) references stations (id, location_id)`.execute(db);
  await db.schema.createIndex('menu_items_station_idx').on('menu_items').column('station_id').execute();

  await db.schema
    .alterTable('order_lines')
    .addColumn('station_id', 'uuid', (c) => c.references('stations.id'))
    .execute();
  await db.schema.createIndex('order_lines_station_idx').on('order_lines').column('station_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('order_lines').dropColumn('station_id').execute();
  await db.schema.alterTable('menu_items').dropColumn('station_id').execute();
  await db.schema.dropTable('stations').execute();
}
