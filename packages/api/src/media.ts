import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { PHOTO_FILE_PATTERN } from '@bistro/domain';

/** A stored file, ready to send. */
export interface MediaObject {
  body: Readable;
  size: number;
}

/**
 * Where menu photos live: a folder, or an S3-compatible bucket. Names are content-hashed
 * (`<key>-320.webp`), so a stored file never changes and can be cached for ever.
 */
export interface MediaStorage {
  /** Stores a file; it becomes visible under `name` only once complete. */
  put(name: string, body: Uint8Array, contentType: string): Promise<void>;
  /** Deletes a file; a missing one is not an error. */
  delete(name: string): Promise<void>;
  /** The stored file, or null when there is none. */
  get(name: string): Promise<MediaObject | null>;
  /** Where a client fetches it (served by Bistro at `/media/<name>`). */
  url(name: string): string;
}

/** Only hash-named photo files: no path separators, no dot-dot, nothing else on disk is reachable. */
export function isMediaName(name: string): boolean {
  return PHOTO_FILE_PATTERN.test(name);
}

function checkedName(name: string): string {
  if (!isMediaName(name)) throw new Error(`not a media file name: ${JSON.stringify(name)}`);
  return name;
}

/** Photos in a folder on disk (`.data/media` by default). */
export class FolderMediaStorage implements MediaStorage {
  readonly dir: string;
  #ready: Promise<unknown> | undefined;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async put(name: string, body: Uint8Array): Promise<void> {
    const target = join(this.dir, checkedName(name));
    this.#ready ??= mkdir(this.dir, { recursive: true });
    await this.#ready;
    // Written under a temporary name and renamed: a reader never sees half a file, and a
    // failed write leaves nothing under the real name.
    const temp = join(this.dir, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      await writeFile(temp, body, { flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async delete(name: string): Promise<void> {
    await rm(join(this.dir, checkedName(name)), { force: true });
  }

  async get(name: string): Promise<MediaObject | null> {
    if (!isMediaName(name)) return null;
    const path = join(this.dir, name);
    try {
      const { size, isFile } = await stat(path).then((s) => ({ size: s.size, isFile: s.isFile() }));
      if (!isFile) return null;
      return { body: createReadStream(path), size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  url(name: string): string {
    return `/media/${name}`;
  }
}
