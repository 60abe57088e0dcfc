import type { TRPCRouterRecord } from '@trpc/server';
import { create } from './campaigns-create.js';
import { get } from './campaigns-get.js';
import { list } from './campaigns-list.js';
import { preview } from './campaigns-preview.js';
import { send } from './campaigns-send.js';
import { update } from './campaigns-update.js';
import { confirm } from './confirm.js';
import { mine } from './mine.js';
import { setMine } from './set-mine.js';
import { subscribe } from './subscribe.js';
import { unsubscribe } from './unsubscribe.js';

/** The newsletter: double opt-in subscriptions (anyone), the customer's own choice, and the managers' campaigns. */
export const newsletterRouter = {
  subscribe,
  confirm,
  unsubscribe,
  mine,
  setMine,
  campaigns: { create, update, list, get, preview, send } satisfies TRPCRouterRecord,
} satisfies TRPCRouterRecord;
