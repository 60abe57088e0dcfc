import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, PHOTO_WIDTHS, photoFileNames, sniffPhotoType, type PhotoUrls } from '@bistro/domain';
import type { Context } from '../context.js';
import { BistroError } from '../errors.js';
import type { MediaStorage } from '../media.js';

/** A photo turned into the WebP renditions menus show, not yet stored. */
export interface ProcessedPhoto {
  key: string;
  files: { name: string; body: Buffer }[];
}

// Decoding a large photo takes a lot of memory (a 40 MP PNG is 160 MB of pixels): a few at a
// time, the rest wait their turn.
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

const unreadable = (cause?: unknown) => new BistroError('PHOTO_UNREADABLE', 'The photo could not be read; it may be truncated or corrupt', { cause });

/**
 * Checks an uploaded photo and re-encodes it: at most 5 MiB, really JPEG, PNG or WebP (by its
 * bytes), at most 40 megapixels (read from the header, before any pixel is decoded), turned
 * upright by its EXIF orientation, every metadata field dropped, and written as WebP 320 and
 * 1280 px wide (never upscaled). The key hashes the item and the upload, so the same photo on
 * two items never shares files (removing one can't break the other).
 */
export async function processPhoto(itemId: string, bytes: Uint8Array): Promise<ProcessedPhoto> {
  if (bytes.byteLength === 0) throw new BistroError('PHOTO_EMPTY', 'The photo is empty');
  if (bytes.byteLength > MAX_PHOTO_BYTES) throw new BistroError('PHOTO_TOO_LARGE', 'The photo is larger than 5 MB');
  const type = sniffPhotoType(bytes);
  if (!type) throw new BistroError('PHOTO_TYPE_NOT_ALLOWED', 'The photo must be a JPEG, PNG or WebP image');

  // libvips guards too: anything over the limit fails rather than decodes; `failOn: 'warning'`
  // refuses a truncated file instead of filling the rest with grey.
  const options = { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'warning' } as const;
  const header = await sharp(bytes, options)
    .metadata()
    .catch((error: unknown) => {
      throw tooManyPixels(error) ?? unreadable(error);
    });
  if (header.format !== type) throw unreadable();
  if (!header.width || !header.height) throw unreadable();
  if (header.width * header.height > MAX_PHOTO_PIXELS) {
    throw new BistroError('PHOTO_TOO_MANY_PIXELS', 'The photo has more than 40 megapixels');
  }

  const files = await inTurn(async () => {
    try {
      // One decode: upright, at most 1280 wide, as raw pixels; both renditions come from it.
      const { data, info } = await sharp(bytes, options)
        .autoOrient()
        .resize({ width: PHOTO_WIDTHS.large, withoutEnlargement: true })
        .raw()
        .toBuffer({ resolveWithObject: true });
      const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
      // sharp writes no metadata (EXIF, ICC, XMP) unless asked to.
      const [large, small] = await Promise.all([
        sharp(data, raw).webp({ quality: 82 }).toBuffer(),
        sharp(data, raw).resize({ width: PHOTO_WIDTHS.small, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer(),
      ]);
      return { large, small };
    } catch (error) {
      throw tooManyPixels(error) ?? unreadable(error);
    }
  });

  const key = createHash('sha256').update(itemId).update('\0').update(bytes).digest('hex').slice(0, 32);
  const names = photoFileNames(key);
  return {
    key,
    files: [
      { name: names.small, body: files.small },
      { name: names.large, body: files.large },
    ],
  };
}

function tooManyPixels(error: unknown): BistroError | undefined {
  if (error instanceof Error && /pixel limit/i.test(error.message)) {
    return new BistroError('PHOTO_TOO_MANY_PIXELS', 'The photo has more than 40 megapixels', { cause: error });
  }
  return undefined;
}

/** The configured photo storage; a server without one can't take photos. */
export function mediaOf(ctx: Pick<Context, 'services'>): MediaStorage {
  const media = ctx.services.media;
  if (!media) throw new Error('No media storage is configured (services.media)');
  return media;
}

/** Stores every file of a photo, or (on failure) none of them. */
export async function storePhoto(media: MediaStorage, photo: ProcessedPhoto, log?: Context['log']): Promise<void> {
  const results = await Promise.allSettled(photo.files.map((file) => media.put(file.name, file.body, 'image/webp')));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await deletePhotoFiles(media, photo.key, log);
    throw failed.reason;
  }
}

/** Deletes a photo's files. Never throws: a file left over is only wasted space, logged. */
export async function deletePhotoFiles(media: MediaStorage, key: string, log?: Context['log']): Promise<void> {
  const names = photoFileNames(key);
  const results = await Promise.allSettled([media.delete(names.small), media.delete(names.large)]);
  for (const result of results) {
    if (result.status === 'rejected') log?.warn({ err: result.reason, photoKey: key }, 'could not delete a photo file');
  }
}

/** The URLs an item's photo is served at. */
export function photoUrlsOf(media: MediaStorage, key: string): PhotoUrls {
  const names = photoFileNames(key);
  return { small: media.url(names.small), large: media.url(names.large) };
}
