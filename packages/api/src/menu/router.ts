import type { TRPCRouterRecord } from '@trpc/server';
import { get } from './get.js';
import { removePhoto } from './items-remove-photo.js';
import { setPhoto } from './items-set-photo.js';

export const menuRouter = {
  get,
  items: { setPhoto, removePhoto } satisfies TRPCRouterRecord,
} satisfies TRPCRouterRecord;
