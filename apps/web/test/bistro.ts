import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { expect } from 'vitest';
import { createBistroClient } from '@bistro/client';
import { createUser, demoLocationIds, type TestUser } from '../../../packages/api/test/helpers.js';
import { startTestServer, type TestServer } from '../../server/test/helpers.js';

/**
 * What the browser tests share: a real Bistro (real PostgreSQL, the demo data, the built web app)
 * and a real Chromium driven by playwright-core, plus axe-core and screenshots on every state.
 */

/** The instant both clocks stand at: Tuesday 1 December 2026, 13:00 in New York, 19:00 in Paris (both open). */
export const NOW = new Date('2026-12-01T18:00:00Z');
export const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 860 };
const ARTIFACTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const README_SCREENS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** A free port, so the server's PUBLIC_URL (links in emails, the allowed origin) is its real address. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface Bistro extends TestServer {
  harborId: string;
  centraleId: string;
  /** A client signed in as staff of Harbor Bistro (the kitchen bumping orders). */
  kitchen: ReturnType<typeof createBistroClient>;
  /** A client signed in as Harbor Bistro's manager. */
  manager: ReturnType<typeof createBistroClient>;
}

/** Bistro on a free port with the demo group, serving apps/web's build, its clock at NOW. */
export async function startBistro(env: Record<string, string> = {}): Promise<Bistro> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await startTestServer(
    { PORT: String(port), PUBLIC_URL: url, WEB_DIR: WEB_DIST, BISTRO_DATA_KEYS: `web:${randomBytes(32).toString('base64')}`, ...env },
    { now: () => NOW },
  );
  const { harbor, centrale } = await demoLocationIds(t.tdb.db);
  const staff = await createUser(t.tdb.db, { roles: [{ locationId: harbor, role: 'staff' }] });
  const manager = await createUser(t.tdb.db, { roles: [{ locationId: harbor, role: 'manager' }] });
  return {
    ...t,
    harborId: harbor,
    centraleId: centrale,
    kitchen: createBistroClient({ url: t.url, token: staff.token }),
    manager: createBistroClient({ url: t.url, token: manager.token }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * A phone-sized page on Bistro, its clock at NOW (timers run: debounces and reconnections work),
 * in a time zone other than the restaurants' (so times show their zone).
 */
export async function openPhone(browser: Browser, bistro: Bistro): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: bistro.url, viewport: PHONE, timezoneId: 'Europe/Lisbon', locale: 'en-GB', hasTouch: true });
  const page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  return { context, page };
}

/** What axe found on each state visited: every test checks 0 serious or critical violations. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 200)}`).join(' | ')}`);
  expect(bad, `axe on ${state}`).toEqual([]);
}

/** Mobile first: nothing wider than the screen, and every button at least 44 px tall and wide. */
export async function expectPhoneFriendly(page: Page, state: string): Promise<void> {
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    small: [...document.querySelectorAll('button, [role="radio"], [role="checkbox"], input')]
      .map((el) => {
        // A radio or checkbox input of React Aria is visually hidden inside its 44 px label.
        const target = el.closest('label') ?? el;
        const box = target.getBoundingClientRect();
        return { name: (target.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 30), w: box.width, h: box.height, hidden: box.width === 0 || getComputedStyle(target).visibility === 'hidden' };
      })
      .filter((b) => !b.hidden && (b.h < 44 || b.w < 44)),
  }));
  expect(layout.scrollWidth, `horizontal scroll on ${state}`).toBeLessThanOrEqual(layout.width);
  expect(layout.small, `touch targets under 44 px on ${state}`).toEqual([]);
}

/**
 * A screenshot at phone and desktop size, written as a test artifact (apps/web/test-results);
 * `npm run screenshots` also refreshes the README's pictures (small JPEGs, apps/web/screenshots).
 */
export async function screenshots(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const forReadme = process.env.BISTRO_README_SCREENSHOTS === '1';
  if (forReadme) mkdirSync(README_SCREENS, { recursive: true });
  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(viewport);
    // Fonts and lazy photos settle before the picture.
    await page.evaluate(() => document.fonts.ready);
    const png = await page.screenshot({ fullPage: (options.fullPage ?? true) && size === 'phone' });
    writeFileSync(`${ARTIFACTS}${name}-${size}.png`, png);
    if (forReadme) writeFileSync(`${README_SCREENS}${name}-${size}.jpg`, await page.screenshot({ type: 'jpeg', quality: 60, fullPage: false }));
  }
  await page.setViewportSize(PHONE);
}

/** Every /trpc request the page sends, by procedure path (a batch counts once). */
export function apiRequests(page: Page): { paths: string[]; etags: (string | null)[] } {
  const seen = { paths: [] as string[], etags: [] as (string | null)[] };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/trpc/')) seen.paths.push(decodeURIComponent(url.pathname.slice('/trpc/'.length)));
  });
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/trpc/menu.get') seen.etags.push(response.headers().etag ?? null);
  });
  return seen;
}

