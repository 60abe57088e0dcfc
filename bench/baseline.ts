/**
 * The baseline: node:http + a pg pool (same size and type parsers as Bistro's), running the
 * same SQL text and parameters as Bistro and answering with the same bytes (tRPC's
 * `{"result":{"data":{"json":…}}}` envelope, which is what superjson produces for plain JSON).
 * The menu statement runs as a named prepared statement, as Bistro's does.
 * No framework, no validation, no transformer. Reports its port to the parent over IPC.
 */
import { createServer, type ServerResponse } from 'node:http';
import { createPool, nameStatement } from '@bistro/db';
import { prepareMenu, type MenuRow } from '@bistro/api';
import superjson from 'superjson';
import { isOpenAt, nextOpeningAt, type OpeningRange } from '@bistro/domain';
import { locationsSql, menuSql } from './queries.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const pool = createPool({ url, maxConnections: 10 });

const MENU_PATH = '/trpc/menu.get';
const menu = menuSql('bistro-centrale');
// Prepared like Bistro's (by name, planned once per connection), so the ratio compares the stacks, not the planning.
nameStatement(menu.sql);
const locations = locationsSql();

interface LocationRow {
  timeZone: string;
  openingHours: OpeningRange[];
  closures: string[] | null;
  [column: string]: unknown;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function menuGet(): Promise<unknown> {
  const { rows } = await pool.query<MenuRow>(menu.sql, [...menu.parameters]);
  const row = rows[0];
  if (!row) return undefined;
  // The same shaping Bistro does (photo URLs, version), so both do the same work per request.
  const { location, categories } = prepareMenu(row);
  return { location: { ...location, isOpenNow: isOpenAt(location.openingHours, location.timeZone, new Date(), location.closures) }, categories };
}

async function locationsList(): Promise<unknown> {
  const { rows } = await pool.query<LocationRow>(locations.sql, [...locations.parameters]);
  const now = new Date();
  return rows.map(({ openingHours, closures, ...location }) => ({
    ...location,
    openingHours: openingHours.map(({ weekday, opensAt, closesAt }) => ({ weekday, opensAt, closesAt })),
    closures: closures ?? [],
    isOpenNow: isOpenAt(openingHours, location.timeZone, now, closures ?? []),
    nextOpensAt: nextOpeningAt(openingHours, location.timeZone, now, closures ?? []),
  }));
}

const server = createServer((req, res) => {
  const path = req.url?.split('?')[0];
  // The input is fixed (the bench only asks for one slug), so the query string is not parsed.
  const handler = path === MENU_PATH ? menuGet : path === '/trpc/locations.list' ? locationsList : undefined;
  if (!handler) return send(res, 404, { error: 'not found' });
  handler().then(
    // locations.list has dates (nextOpensAt): the transformer's own form, as tRPC sends it.
    (data) => (data === undefined ? send(res, 404, { error: 'not found' }) : send(res, 200, { result: { data: handler === locationsList ? superjson.serialize(data) : { json: data } } })),
    (error: unknown) => {
      console.error(error);
      send(res, 500, { error: 'internal' });
    },
  );
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.send?.({ url: `http://127.0.0.1:${port}` });
});

async function stop(): Promise<void> {
  server.closeAllConnections();
  server.close();
  await pool.end();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// The parent went away (even by SIGKILL): do not linger.
process.on('disconnect', () => void stop());
