import type { TRPCRouterRecord } from '@trpc/server';
import { archive as archiveCategory } from './categories-archive.js';
import { create as createCategory } from './categories-create.js';
import { reorder as reorderCategories } from './categories-reorder.js';
import { update as updateCategory } from './categories-update.js';
import { forEdit } from './for-edit.js';
import { get } from './get.js';
import { archive as archiveItem } from './items-archive.js';
import { create as createItem } from './items-create.js';
import { removePhoto } from './items-remove-photo.js';
import { reorder as reorderItems } from './items-reorder.js';
import { setPhoto } from './items-set-photo.js';
import { update as updateItem } from './items-update.js';
import { archive as archiveOptionGroup } from './option-groups-archive.js';
import { create as createOptionGroup } from './option-groups-create.js';
import { update as updateOptionGroup } from './option-groups-update.js';

export const menuRouter = {
  get,
  forEdit,
  categories: { create: createCategory, update: updateCategory, archive: archiveCategory, reorder: reorderCategories } satisfies TRPCRouterRecord,
  items: {
    create: createItem,
    update: updateItem,
    archive: archiveItem,
    reorder: reorderItems,
    setPhoto,
    removePhoto,
  } satisfies TRPCRouterRecord,
  optionGroups: { create: createOptionGroup, update: updateOptionGroup, archive: archiveOptionGroup } satisfies TRPCRouterRecord,
} satisfies TRPCRouterRecord;