/** Chooses a radio or checkbox as a person does: a tap on its label (React Aria hides the native input inside it). */
export async function pick(choice: Locator): Promise<void> {
  await choice.locator('xpath=ancestor::label[1]').click();
  if (!(await choice.isChecked())) throw new Error('the choice did not take');
}

/** A desktop-sized page (the console is a working screen), its clock at NOW. */
export async function openDesktop(browser: Browser, bistro: Bistro): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: bistro.url, viewport: DESKTOP, timezoneId: 'Europe/Lisbon', locale: 'en-GB' });
  const page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  return { context, page };
}

/** Signs in through the sign-in page, as a person does, and lands where `next` pointed. */
export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.getByRole('textbox', { name: 'Email' }).fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A new manager of Harbor Bistro, signed in on a desktop page at a console page (`/manage/menu`: its heading is `heading`). */
export async function managerAt(
  browser: Browser,
  bistro: Bistro,
  path = '/manage/menu',
  heading = 'Menu',
): Promise<{ context: BrowserContext; page: Page; manager: TestUser }> {
  const manager = await createUser(bistro.tdb.db, { roles: [{ locationId: bistro.harborId, role: 'manager' }] });
  const { context, page } = await openDesktop(browser, bistro);
  await page.goto(path);
  await signIn(page, manager);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  return { context, page, manager };
}

/** A photo of a dish as a phone takes it: a JPEG, made with sharp. */
export async function dishPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="1200" height="900" fill="#6b3e26"/>
    <circle cx="600" cy="450" r="330" fill="#f4efe6"/>
    <circle cx="600" cy="450" r="250" fill="#e9e1d2"/>
    <ellipse cx="600" cy="420" rx="190" ry="70" fill="#c98a3c"/>
    <rect x="420" y="430" width="360" height="40" rx="12" fill="#5a2d14"/>
    <rect x="430" y="470" width="340" height="18" rx="8" fill="#3f8f3a"/>
    <ellipse cx="600" cy="510" rx="190" ry="45" fill="#d49a4a"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** In the menu editor: a new category, then a new item in it; answers the item's editor (the dialog stays open). */
export async function addItem(page: Page, item: { category: string; name: string; description: string; price: string }): Promise<Locator> {
  await page.getByRole('textbox', { name: 'New category' }).fill(item.category);
  await page.getByRole('button', { name: 'Add category' }).click();
  await page.getByRole('heading', { level: 2, name: item.category }).waitFor();
  await page.getByRole('button', { name: `Add an item to ${item.category}` }).click();
  const dialog = page.getByRole('dialog', { name: 'New item' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(item.name);
  await dialog.getByRole('textbox', { name: /Description/ }).fill(item.description);
  await dialog.getByRole('textbox', { name: /^Price/ }).fill(item.price);
  return dialog;
}

/** Creates the item `addItem` filled in; answers its editor once it opened. */
export async function createItem(page: Page, dialog: Locator, name: string): Promise<Locator> {
  await dialog.getByRole('button', { name: 'Create item' }).click();
  const editor = page.getByRole('dialog', { name: `Edit ${name}` });
  await editor.waitFor();
  return editor;
}

/** In an item's editor: uploads `dishPhoto()` and waits for the server to store it. */
export async function uploadPhoto(editor: Locator, file = 'dish.jpg'): Promise<void> {
  await editor.getByLabel('Choose a photo').setInputFiles({ name: file, mimeType: 'image/jpeg', buffer: await dishPhoto() });
  await editor.getByText('Photo saved.').waitFor();
}

/** In an item's editor: a required choice of exactly one of `options` (name, price change); answers the choice's group. */
export async function addRequiredChoice(editor: Locator, itemName: string, choiceName: string, options: [string, string?][]): Promise<Locator> {
  await editor.getByRole('button', { name: `Add a choice to ${itemName}` }).click();
  const choice = editor.getByRole('form', { name: `New choice for ${itemName}` });
  await choice.getByRole('textbox', { name: /Choice name/ }).fill(choiceName);
  await choice.getByRole('textbox', { name: /At least/ }).fill('1');
  await choice.getByRole('textbox', { name: /At most/ }).fill('1');
  for (const [i, [name, price]] of options.entries()) {
    if (i > 0) await choice.getByRole('button', { name: 'Add an option' }).click();
    await choice.getByRole('textbox', { name: new RegExp(`^Option ${i + 1}\\b(?! price)`) }).fill(name);
    if (price !== undefined) await choice.getByRole('textbox', { name: new RegExp(`^Option ${i + 1} price change`) }).fill(price);
  }
  await choice.getByRole('button', { name: 'Add choice' }).click();
  const group = editor.getByRole('group', { name: `Choice ${choiceName}` });
  await group.waitFor();
  return group;
}
