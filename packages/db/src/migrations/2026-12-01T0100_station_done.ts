import { type Kysely, sql } from 'kysely';

// A station's own "done" on a ticket (issue 13): the station has finished its lines of an order.
// It is not a state of the order (the lifecycle has no step back from ready), so it can be
// recalled; and it belongs to the pair (order, station), not to each line: a station with three
// lines of an order is done with all of them at once, so one row per pair (its presence is the
// "done") cannot disagree with itself the way a flag repeated on every line could. Lines keep the
// station they were routed to when sold, which is what a done row names. Typed Kysely<any> on
// purpose: a snapshot in time.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('order_station_done')
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('station_id', 'uuid', (c) => c.notNull().references('stations.id'))
    .addColumn('done_at', 'timestamptz', (c) => c.notNull())
    .addColumn('done_by_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addPrimaryKeyConstraint('order_station_done_pkey', ['order_id', 'station_id'])
    .execute();
  await sql`comment on table order_station_done is 'A station has finished its lines of an order (kitchen.stationDone); no row: not done'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_station_done').execute();
}
