/**
 * A scratch database grown to a year of trading, written with SQL (generate_series, INSERT …
 * SELECT), never through the API, so it is quick enough for every bench run:
 *
 * - Bistro Centrale's menu grown to 300 items, 60 option groups (some nested under options, some
 *   required) and 400 options, with recipes tying items and options to 120 ingredients, a few of
 *   them short, so stock decides availability;
 * - 5,000 customers, 200,000 orders over the past year at both locations (before today, in each
 *   location's time zone, so today's daily numbers are free), 1–3 lines each, and each order's
 *   status history (placed → preparing → ready → completed, or cancelled);
 * - 100,000 stock movements, ingredients' on_hand kept equal to their sum;
 * - 200,000 audit log entries.
 *
 * `createGrownDatabase()` starts from the demo-seeded template (`createTestDatabase`) and grows it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createDb, LATEST_MIGRATION, seedDemo, type DB } from '@bistro/db';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '@bistro/db/testing';

/** The sizes the issue names; `GROWTH` is what `createGrownDatabase` uses unless told otherwise. */
export interface GrowthSize {
  /** Items on the grown location's menu, all told (the demo's included). */
  menuItems: number;
  /** Option groups at the grown location, all told. */
  optionGroups: number;
  /** Options at the grown location, all told. */
  options: number;
  ingredients: number;
  customers: number;
  orders: number;
  stockMovements: number;
  auditEntries: number;
  /** All orders at this location (a busy one) instead of spread over every location. */
  ordersAt?: string;
}

export const GROWTH: GrowthSize = {
  menuItems: 300,
  optionGroups: 60,
  options: 400,
  ingredients: 120,
  customers: 5_000,
  orders: 200_000,
  stockMovements: 100_000,
  auditEntries: 200_000,
};

/**
 * The reports bench's database: the same year, with 300,000 orders at one busy location
 * (Bistro Centrale, the grown menu: ~820 orders a day), with their lines and history.
 */
export const BUSY_YEAR: GrowthSize = { ...GROWTH, orders: 300_000, ordersAt: 'bistro-centrale' };

/** The location whose menu grows (the one the menu.get bench reads). */
export const GROWN_LOCATION = 'bistro-centrale';

type Step = (name: string, run: () => Promise<unknown>) => Promise<void>;

/** Grows a demo-seeded database (both demo locations present) in place; returns what it took, in ms per step. */
export async function growDatabase(db: Kysely<DB>, size: GrowthSize = GROWTH, slug: string = GROWN_LOCATION): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const step: Step = async (name, run) => {
    const t0 = performance.now();
    await run();
    timings[name] = Math.round(performance.now() - t0);
  };
  await db.connection().execute(async (conn) => {
    // A scratch database: losing the last commits in a crash costs nothing, waiting on fsync does.
    await sql`set synchronous_commit = off`.execute(conn);
    await conn.transaction().execute(async (trx) => {
      // Foreign keys hold by construction; checking them row by row (a trigger per row) would
      // take most of the time. Needs a superuser, which a scratch bench database has.
      await sql`set local session_replication_role = replica`.execute(trx);
      await step('menu', () => growMenu(trx, size, slug));
      await step('ingredients', () => growPantry(trx, size, slug));
      await step('customers', () => growCustomers(trx, size));
      await withoutPlainIndexes(trx, async () => {
        await growOrders(trx, size, step);
        await step('stock movements', () => growMovements(trx, size));
        await step('audit log', () => growAudit(trx, size));
      });
    });
    // A table a year old has been vacuumed by autovacuum many times over (its pages marked all-visible, so
    // index-only scans skip the table); a bulk load has not been yet. Vacuum it, as a year would have.
    await step('vacuum analyze', () => sql`vacuum (analyze)`.execute(conn));
  });
  return timings;
}

/** Tables that get most of the rows; their plain indexes are dropped during the load and rebuilt after it. */
const BIG_TABLES = ['orders', 'order_lines', 'order_history', 'stock_movements', 'audit_log'];

/**
 * A fresh test database grown by `growDatabase`; `drop()` it afterwards. The first call on a
 * server builds a template (the demo seed, grown, analysed) named by a hash of the latest
 * migration, the demo seed and this file; later calls copy it (a file copy: seconds).
 */
