/**
 * Menu photos: what an upload may be, and where its renditions are served. Front ends use the
 * limits to refuse a file before sending it; the server enforces them whatever was sent.
 */

/** The largest upload accepted: 5 MiB. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The most pixels (width × height) a photo may have: 40 megapixels. Larger is refused before decoding. */
export const MAX_PHOTO_PIXELS = 40_000_000;

/** Each photo is stored as a WebP at these widths (never upscaled). */
export const PHOTO_WIDTHS = { small: 320, large: 1280 } as const;

export type PhotoType = 'jpeg' | 'png' | 'webp';

/** A photo key is a content hash: 32 lowercase hex digits. */
export const PHOTO_KEY_PATTERN = /^[0-9a-f]{32}$/;

/** The only names the media route serves: `<photo key>-320.webp` or `<photo key>-1280.webp`. */
export const PHOTO_FILE_PATTERN = /^[0-9a-f]{32}-(?:320|1280)\.webp$/;

export interface PhotoUrls {
  small: string;
  large: string;
}

/** The file names of a photo's two renditions. */
export function photoFileNames(key: string): { small: string; large: string } {
  return { small: `${key}-${PHOTO_WIDTHS.small}.webp`, large: `${key}-${PHOTO_WIDTHS.large}.webp` };
}

/** The URLs (relative to the server) of a photo's renditions, e.g. `/media/<key>-320.webp`. */
export function photoUrls(key: string): PhotoUrls {
  const names = photoFileNames(key);
  return { small: `/media/${names.small}`, large: `/media/${names.large}` };
}

/**
 * What the file really is, from its first bytes (magic numbers), whatever its name or declared
 * type say; null for anything but JPEG, PNG or WebP.
 */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  const at = (offset: number, expected: readonly number[]) => expected.every((b, i) => bytes[offset + i] === b);
  if (at(0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  // RIFF <size> WEBP
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  return null;
}
