import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, PHOTO_FILE_PATTERN, PHOTO_KEY_PATTERN, PHOTO_WIDTHS, photoFileNames, photoUrls, sniffPhotoType } from '../src/index.js';

const key = '0123456789abcdef0123456789abcdef';
const bytes = (...b: number[]) => new Uint8Array([...b, 0, 0, 0, 0]);

describe('menu photos', () => {
  it('are told apart by their first bytes, whatever their name says', () => {
    expect(sniffPhotoType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(sniffPhotoType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('png');
    expect(sniffPhotoType(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50))).toBe('webp');
    // A RIFF that is not WebP (a WAV sound), a GIF, a PNG with one byte wrong, nothing at all.
    expect(sniffPhotoType(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45))).toBeNull();
    expect(sniffPhotoType(bytes(0x47, 0x49, 0x46, 0x38))).toBeNull();
    // "WEBP" in the right place is not enough without the RIFF header.
    expect(sniffPhotoType(bytes(0x00, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50))).toBeNull();
    expect(sniffPhotoType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b))).toBeNull();
    expect(sniffPhotoType(bytes(0xff, 0xd8, 0x00))).toBeNull();
    expect(sniffPhotoType(new Uint8Array())).toBeNull();
  });

  it('are stored as two WebP renditions under content-hash names, served from /media', () => {
    expect(PHOTO_WIDTHS).toEqual({ small: 320, large: 1280 });
    expect(photoFileNames(key)).toEqual({ small: `${key}-320.webp`, large: `${key}-1280.webp` });
    expect(photoUrls(key)).toEqual({ small: `/media/${key}-320.webp`, large: `/media/${key}-1280.webp` });
    expect(PHOTO_FILE_PATTERN.test(`${key}-320.webp`)).toBe(true);
    expect(PHOTO_FILE_PATTERN.test(`${key}-1280.webp`)).toBe(true);
    for (const name of [`${key}-640.webp`, `${key}-320.png`, `../${key}-320.webp`, `${key}-320.webp.exe`, `${key.toUpperCase()}-320.webp`, `${key.slice(1)}-320.webp`]) {
      expect(PHOTO_FILE_PATTERN.test(name), name).toBe(false);
    }
    expect(PHOTO_KEY_PATTERN.test(key)).toBe(true);
    expect(PHOTO_KEY_PATTERN.test(`${key}0`)).toBe(false);
    expect(PHOTO_KEY_PATTERN.test(`x${key}`)).toBe(false);
    expect(PHOTO_KEY_PATTERN.test(key.slice(1))).toBe(false);
  });

  it('are at most 5 MiB and 40 megapixels', () => {
    expect(MAX_PHOTO_BYTES).toBe(5 * 1024 * 1024);
    expect(MAX_PHOTO_PIXELS).toBe(40_000_000);
  });
});
