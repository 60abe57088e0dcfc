/**
 * The ordering and live-ticket benches alone, on a throwaway migrated database: `orders.place`
 * under contention, place-to-kitchen and the fan-out to 1,000 feeds. `BENCH_ONLY` picks some
 * (comma-separated: `orders`, `kitchen`, `fanout`). `npm run bench:orders -w @bistro/bench`.
 */
import { createTestDatabase } from '@bistro/db/testing';
import { benchFanOut } from './fan-out.js';
import { benchKitchenLatency } from './kitchen-latency.js';
import { benchOrdersPlace } from './orders-place.js';

const only = new Set((process.env.BENCH_ONLY ?? 'orders,kitchen,fanout').split(',').map((s) => s.trim()));
const tdb = await createTestDatabase({ seed: true });
try {
  if (only.has('orders')) console.log(await benchOrdersPlace(tdb));
  if (only.has('kitchen')) console.log(await benchKitchenLatency(tdb));
  if (only.has('fanout')) console.log(await benchFanOut(tdb));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await tdb.drop();
}
