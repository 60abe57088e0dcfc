import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { DataKeys } from '@bistro/api';
import { startTestServer, type TestServer } from './helpers.js';

/**
 * RFC 8058 one-click unsubscribe over a real socket: the mail client POSTs
 * `List-Unsubscribe=One-Click` to the List-Unsubscribe link, with no cookie and no sign-in.
 */

const keySpec = `nl:${randomBytes(32).toString('base64')}`;
let s: TestServer;
let token: string;
let subscriberId: string;

beforeAll(async () => {
  s = await startTestServer({ BISTRO_DATA_KEYS: keySpec, WORKERS: 'false' });
  await createBistroClient({ url: s.url }).newsletter.subscribe.mutate({ email: 'one.click@example.com' });
  // The subscription is written after the answer (the same answer for known and unknown addresses).
  let row;
  while (!(row = await s.tdb.db.selectFrom('newsletter_subscribers').select(['id', 'unsubscribe_sealed']).executeTakeFirst())) await sleep(50);
  subscriberId = row.id;
  token = DataKeys.parse(keySpec).decrypt(row.unsubscribe_sealed, `newsletter_subscribers.unsubscribe:${row.id}`);
});
afterAll(() => s?.close());

const status = async () => (await s.tdb.db.selectFrom('newsletter_subscribers').select('status').where('id', '=', subscriberId).executeTakeFirstOrThrow()).status;

function oneClick(query: string) {
  return fetch(`${s.url}/newsletter/unsubscribe${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
}

describe('POST /newsletter/unsubscribe?token=…', () => {
  it('unsubscribes without sign-in, answering 200, and answers 200 again when repeated', async () => {
    expect(await status()).toBe('pending');
    const first = await oneClick(`?token=${token}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(await status()).toBe('unsubscribed');
    const again = await oneClick(`?token=${token}`);
    expect(again.status).toBe(200);
    expect(await status()).toBe('unsubscribed');
  });

  it('takes a multipart body too (some mail clients send one)', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(`${s.url}/newsletter/unsubscribe?token=${token}`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
  });

  it('answers 400 for a missing, malformed or unknown token, and changes nothing', async () => {
    expect((await oneClick('')).status).toBe(400);
    expect((await oneClick('?token=short')).status).toBe(400);
    expect((await oneClick(`?token=${'z'.repeat(43)}`)).status).toBe(400);
  });
});
