/**
 * Grows a scratch database to a year of trading (see growth-seed.ts) and leaves it in place for
 * EXPLAIN and experiments: prints its URL on stdout. Drop it afterwards (`drop database … with (force)`).
 */
import { createGrownDatabase } from './growth-seed.js';

const tdb = await createGrownDatabase();
await tdb.close();
console.log(tdb.url);
