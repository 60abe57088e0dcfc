import { sql } from 'kysely';
import { z } from 'zod';
import { localWeekdayAndMinute, ORDERS_PAGE_SIZE, ordersListInput } from '@bistro/domain';
import { ordersListOutput } from '../outputs.js';
import { cursorInstantSchema, decodeCursor, encodeCursor } from '../pagination.js';
import { dayStart } from '../reports/facts.js';
import { staffProcedure } from '../trpc.js';
import { firstName } from './contact.js';
import { ORDER_SUMMARY_COLUMNS } from './queries.js';

const ordersCursor = z.tuple([z.literal('orders'), cursorInstantSchema, z.uuid()]);

/**
 * A location's orders for its staff and managers, newest first, a page at a time (keyset on
 * placed-at and id): one day of the location's own calendar (today by the request's clock when
 * none is given) or a span of days, optionally of one status. A day runs from local midnight to
 * local midnight in the location's time zone, so one of 23 or 25 hours counts exactly its orders.
 * The guest shows by first name, as on a ticket; the order's detail (orders.get) tells managers more.
 */
export const list = staffProcedure
  .meta({
    scope: 'kitchen:read',
    openapi: { method: 'GET', path: '/orders', tags: ['orders'], summary: "A day's (or a span's) orders at a location, newest first, paged" },
  })
  .input(ordersListInput)
  .output(ordersListOutput)
  .query(async ({ ctx, input }) => {
    const location = await ctx.db.selectFrom('locations').select('time_zone').where('id', '=', ctx.locationId).executeTakeFirstOrThrow();
    const today = localWeekdayAndMinute(location.time_zone, ctx.now()).date;
    const from = input.from ?? input.day ?? today;
    const to = input.to ?? input.day ?? today;
    const after = input.cursor === undefined ? null : decodeCursor(input.cursor, ordersCursor);
    let query = ctx.db
      .selectFrom('orders as o')
      .where('o.location_id', '=', ctx.locationId)
      // Local midnight of `from` to local midnight after `to`, as instants, in the location's zone.
      .where('o.created_at', '>=', dayStart(from, sql`${location.time_zone}`))
      .where('o.created_at', '<', dayStart(sql`(${to}::date + 1)`, sql`${location.time_zone}`))
      .select(ORDER_SUMMARY_COLUMNS)
      .select(sql<string>`to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursorAt'))
      .select((eb) =>
        eb
          .selectFrom('order_lines as l')
          .whereRef('l.order_id', '=', 'o.id')
          .select((e) => e.fn.coalesce(e.fn.sum<number>('l.quantity'), e.lit(0)).as('n'))
          .as('itemCount'),
      )
      .orderBy('o.created_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(ORDERS_PAGE_SIZE + 1);
    if (input.status !== undefined) query = query.where('o.status', '=', input.status);
    if (after) {
      const [, at, id] = after;
      query = query.where(sql<boolean>`(o.created_at, o.id) < (${at}::timestamptz, ${id}::uuid)`);
    }
    const rows = await query.execute();
    const page = rows.slice(0, ORDERS_PAGE_SIZE);
    const last = page.at(-1);
    return {
      from,
      to,
      orders: page.map((row) => ({
        id: row.id,
        number: row.number,
        status: row.status,
        type: row.type,
        table: row.table,
        wantedAt: row.wantedAt === null ? null : new Date(row.wantedAt),
        placedAt: new Date(row.placedAt),
        guestFirstName: firstName(row.contactName),
        paymentMethod: row.paymentMethod,
        currency: row.currency,
        totalMinor: row.totalMinor,
        itemCount: Number(row.itemCount ?? 0),
      })),
      nextCursor: rows.length > ORDERS_PAGE_SIZE && last ? encodeCursor(['orders', last.cursorAt, last.id]) : null,
    };
  });
