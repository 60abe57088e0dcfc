import { EventSource } from 'eventsource';
import type { BistroClient, BistroClientOptions } from './client.js';
import { createClient } from './create.js';

// Node's entry point (the `node` export condition): the same API as index.ts, with live feeds
// over the `eventsource` package, since Node has no EventSource and the package sends headers.
export * from './client.js';
export { ERROR_CODES, formatMoney, money, type BistroErrorCode, type Money } from '@bistro/domain';

/** See index.ts: the same client, whose live feeds use the `eventsource` package. */
export function createBistroClient(options: BistroClientOptions): BistroClient {
  return createClient(options, EventSource);
}
