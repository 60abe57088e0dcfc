/**
 * Kitchen screens for the place-to-kitchen bench (kitchen-latency.ts), in their own process so
 * that handling a hundred streams does not hold up the process that places the orders and
 * keeps time. Started over IPC with what to subscribe to; reports when every screen is live,
 * then once per order the instant (ms since the epoch, sub-millisecond) each screen got it.
 *
 * A real screen is a device of its own; here dozens share one process, so each screen's own
 * parsing would queue behind the others' and count as latency. `client: 'raw'` (the default)
 * reads the same server-sent events over plain node:http with a minimal parser;
 * `client: 'trpc'` uses @bistro/client (eventsource, fetch, superjson) as an app would.
 */
import { request } from 'node:http';
import { createBistroClient } from '@bistro/client';

export interface ScreensSetup {
  /** One instance URL per screen. */
  urls: string[];
  token: string;
  locationId: string;
  lastEventId: string;
  client: 'raw' | 'trpc';
}

export type ScreensReport =
  | { kind: 'started' }
  | { kind: 'order'; orderId: string; arrivals: number[] }
  | { kind: 'problem'; message: string };

const send = (report: ScreensReport) => process.send?.(report);
const now = () => performance.timeOrigin + performance.now();

interface Screen {
  onStarted: () => void;
  onData: (orderId: string) => void;
  onError: (message: string) => void;
}

/** kitchen.onTickets over plain HTTP: the SSE frames as tRPC writes them (`event:`, `data:`, `id:` lines, a blank line after each). */
function rawScreen(url: string, setup: ScreensSetup, screen: Screen): void {
  const input = encodeURIComponent(JSON.stringify({ json: { locationId: setup.locationId, lastEventId: setup.lastEventId } }));
  const req = request(`${url}/trpc/kitchen.onTickets?input=${input}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${setup.token}` },
  });
  req.on('error', (error) => screen.onError(String(error)));
  req.on('response', (res) => {
    if (res.statusCode !== 200) screen.onError(`answered ${res.statusCode}`);
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (text: string) => {
      buffer += text;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2).replace(/^\n+/, '');
        let event = 'message';
        let data = '';
        for (const line of frame.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data = line.slice(6);
        }
        if (event === 'connected') screen.onStarted();
        else if (event === 'serialized-error') screen.onError(data);
        else if (event === 'message') screen.onData((JSON.parse(data) as { json: { orderId: string } }).json.orderId);
      }
    });
  });
  req.end();
}

function trpcScreen(url: string, setup: ScreensSetup, screen: Screen): void {
  createBistroClient({ url, token: setup.token }).kitchen.onTickets.subscribe(
    { locationId: setup.locationId, lastEventId: setup.lastEventId },
    { onStarted: screen.onStarted, onData: (event) => screen.onData(event.data.orderId), onError: (error) => screen.onError(String(error)) },
  );
}

process.once('message', (setup: ScreensSetup) => {
  const count = setup.urls.length;
  const seen = Array.from({ length: count }, () => new Set<string>());
  const arrivals = new Map<string, number[]>();
  let started = 0;
  setup.urls.forEach((url, i) => {
    (setup.client === 'trpc' ? trpcScreen : rawScreen)(url, setup, {
      onStarted: () => {
        started += 1;
        if (started === count) send({ kind: 'started' });
      },
      onData: (orderId) => {
        const at = now();
        if (seen[i]!.has(orderId)) send({ kind: 'problem', message: `screen ${i} got ${orderId} twice` });
        seen[i]!.add(orderId);
        let times = arrivals.get(orderId);
        if (!times) arrivals.set(orderId, (times = []));
        times.push(at);
        if (times.length === count) {
          arrivals.delete(orderId);
          send({ kind: 'order', orderId, arrivals: times });
        }
      },
      onError: (message) => send({ kind: 'problem', message: `screen ${i}: ${message}` }),
    });
  });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
