/**
 * Menu photos through the wire: a real upload through @bistro/client (FormData, multipart),
 * re-encoded by sharp for real, served from /media; replacing and removing delete the files;
 * every bad upload is refused with its code, stores nothing and leaves the server serving.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bistroErrorCode, createBistroClient, type BistroClient } from '@bistro/client';
import { ConfigError, loadConfig } from '../src/index.js';
import { createMediaStorage, S3MediaStorage } from '../src/media.js';
import { startTestServer, type TestServer } from './helpers.js';

const PASSWORD = 'smoked-trout-on-rye-7';

let t: TestServer;
let mediaDir: string;
let centrale: string;
let harbor: string;
let itemId: string;
let manager: BistroClient;
let managerToken: string;
let otherManager: BistroClient;
let staff: BistroClient;

async function signedIn(email: string, roles: { locationId: string; role: 'staff' | 'manager' }[]): Promise<{ client: BistroClient; token: string }> {
  const anonymous = createBistroClient({ url: t.url });
  await anonymous.auth.signUp.mutate({ email, password: PASSWORD, name: 'Photo Tester' });
  const user = await t.tdb.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  if (roles.length) {
    await t.tdb.db
      .insertInto('location_roles')
      .values(roles.map((r) => ({ user_id: user.id, location_id: r.locationId, role: r.role })))
      .execute();
  }
  const { token } = await anonymous.auth.signIn.mutate({ email, password: PASSWORD, mode: 'token' });
  return { client: createBistroClient({ url: t.url, token: token }), token: token };
}

beforeAll(async () => {
  mediaDir = await mkdtemp(join(tmpdir(), 'bistro-media-'));
  t = await startTestServer({ MEDIA_DIR: mediaDir });
  const locations = await t.tdb.db.selectFrom('locations').select(['id', 'slug']).execute();
  centrale = locations.find((l) => l.slug === 'bistro-centrale')!.id;
  harbor = locations.find((l) => l.slug === 'harbor-bistro')!.id;
  itemId = (
    await t.tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', centrale).where('name', '=', 'Espresso').executeTakeFirstOrThrow()
  ).id;
  const run = randomBytes(4).toString('hex');
  const signedInUsers = await Promise.all([
    signedIn(`manager.${run}@example.com`, [{ locationId: centrale, role: 'manager' }]),
    signedIn(`harbor-manager.${run}@example.com`, [{ locationId: harbor, role: 'manager' }]),
    signedIn(`staff.${run}@example.com`, [{ locationId: centrale, role: 'staff' }]),
  ]);
  [manager, otherManager, staff] = signedInUsers.map((u) => u.client) as [BistroClient, BistroClient, BistroClient];
  managerToken = signedInUsers[0].token;
}, 60_000);

afterAll(async () => {
  await t?.close();
  if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
});

function form(fields: Record<string, string | Blob>, fileName = 'dish.jpg'): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') data.append(key, value);
    else data.append(key, value, fileName);
  }
  return data;
}

function file(bytes: Uint8Array, type = 'image/jpeg'): Blob {
  return new Blob([bytes], { type });
}

/** A camera photo: 2400×1800 pixels stored sideways, with EXIF orientation 6 (turn 90° clockwise) and a copyright note. */
async function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .composite([{ input: { create: { width: 600, height: 300, channels: 3, background: { r: 10, g: 10, b: 200 } } }, left: 100, top: 100 }])
    .jpeg({ quality: 85 })
    .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'Chef Secret', Artist: 'Line Cook' } } })
    .toBuffer();
}

/**
 * A PNG that claims 20000×20000 pixels (400 MP) in its header, followed by a little data: a
 * decompression bomb as far as any decoder that trusts the header is concerned.
 */
function hugePngHeader(width = 20_000, height = 20_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc((width * 3 + 1) * 16))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function stored(): Promise<string[]> {
  return (await readdir(mediaDir).catch(() => [])).sort();
}