export async function createGrownDatabase(size: GrowthSize = GROWTH): Promise<TestDatabase> {
  // One template per size (the growth and reports benches keep theirs side by side), rebuilt when the code changes.
  const sizeTag = createHash('sha256').update(JSON.stringify(size)).digest('hex').slice(0, 6);
  const template = `bistro_tpl_grown_${sizeTag}_${fingerprint(size)}`;
  await withAdmin(async (admin) => {
    await admin.query('select pg_advisory_lock(hashtext($1))', [template]);
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [template]);
      if (rowCount) return;
      const t0 = performance.now();
      const tdb = await createTestDatabase({ seed: true, maxConnections: 1 });
      try {
        const timings = await growDatabase(tdb.db, size);
        const steps = Object.entries(timings)
          .map(([name, ms]) => `${name} ${ms} ms`)
          .join(', ');
        console.error(`  growth seed: ${((performance.now() - t0) / 1000).toFixed(1)} s (${steps})`);
        await tdb.close();
        // Older grown templates (other code) are of no use any more.
        const { rows } = await admin.query<{ datname: string }>(
          "select datname from pg_database where datname like $1 or datname ~ '^bistro_tpl_grown_[0-9a-f]{16}$'",
          [`bistro_tpl_grown_${sizeTag}_%`],
        );
        for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
        await admin.query(`alter database "${tdb.name}" rename to "${template}"`);
      } catch (error) {
        await tdb.drop();
        throw error;
      }
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
  const name = `bistro_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (admin) => {
    const t0 = performance.now();
    await admin.query(`create database "${name}" template "${template}" strategy file_copy`);
    console.error(`  grown database copied from its template in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  const url = withDatabase(TEST_DATABASE_URL, name);
  const database = createDb({ url, maxConnections: 10 });
  return {
    ...database,
    url,
    name,
    async drop() {
      await database.close();
      await withAdmin((admin) => admin.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/** The migrations (their source, read from the repository the bench runs in), the demo seed, the sizes and this file. */
function fingerprint(size: GrowthSize): string {
  const hash = createHash('sha256').update(LATEST_MIGRATION);
  const migrations = new URL('../packages/db/src/migrations/', import.meta.url);
  for (const file of readdirSync(migrations).sort()) hash.update(file).update(readFileSync(new URL(file, migrations)));
  return hash
    .update(seedDemo.toString())
    .update(JSON.stringify(size))
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex')
    .slice(0, 16);
}

async function withAdmin<T>(use: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops the big tables' indexes that back no constraint, runs `load`, and builds them again (much faster than row by row). */
async function withoutPlainIndexes(db: Kysely<DB>, load: () => Promise<void>): Promise<void> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    where i.indrelid = any(${BIG_TABLES}::regclass[])
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db);
  for (const { name } of rows) await sql`drop index ${sql.id(name)}`.execute(db);
  await load();
  for (const { definition } of rows) await sql.raw(definition).execute(db);
}

async function growMenu(db: Kysely<DB>, size: GrowthSize, slug: string): Promise<void> {
  const location = sql`(select id from locations where slug = ${slug})`;
  // New categories of 24 items each, after the demo's; item names are unique per category.
  await sql`
    with have as (select count(*)::int as had from menu_items i join locations l on l.id = i.location_id where l.slug = ${slug}),
    wanted as (select greatest(0, ${size.menuItems}::int - had) as n from have)
    insert into menu_categories (location_id, name, description, sort_order)
    select ${location}, 'Grown category ' || c, 'More of everything.', 100 + c
    from wanted, generate_series(1, (wanted.n + 23) / 24) c`.execute(db);
  await sql`
    with have as (select count(*)::int as had from menu_items i where i.location_id = ${location}),
    grown as (select id, row_number() over (order by sort_order) - 1 as k from menu_categories
              where location_id = ${location} and name like 'Grown category %')
    insert into menu_items (location_id, category_id, name, description, price_minor, allergens, sort_order)
    select ${location}, g.id, 'Grown dish ' || n, 'Dish number ' || n || ', made to order with seasonal produce.',
      500 + (n * 37) % 2500,
      case n % 4 when 0 then array['gluten'] when 1 then array['milk', 'eggs'] when 2 then array[]::text[] else array['celery', 'mustard'] end,
      n % 24
    from have, generate_series(1, greatest(0, ${size.menuItems}::int - have.had)) n
    join grown g on g.k = (n - 1) / 24`.execute(db);

  // Option groups: most hang off grown items (every fourth one required), a sixth off options.
  await sql`
    with have as (select count(*)::int as had from option_groups where location_id = ${location}),
    items as (select array_agg(id order by name) as ids from menu_items where location_id = ${location} and name like 'Grown dish %')
    insert into option_groups (location_id, item_id, name, min_selections, max_selections, sort_order)
    select ${location}, items.ids[1 + (n * 5) % cardinality(items.ids)], 'Grown choice ' || n,
      case when n % 4 = 0 then 1 else 0 end, case when n % 4 = 0 then 1 else 3 end, n
    from have, items, generate_series(1, greatest(0, ${size.optionGroups}::int - have.had - ${Math.floor(size.optionGroups / 6)}::int)) n`.execute(db);
  const optionsOf = (groupFilter: ReturnType<typeof sql>, count: ReturnType<typeof sql>) => sql`
    with groups as (select array_agg(id order by name) as ids from option_groups where location_id = ${location} and ${groupFilter})
    insert into options (option_group_id, name, price_delta_minor, is_default, sort_order)
    select groups.ids[1 + (n - 1) % cardinality(groups.ids)], 'Grown option ' || n, (n % 5) * 50, n <= cardinality(groups.ids), n
    from groups, generate_series(1, ${count}) n`;
  // Options of the item-level grown groups: what is left of the budget after the nested groups' options.
  const nestedGroups = Math.floor(size.optionGroups / 6);
  const nestedOptions = nestedGroups * 3;
  await optionsOf(
    sql`name like 'Grown choice %'`,
    sql`greatest(0, ${size.options}::int - ${nestedOptions}::int - (select count(*)::int from options o join option_groups g on g.id = o.option_group_id where g.location_id = ${location}))`,
  ).execute(db);
  // Nested groups: a choice that opens a further choice, then their options.
  await sql`
    with opts as (select array_agg(o.id order by o.name) as ids from options o join option_groups g on g.id = o.option_group_id
                  where g.location_id = ${location} and g.name like 'Grown choice %')
    insert into option_groups (location_id, parent_option_id, name, min_selections, max_selections, sort_order)
    select ${location}, opts.ids[1 + (n * 7) % cardinality(opts.ids)], 'Grown follow-up ' || n, n % 2, 1, n
    from opts, generate_series(1, ${nestedGroups}::int) n`.execute(db);
  await optionsOf(sql`name like 'Grown follow-up %'`, sql`${nestedOptions}::int`).execute(db);
}

async function growPantry(db: Kysely<DB>, size: GrowthSize, slug: string): Promise<void> {
  // Ingredients at every location (the grown one gets the full count), plenty on hand for now:
  // on_hand is set from the movements later.
  await sql`
    insert into ingredients (location_id, name, unit, on_hand, low_stock_threshold)
    select l.id, 'Grown ingredient ' || n, (array['g', 'ml', 'piece'])[1 + n % 3], 0, 100
    from locations l, generate_series(1, case when l.slug = ${slug} then ${size.ingredients}::int else ${Math.ceil(size.ingredients / 3)}::int end) n`.execute(db);
  // Every item takes three ingredients, every option one (of its location's pantry).
  await sql`
    with pantry as (select location_id, array_agg(id order by name) as ids from ingredients group by location_id),
    owners as (select i.location_id, i.id, row_number() over (order by i.id) as k from menu_items i)
    insert into recipe_lines (location_id, item_id, ingredient_id, quantity)
    select o.location_id, o.id, p.ids[1 + (o.k * 3 + j) % cardinality(p.ids)], 10 + (o.k + j) % 90
    from owners o join pantry p using (location_id), generate_series(0, 2) j`.execute(db);
  await sql`
    with pantry as (select location_id, array_agg(id order by name) as ids from ingredients group by location_id),
    owners as (select g.location_id, o.id, row_number() over (order by o.id) as k from options o join option_groups g on g.id = o.option_group_id)
    insert into recipe_lines (location_id, option_id, ingredient_id, quantity)
    select o.location_id, o.id, p.ids[1 + (o.k * 11) % cardinality(p.ids)], 5 + o.k % 20
    from owners o join pantry p using (location_id)`.execute(db);
}

async function growCustomers(db: Kysely<DB>, size: GrowthSize): Promise<void> {
  // Not a valid password hash: nobody signs in as these customers.
  await sql`
    insert into users (email, name, password_hash, email_verified_at, created_at, updated_at)
    select 'grown.customer.' || n || '@bistro.localhost', 'Customer ' || n, 'not-a-password-hash',
      now() - interval '400 days', now() - interval '400 days' + n * interval '1 minute', now() - interval '400 days'
    from generate_series(1, ${size.customers}::int) n`.execute(db);
}

async function growOrders(db: Kysely<DB>, size: GrowthSize, step: Step): Promise<void> {
  // Order n: location n % L, local day (n / L) % 365 + 1 days before today (in the location's
  // zone), daily number n / (L × 365) + 1: unique per location and day.
  await step('orders (plan)', () => sql`
    create temporary table grown_orders on commit drop as
    with locs as (select row_number() over (order by slug) - 1 as li, id, time_zone, currency, tax_rate_bp from locations
                  where slug not like 'bench-%' and (${size.ordersAt ?? null}::text is null or slug = ${size.ordersAt ?? null}::text)),
    nloc as (select count(*)::int as c from locs),
    customers as (select array_agg(id order by email) as ids from users where email like 'grown.customer.%')
    select n, l.id as location_id, l.currency, l.tax_rate_bp,
      ((now() at time zone l.time_zone)::date - 1 - (n / nloc.c) % 365) as local_date,
      (n / (nloc.c * 365) + 1)::int as number,
      case when n % 10 < 7 then customers.ids[1 + n % cardinality(customers.ids)] end as customer_user_id,
      case when n % 50 = 0 then 'cancelled' else 'completed' end as status,
      (array['pickup', 'dine_in', 'delivery'])[1 + n % 3] as type,
      1 + n % 3 as line_count,
      ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid as id
    from nloc, customers, generate_series(0, ${size.orders}::int - 1) n
    join locs l on l.li = n % (select c from nloc)`.execute(db));
  // Temporary tables get no statistics on their own; without them the joins below plan as nested loops.
  await step('orders (analyze)', () => sql`analyze grown_orders`.execute(db));
  await step('lines (plan)', () => sql`
    create temporary table grown_lines on commit drop as
    with menus as (select location_id, array_agg(id order by id) as ids, array_agg(name order by id) as names,
                     array_agg(price_minor order by id) as prices from menu_items where archived_at is null group by location_id)
    select o.id as order_id, j as line_index, k, m.ids[k] as item_id, m.names[k] as name, 1 + (o.n + j) % 2 as quantity, m.prices[k] as price
    from grown_orders o join menus m using (location_id), generate_series(0, 2) j,
      lateral (select 1 + ((o.n * 7 + j * 13) % cardinality(m.ids)) as k) pick
    where j < o.line_count`.execute(db));
  await step('lines (analyze)', () => sql`analyze grown_lines`.execute(db));
  await step('orders', () => sql`
    insert into orders (id, location_id, customer_user_id, local_date, number, display_number, status, type, table_label,
      slot_start, contact_name, currency, subtotal_minor, tax_minor, tip_minor, total_minor, tracking_secret_hash, created_at, updated_at)
    select o.id, o.location_id, o.customer_user_id, o.local_date, o.number, 'A-' || lpad(o.number::text, 3, '0'), o.status, o.type,
      case when o.type = 'dine_in' then 'T' || (1 + o.n % 20) end,
      t.at, 'Guest ' || o.n, o.currency, s.subtotal, s.subtotal * o.tax_rate_bp / 10000, 0, s.subtotal + s.subtotal * o.tax_rate_bp / 10000,
      sha256(int4send(o.n)), t.at, t.at + interval '40 minutes'
    from grown_orders o
    join (select order_id, sum(quantity * price)::bigint as subtotal from grown_lines group by order_id) s on s.order_id = o.id,
    lateral (select o.local_date + time '12:00' + (o.n % 40) * interval '15 minutes' as at) t`.execute(db));
  await step('order lines', () => sql`
    insert into order_lines (id, order_id, line_index, item_id, name, quantity, unit_price_minor, line_total_minor)
    select ('00000000-0000-4000-9000-' || lpad(to_hex(row_number() over ()), 12, '0'))::uuid,
      order_id, line_index, item_id, name, quantity, price, quantity * price from grown_lines order by order_id, line_index`.execute(db));
  await step('order history', () => sql`
    insert into order_history (order_id, from_status, to_status, action, actor, at)
    select o.id, h.from_status, h.to_status, h.action, h.actor, o.created_at + h.step * interval '10 minutes'
    from orders o join grown_orders g on g.id = o.id,
    lateral (values (0, null, 'placed', 'place', 'orderer'), (1, 'placed', 'preparing', 'start', 'kitchen'),
                    (2, 'preparing', 'ready', 'ready', 'kitchen'), (3, 'ready', 'completed', 'complete', 'kitchen'),
                    (1, 'placed', 'cancelled', 'cancel', 'orderer')) h(step, from_status, to_status, action, actor)
    where case when g.status = 'cancelled' then h.to_status in ('placed', 'cancelled') else h.to_status <> 'cancelled' end`.execute(db));
  await step('order numbers', () => sql`
    insert into order_numbers (location_id, local_date, last_number)
    select location_id, local_date, max(number) from grown_orders group by location_id, local_date
    on conflict (location_id, local_date) do update set last_number = greatest(order_numbers.last_number, excluded.last_number)`.execute(db));
}

async function growMovements(db: Kysely<DB>, size: GrowthSize): Promise<void> {
  // Every ingredient in turn: every 20th round a delivery, the rest sales and some waste; then on_hand = the sum, with a
  // few ingredients at the grown location run dry (a last sale of everything left).
  await sql`
    with pantry as (select array_agg(id order by location_id, name) as ids from ingredients),
    picked as (select n, pantry.ids[1 + n % cardinality(pantry.ids)] as ingredient_id, (n / cardinality(pantry.ids)) % 20 as kind
               from pantry, generate_series(0, ${size.stockMovements}::int - 1) n)
    insert into stock_movements (location_id, ingredient_id, delta, reason, note, created_at)
    select i.location_id, p.ingredient_id,
      case when p.kind = 0 then 40000 when p.kind = 1 then -(1 + p.n % 50) else -(5 + p.n % 90) end,
      case when p.kind = 0 then 'delivery' when p.kind = 1 then 'waste' else 'sale' end,
      case when p.kind = 1 then 'dropped' else '' end,
      now() - interval '366 days' + p.n * (interval '365 days' / ${size.stockMovements}::int)
    from picked p join ingredients i on i.id = p.ingredient_id`.execute(db);
  await sql`
    update ingredients n set on_hand = s.total
    from (select ingredient_id, greatest(0, sum(delta)) as total from stock_movements group by ingredient_id) s
    where s.ingredient_id = n.id`.execute(db);
  // The sum can be below zero (sales beyond deliveries); a count brings the ledger to on_hand.
  await sql`
    insert into stock_movements (location_id, ingredient_id, delta, reason, note)
    select n.location_id, n.id, n.on_hand - s.total, 'count', 'stocktake'
    from ingredients n join (select ingredient_id, sum(delta) as total from stock_movements group by ingredient_id) s on s.ingredient_id = n.id
    where s.total <> n.on_hand`.execute(db);
  // Run a few dry: every 15th ingredient of each location.
  await sql`
    with dry as (select id, location_id, on_hand from (
      select id, location_id, on_hand, row_number() over (partition by location_id order by name) as k from ingredients) r where k % 15 = 0 and on_hand > 0)
    insert into stock_movements (location_id, ingredient_id, delta, reason, note)
    select location_id, id, -on_hand, 'sale', 'last portions' from dry`.execute(db);
  await sql`
    update ingredients n set on_hand = s.total
    from (select ingredient_id, sum(delta) as total from stock_movements group by ingredient_id) s
    where s.ingredient_id = n.id and n.on_hand <> s.total`.execute(db);
}

async function growAudit(db: Kysely<DB>, size: GrowthSize): Promise<void> {
  await sql`
    with people as (select array_agg(id order by email) as ids from users),
    locs as (select array_agg(id order by slug) as ids from locations)
    insert into audit_log (at, actor_user_id, action, target_type, target_id, location_id, ip, details)
    select now() - interval '365 days' + n * (interval '365 days' / ${size.auditEntries}::int),
      people.ids[1 + n % cardinality(people.ids)],
      (array['auth.sign_in', 'auth.sign_out', 'menu.item_updated', 'inventory.adjusted', 'staff.role_set'])[1 + n % 5],
      (array['session', 'session', 'menu_item', 'ingredient', 'user'])[1 + n % 5],
      case when n % 5 = 4 then people.ids[1 + (n * 7) % cardinality(people.ids)]::text else gen_random_uuid()::text end,
      case when n % 5 in (2, 3, 4) then locs.ids[1 + n % cardinality(locs.ids)] end,
      '192.0.2.' || (n % 250), '{}'::jsonb
    from people, locs, generate_series(0, ${size.auditEntries}::int - 1) n`.execute(db);
}
