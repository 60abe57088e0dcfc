import { sql } from 'kysely';
import { z } from 'zod';
import { ordersListMineInput } from '@bistro/domain';
import { cursorInstantSchema, decodeCursor, encodeCursor } from '../pagination.js';
import { authedProcedure } from '../trpc.js';

export const MY_ORDERS_PAGE_SIZE = 20;

const myOrdersCursor = z.tuple([z.literal('myOrders'), cursorInstantSchema, z.uuid()]);

/** The signed-in customer's own orders, newest first, a page at a time (keyset on placed-at and id). */
export const listMine = authedProcedure.input(ordersListMineInput).query(async ({ ctx, input }) => {
  const after = input?.cursor === undefined ? null : decodeCursor(input.cursor, myOrdersCursor);
  let query = ctx.db
    .selectFrom('orders as o')
    .innerJoin('locations as loc', 'loc.id', 'o.location_id')
    .where('o.customer_user_id', '=', ctx.auth.user.id)
    .select([
      'o.id',
      'o.display_number as number',
      'o.status',
      'o.type',
      'o.wanted_at as wantedAt',
      'o.created_at as placedAt',
      'o.currency',
      'o.total_minor as totalMinor',
      'loc.slug as locationSlug',
      'loc.name as locationName',
      sql<string>`to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursorAt'),
    ])
    .select((eb) =>
      eb.selectFrom('order_lines as l').whereRef('l.order_id', '=', 'o.id').select((e) => e.fn.coalesce(e.fn.sum<number>('l.quantity'), e.lit(0)).as('n')).as('itemCount'),
    )
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(MY_ORDERS_PAGE_SIZE + 1);
  if (after) {
    const [, at, id] = after;
    query = query.where(sql<boolean>`(o.created_at, o.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query.execute();
  const page = rows.slice(0, MY_ORDERS_PAGE_SIZE);
  const last = page.at(-1);
  return {
    orders: page.map((row) => ({
      id: row.id,
      number: row.number,
      status: row.status,
      type: row.type,
      wantedAt: row.wantedAt === null ? null : new Date(row.wantedAt),
      placedAt: new Date(row.placedAt),
      location: { slug: row.locationSlug, name: row.locationName },
      currency: row.currency,
      totalMinor: row.totalMinor,
      itemCount: Number(row.itemCount ?? 0),
    })),
    nextCursor: rows.length > MY_ORDERS_PAGE_SIZE && last ? encodeCursor(['myOrders', last.cursorAt, last.id]) : null,
  };
});
