/**
 * The time a manager waits for a camera-sized photo: a 4000×3000 JPEG uploaded as multipart to
 * `menu.items.setPhoto` on a real Bistro server (checked, decoded, turned upright, re-encoded to
 * two WebPs, stored, recorded), one upload at a time.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { Passwords } from '@bistro/api';
import type { TestDatabase } from '@bistro/db/testing';
import { percentile, positiveInt, withBenchServer } from './shared.js';

const PASSWORD = 'bench-photo-manager-42';

/** A 4000×3000 photo with some detail (blurred noise over a gradient), about what a phone sends. */
async function cameraJpeg(): Promise<Buffer> {
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000"><defs><linearGradient id="g"><stop offset="0" stop-color="#a33"/><stop offset="1" stop-color="#fc6"/></linearGradient></defs><rect width="4000" height="3000" fill="url(#g)"/></svg>`,
  );
  const noise = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
    .blur(1.2)
    .png()
    .toBuffer();
  return sharp(gradient).composite([{ input: noise, blend: 'soft-light' }]).jpeg({ quality: 85 }).withMetadata({ orientation: 1 }).toBuffer();
}

/** The same photo with a different comment segment, so each upload is new content (a new hash). */
function variant(jpeg: Buffer, n: number): Buffer {
  const comment = Buffer.from(`bench upload ${n}`);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(comment.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xfe]), length, comment, jpeg.subarray(2)]);
}

/** Runs the upload benchmark against `tdb` (a seeded database) and returns its line. */
export async function benchPhotoUpload(tdb: TestDatabase): Promise<string> {
  const uploads = positiveInt('BENCH_PHOTO_UPLOADS', 30);
  return withBenchServer(tdb, { dirPrefix: 'bistro-bench-media-', env: (dir) => ({ MEDIA_DIR: join(dir, 'media') }) }, async (url) => {
    const location = await tdb.db.selectFrom('locations').select('id').where('slug', '=', 'bistro-centrale').executeTakeFirstOrThrow();
    const item = await tdb.db.selectFrom('menu_items').select('id').where('location_id', '=', location.id).executeTakeFirstOrThrow();
    const email = `bench.photos.${randomBytes(4).toString('hex')}@bistro.localhost`;
    const user = await tdb.db
      .insertInto('users')
      .values({ email, name: 'Bench Manager', password_hash: await new Passwords().hash(PASSWORD) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tdb.db.insertInto('location_roles').values({ user_id: user.id, location_id: location.id, role: 'manager' }).execute();
    const signIn = await fetch(`${url}/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email, password: PASSWORD, mode: 'token' } }),
    });
    const token = ((await signIn.json()) as { result?: { data?: { json?: { token?: string } } } }).result?.data?.json?.token;
    if (!token) throw new Error(`photo upload bench: sign-in failed (${signIn.status})`);

    const jpeg = await cameraJpeg();
    console.error(`  photo upload: a ${(jpeg.length / 1024 / 1024).toFixed(1)} MB 4000x3000 JPEG, 3 warm-up + ${uploads} uploads`);
    const upload = async (n: number): Promise<number> => {
      const form = new FormData();
      form.append('itemId', item.id);
      form.append('photo', new Blob([variant(jpeg, n)], { type: 'image/jpeg' }), 'dish.jpg');
      const started = performance.now();
      const response = await fetch(`${url}/trpc/menu.items.setPhoto`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      const body = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`photo upload bench: upload answered ${response.status}: ${body.slice(0, 300)}`);
      return ms;
    };
    for (let n = 0; n < 3; n += 1) await upload(-1 - n);
    const times: number[] = [];
    for (let n = 0; n < uploads; n += 1) times.push(await upload(n));
    times.sort((a, b) => a - b);
    return `photo upload 4000x3000: p50 ${Math.round(percentile(times, 50))} ms, p99 ${Math.round(percentile(times, 99))} ms (${uploads} uploads)`;
  });
}