async function photoKeyOf(id: string): Promise<string | null> {
  return (await t.tdb.db.selectFrom('menu_items').select('photo_key').where('id', '=', id).executeTakeFirstOrThrow()).photo_key;
}

async function fetchPhoto(path: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(t.url + path);
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the upload to be refused');
    },
    (error: unknown) => error,
  );
}

async function centraleMenu() {
  return manager.menu.get.query({ locationSlug: 'bistro-centrale' });
}

describe('menu photos through the wire', () => {
  it('turns a camera JPEG into upright WebPs at 320 and 1280 px wide, without EXIF, served immutable', async () => {
    const answer = await manager.menu.items.setPhoto.mutate(form({ itemId, photo: file(await cameraJpeg()) }));
    const key = await photoKeyOf(itemId);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(answer).toEqual({ itemId, photo: { small: `/media/${key}-320.webp`, large: `/media/${key}-1280.webp` } });
    expect(await stored()).toEqual([`${key}-1280.webp`, `${key}-320.webp`]);

    const large = await fetchPhoto(answer.photo.large);
    expect(large.status).toBe(200);
    expect(large.headers.get('content-type')).toBe('image/webp');
    expect(large.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(large.body).metadata();
    expect(meta.format).toBe('webp');
    // 2400×1800 sideways, turned upright (1800×2400), then scaled to 1280 wide.
    expect(meta.width).toBe(1280);
    expect(meta.height).toBe(1707);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(large.body.includes('Chef Secret')).toBe(false);
    // It really decodes: every pixel.
    const { info } = await sharp(large.body).raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(1280);

    const small = await sharp((await fetchPhoto(answer.photo.small)).body).metadata();
    expect([small.width, small.height, small.exif]).toEqual([320, 427, undefined]);

    const menuItem = (await centraleMenu()).categories.flatMap((c) => c.items).find((i) => i.id === itemId);
    expect(menuItem?.photo).toEqual(answer.photo);
  });

  it('never upscales a small photo', async () => {
    const tiny = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#3a7' } }).png().toBuffer();
    const other = (
      await t.tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', centrale).where('id', '!=', itemId).executeTakeFirstOrThrow()
    ).id;
    const answer = await manager.menu.items.setPhoto.mutate(form({ itemId: other, photo: file(tiny, 'image/png') }, 'tiny.png'));
    for (const path of [answer.photo.small, answer.photo.large]) {
      const meta = await sharp((await fetchPhoto(path)).body).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 200, 100]);
    }
    await manager.menu.items.removePhoto.mutate({ itemId: other });
  });

  it('deletes the old files when a photo is replaced, and the menu version moves on', async () => {
    const before = await photoKeyOf(itemId);
    const versionBefore = (await centraleMenu()).location.version;
    const png = await sharp({ create: { width: 1500, height: 1000, channels: 4, background: { r: 0, g: 120, b: 60, alpha: 1 } } }).png().toBuffer();
    const answer = await manager.menu.items.setPhoto.mutate(form({ itemId, photo: file(png, 'image/png') }, 'plate.png'));
    const after = await photoKeyOf(itemId);
    expect(after).not.toBe(before);
    expect(await stored()).toEqual([`${after}-1280.webp`, `${after}-320.webp`]);
    expect((await fetchPhoto(`/media/${before}-1280.webp`)).status).toBe(404);
    expect((await fetchPhoto(answer.photo.large)).status).toBe(200);
    expect((await centraleMenu()).location.version).not.toBe(versionBefore);
    const audit = await t.tdb.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'menu.item_photo_set')
      .where('target_id', '=', itemId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ before: { photoKey: before }, after: { photoKey: after } });
  });

  it('accepts a WebP upload', async () => {
    const webp = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#c84' } }).webp().toBuffer();
    const answer = await manager.menu.items.setPhoto.mutate(form({ itemId, photo: file(webp, 'image/webp') }, 'x.webp'));
    expect((await sharp((await fetchPhoto(answer.photo.large)).body).metadata()).width).toBe(900);
    expect(await stored()).toHaveLength(2);
  });

  describe('a refused upload stores nothing and the server keeps serving', () => {
    const truncatedJpeg = async () => {
      const whole = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
        .jpeg()
        .toBuffer();
      return file(whole.subarray(0, Math.floor(whole.length / 2)));
    };
    const cases: [string, () => Promise<Blob> | Blob, string][] = [
      ['an .exe renamed .jpg', () => file(Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(4096)])), 'PHOTO_TYPE_NOT_ALLOWED'],
      ['an empty file', () => file(new Uint8Array(0)), 'PHOTO_EMPTY'],
      ['a 50 MB file', () => file(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(50 * 1024 * 1024)])), 'PHOTO_TOO_LARGE'],
      ['a photo of 5 MB and one byte', () => file(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * 1024 * 1024 - 3)])), 'PHOTO_TOO_LARGE'],
      ['a 20000×20000 PNG', () => file(hugePngHeader(), 'image/png'), 'PHOTO_TOO_MANY_PIXELS'],
      ['a truncated JPEG', truncatedJpeg, 'PHOTO_UNREADABLE'],
      ['an SVG declared as PNG', () => file(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png'), 'PHOTO_TYPE_NOT_ALLOWED'],
    ];

    for (const [what, make, code] of cases) {
      it(`refuses ${what} with ${code}`, async () => {
        const files = await stored();
        const key = await photoKeyOf(itemId);
        const version = (await centraleMenu()).location.version;
        const error = await refusal(manager.menu.items.setPhoto.mutate(form({ itemId, photo: await make() })));
        expect(bistroErrorCode(error)).toBe(code);
        expect(await stored()).toEqual(files);
        expect(await photoKeyOf(itemId)).toBe(key);
        const menu = await centraleMenu();
        expect(menu.location.version).toBe(version);
        expect(menu.categories.length).toBeGreaterThan(0);
      });
    }

    it('cuts off a 50 MB upload sent without a declared length once it passes the limit', async () => {
      const files = await stored();
      const boundary = `bistro${randomBytes(8).toString('hex')}`;
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="itemId"\r\n\r\n${itemId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
      let megabytes = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (megabytes === 0) controller.enqueue(Buffer.from(head + '\xff\xd8\xff\xe0', 'latin1'));
          if (megabytes === 50) {
            controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
            controller.close();
            return;
          }
          controller.enqueue(Buffer.alloc(1024 * 1024));
          megabytes += 1;
        },
      });
      const response = await fetch(`${t.url}/trpc/menu.items.setPhoto`, {
        method: 'POST',
        body,
        duplex: 'half',
        headers: { authorization: `Bearer ${managerToken}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(response.status).toBe(413);
      const answer = (await response.json()) as { error: { json: { data: { bistroCode: string } } } };
      expect(answer.error.json.data.bistroCode).toBe('PAYLOAD_TOO_LARGE');
      expect(await stored()).toEqual(files);
      expect((await centraleMenu()).categories.length).toBeGreaterThan(0);
    });

    it('refuses a form without a file, or with an unknown field, naming the field', async () => {
      const missing = await refusal(manager.menu.items.setPhoto.mutate(form({ itemId })));
      expect(bistroErrorCode(missing)).toBe('INVALID_INPUT');
      const extra = await refusal(manager.menu.items.setPhoto.mutate(form({ itemId, photo: file(await cameraJpeg()), priceMinor: '1' })));
      expect(bistroErrorCode(extra)).toBe('INVALID_INPUT');
      expect((extra as { data?: { fieldErrors?: unknown } }).data?.fieldErrors).toEqual({ priceMinor: ['Unknown field'] });
    });
  });

  it('answers NOT_FOUND to staff and to a manager of another location, storing nothing', async () => {
    const files = await stored();
    const key = await photoKeyOf(itemId);
    const photo = file(await cameraJpeg());
    for (const caller of [staff, otherManager]) {
      expect(bistroErrorCode(await refusal(caller.menu.items.setPhoto.mutate(form({ itemId, photo }))))).toBe('NOT_FOUND');
      expect(bistroErrorCode(await refusal(caller.menu.items.removePhoto.mutate({ itemId })))).toBe('NOT_FOUND');
    }
    const anonymous = createBistroClient({ url: t.url });
    expect(bistroErrorCode(await refusal(anonymous.menu.items.setPhoto.mutate(form({ itemId, photo }))))).toBe('UNAUTHORIZED');
    expect(await stored()).toEqual(files);
    expect(await photoKeyOf(itemId)).toBe(key);
  });

  it('serves only hash-named files: no path traversal, no other names', async () => {
    for (const path of ['/media/..%2F..%2F..%2Fetc%2Fpasswd', '/media/../package.json', '/media/%2e%2e', `/media/${'a'.repeat(32)}-640.webp`, '/media/x.webp']) {
      const response = await fetch(t.url + path);
      const type = response.headers.get('content-type') ?? '';
      expect(type, path).not.toMatch(/^image\//);
      // `..` is resolved before sending (`/media/%2e%2e` asks for `/`, which is the web app's page): never a file of the server's.
      if (new URL(t.url + path).pathname.startsWith('/media/')) expect(response.status, path).toBe(404);
      else expect(await response.text(), path).not.toContain('"workspaces"');
    }
  });

  it('removePhoto deletes the files and clears the photo from the menu', async () => {
    const key = await photoKeyOf(itemId);
    expect(key).not.toBeNull();
    expect(await manager.menu.items.removePhoto.mutate({ itemId })).toEqual({ itemId, photo: null });
    expect(await photoKeyOf(itemId)).toBeNull();
    expect(await stored()).toEqual([]);
    expect((await fetchPhoto(`/media/${key}-320.webp`)).status).toBe(404);
    const menuItem = (await centraleMenu()).categories.flatMap((c) => c.items).find((i) => i.id === itemId);
    expect(menuItem?.photo).toBeNull();
    // Removing again changes nothing.
    expect(await manager.menu.items.removePhoto.mutate({ itemId })).toEqual({ itemId, photo: null });
  });
});

describe('photo storage configuration', () => {
  it('keeps photos in DATA_DIR/media unless MEDIA_DIR says otherwise', () => {
    expect(loadConfig({ DATA_DIR: '/srv/bistro' }).mediaDir).toBe('/srv/bistro/media');
    expect(loadConfig({ MEDIA_DIR: '/srv/photos' }).mediaDir).toBe('/srv/photos');
  });

  it('refuses a partial S3 configuration, naming each missing variable', () => {
    const error = (() => {
      try {
        loadConfig({ S3_BUCKET: 'bistro-photos', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['S3_REGION', 'S3_SECRET_ACCESS_KEY']);
    expect((error as ConfigError).message).not.toContain('AKIAEXAMPLE');
  });

  it('stores photos in the bucket when S3 is configured', async () => {
    const config = loadConfig({
      S3_BUCKET: 'bistro-photos',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'bistro',
      S3_SECRET_ACCESS_KEY: 'not-a-real-secret',
    });
    expect(config.s3).toMatchObject({ bucket: 'bistro-photos', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1' });
    const storage = createMediaStorage(config);
    expect(storage).toBeInstanceOf(S3MediaStorage);
    expect(storage.url('0123456789abcdef0123456789abcdef-320.webp')).toBe('/media/0123456789abcdef0123456789abcdef-320.webp');
    // Names that aren't photo files are never asked for.
    expect(await storage.get('../secrets')).toBeNull();
    await (storage as S3MediaStorage).close();
  });
});
