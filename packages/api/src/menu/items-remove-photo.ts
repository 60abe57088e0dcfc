import { z } from 'zod';
import { recordAudit } from '../audit.js';
import { managerProcedure } from '../trpc.js';
import { deletePhotoFiles, mediaOf } from './photos.js';
import { menuChanged, touchMenu } from './version.js';

export const removePhotoInput = z.strictObject({ itemId: z.uuid() });

/** Removes an item's photo; its files are deleted once that is committed. No photo: nothing changes. */
export const removePhoto = managerProcedure.input(removePhotoInput).mutation(async ({ ctx, input }) => {
  const media = mediaOf(ctx);
  const { itemId } = input;
  const removed = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .with('old', (db) => db.selectFrom('menu_items').select(['id', 'photo_key']).where('id', '=', itemId).forUpdate())
      .updateTable('menu_items as m')
      .from('old')
      .set({ photo_key: null, updated_at: ctx.now() })
      .whereRef('m.id', '=', 'old.id')
      .where('old.photo_key', 'is not', null)
      .returning('old.photo_key as before')
      .executeTakeFirst();
    if (!row?.before) return null;
    await touchMenu(trx, ctx.locationId);
    await recordAudit(trx, ctx, {
      action: 'menu.item_photo_removed',
      targetType: 'menu_item',
      targetId: itemId,
      locationId: ctx.locationId,
      details: { before: { photoKey: row.before }, after: { photoKey: null } },
    });
    return row.before;
  });
  if (removed) {
    menuChanged(ctx, ctx.locationId);
    await deletePhotoFiles(media, removed, ctx.log);
  }
  return { itemId, photo: null };
});
