import { z } from 'zod';
import { recordAudit } from '../audit.js';
import { notFound } from '../errors.js';
import { managerProcedure } from '../trpc.js';
import { deletePhotoFiles, mediaOf, photoUrlsOf, processPhoto, storePhoto } from './photos.js';
import { menuChanged, touchMenu } from './version.js';

/** A form's fields as an object; a field sent twice becomes an array, which the schema refuses. */
function formFields(form: FormData): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    fields[key] = values.length === 1 ? values[0] : values;
  }
  return fields;
}

/** `FormData` with `itemId` and `photo` (a file). Sent by `@bistro/client` as multipart/form-data. */
export const setPhotoInput = z
  .instanceof(FormData, { message: 'Expected multipart/form-data with itemId and photo' })
  .transform(formFields)
  .pipe(z.strictObject({ itemId: z.uuid(), photo: z.instanceof(Blob, { message: 'Expected a file' }) }));

/**
 * Sets (or replaces) an item's photo: checked and re-encoded (see processPhoto), stored under
 * content-hashed names, then recorded. A refused photo stores nothing; the replaced photo's files
 * are deleted once the change is committed.
 */
export const setPhoto = managerProcedure.input(setPhotoInput).mutation(async ({ ctx, input }) => {
  const media = mediaOf(ctx);
  const { itemId } = input;
  const photo = await processPhoto(itemId, new Uint8Array(await input.photo.arrayBuffer()));
  const urls = photoUrlsOf(media, photo.key);

  const current = await ctx.db
    .selectFrom('menu_items')
    .select('photo_key')
    .where('id', '=', itemId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (!current) throw notFound('Item');
  // The very same photo again: its files are already there and nothing changes.
  if (current.photo_key === photo.key) return { itemId, photo: urls };

  await storePhoto(media, photo, ctx.log);
  let before: string | null;
  try {
    before = await ctx.db.transaction().execute(async (trx) => {
      // The row is locked while its old key is read, so two uploads racing each delete the
      // files of the photo they really replaced.
      const row = await trx
        .with('old', (db) =>
          db.selectFrom('menu_items').select(['id', 'photo_key']).where('id', '=', itemId).where('archived_at', 'is', null).forUpdate(),
        )
        .updateTable('menu_items as m')
        .from('old')
        .set({ photo_key: photo.key, updated_at: ctx.now() })
        .whereRef('m.id', '=', 'old.id')
        .returning('old.photo_key as before')
        .executeTakeFirst();
      if (!row) throw notFound('Item');
      await touchMenu(trx, ctx.locationId);
      await recordAudit(trx, ctx, {
        action: 'menu.item_photo_set',
        targetType: 'menu_item',
        targetId: itemId,
        locationId: ctx.locationId,
        details: { before: { photoKey: row.before }, after: { photoKey: photo.key } },
      });
      return row.before;
    });
  } catch (error) {
    await deletePhotoFiles(media, photo.key, ctx.log);
    throw error;
  }
  menuChanged(ctx, ctx.locationId);
  if (before && before !== photo.key) await deletePhotoFiles(media, before, ctx.log);
  return { itemId, photo: urls };
});
