import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { startTestServer, type TestServer } from './helpers.js';
import { allDayLocation } from '@bistro/db/testing';

let s: TestServer;
let placed: { id: string; number: string; trackingToken: string };

beforeAll(async () => {
  s = await startTestServer({ BISTRO_DATA_KEYS: `rc:${randomBytes(32).toString('base64')}`, WORKERS: 'false' });
  const db = s.tdb.db;
  const { slug, item } = await allDayLocation(db, {
    slug: `receipt-${randomUUID().slice(0, 8)}`,
    name: 'Chez <Receipt>',
    address: '3 Rue du Port\nMarseille',
    timeZone: 'Asia/Tokyo',
    currency: 'JPY',
  });
  const ramen = await item('Ramen', 1200);
  placed = await createBistroClient({ url: s.url }).orders.place.mutate({
    locationSlug: slug,
    type: 'pickup',
    lines: [{ itemId: ramen, quantity: 2, options: [], note: 'No <onions>' }],
    contact: { name: 'Secret Guestname', email: 'secret.guest@example.com', phone: '+81 3 1234 5678' },
    idempotencyKey: randomUUID(),
  });
});
afterAll(() => s?.close());

describe('the receipt page /r/:trackingToken', () => {
  it('is HTML from the server with the location, number, lines, tax and total, no script and no personal data', async () => {
    const res = await fetch(`${s.url}/r/${placed.trackingToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('Chez &lt;Receipt&gt;');
    expect(html).toContain('3 Rue du Port<br>Marseille');
    expect(html).toContain(placed.number);
    expect(html).toContain('2 × Ramen');
    expect(html).toContain('Note: No &lt;onions&gt;');
    // 2 × ¥1,200 and 10 % tax: ¥2,640 in yen, which has no minor digits.
    expect(html).toContain('¥2,400');
    expect(html).toContain('¥240');
    expect(html).toContain('¥2,640');
    expect(html).toMatch(/GMT\+9/);
    expect(html).not.toMatch(/<script|<img|<link|https?:\/\//i);
    expect(html).not.toMatch(/Secret|secret\.guest|1234 5678/);
  });

  it('answers 404 with the same body for a wrong secret, an unknown order and a malformed token', async () => {
    const raw = Buffer.from(placed.trackingToken, 'base64url');
    raw[31] = raw[31]! ^ 1;
    const wrongSecret = raw.toString('base64url');
    const unknownOrder = Buffer.concat([randomBytes(16), raw.subarray(16)]).toString('base64url');
    const answers = await Promise.all(
      [wrongSecret, unknownOrder, 'not-a-token', 'A'.repeat(43)].map(async (token) => {
        const res = await fetch(`${s.url}/r/${token}`);
        return [res.status, await res.text()];
      }),
    );
    expect(answers).toEqual(Array.from({ length: 4 }, () => [404, 'Not found']));
  });
});
