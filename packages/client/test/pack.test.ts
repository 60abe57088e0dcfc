/**
 * @bistro/client as a stranger installs it: `npm pack`, then a project in the system's temp
 * folder, outside this workspace, with only the tarball, typescript and the declared peers.
 * Its consumer must type-check with skipLibCheck on and off, and the `@ts-expect-error`s on a
 * wrong input and a misspelled procedure must be used (were the client `any`, they would not
 * be, and tsc fails); then the same consumer runs against a real Bistro.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../apps/server/test/helpers.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const rootManifest = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };

const CONSUMER = `
import { bistroErrorCode, bistroFieldErrors, createBistroClient, formatMoney, money, type RouterInputs, type RouterOutputs } from '@bistro/client';

type Location = RouterOutputs['locations']['list'][number];

export async function main(url: string, email: string): Promise<string[]> {
  const bistro = createBistroClient({ url });
  const [first]: Location[] = await bistro.locations.list.query();
  if (!first) throw new Error('no location');
  const menu = await bistro.menu.get.query({ locationSlug: first.slug });
  const price: number = menu.categories[0]?.items[0]?.priceMinor ?? 0;
  let code: string | undefined;
  try {
    await bistro.menu.get.query({ locationSlug: 'nowhere-at-all' });
  } catch (error) {
    code = bistroErrorCode(error);
  }
  const password = 'a long walk to the market';
  let emailErrors: string[] | undefined;
  try {
    await bistro.auth.signUp.mutate({ email: 'not an address', password, name: 'Packed Client' });
  } catch (error) {
    emailErrors = bistroFieldErrors<RouterInputs['auth']['signUp']>(error).email;
  }
  await bistro.auth.signUp.mutate({ email, password, name: 'Packed Client' });
  const { token } = await bistro.auth.signIn.mutate({ email, password, mode: 'token' });
  const tokenText: string = token;
  const me = await createBistroClient({ url, token: tokenText }).auth.me.query();
  return [first.slug, formatMoney(money(price, menu.location.currency)), String(code), me?.email ?? 'nobody', String(emailErrors?.length)];
}

// Never called: only compiled. Each line must fail to compile, or tsc reports an unused directive.
export async function misuse(url: string): Promise<void> {
  const bistro = createBistroClient({ url });
  // @ts-expect-error a wrong input: locationSlug is a string
  await bistro.menu.get.query({ locationSlug: 42 });
  // @ts-expect-error a misspelled procedure
  await bistro.menu.gett.query({ locationSlug: 'harbor-bistro' });
  // @ts-expect-error a cookie sign-in carries no token
  const token: string = (await bistro.auth.signIn.mutate({ email: 'a@b.example', password: 'x' })).token;
  void token;
}
`;

/** The README's quick example, as a user would paste it. */
const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const EXAMPLE = /## Quick example\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

const RUNNER = `
import { main } from './consumer.ts';
console.log(JSON.stringify(await main(process.argv[2], process.argv[3])));
`;

function tsconfig(skipLibCheck: boolean) {
  return {
    compilerOptions: {
      target: 'ES2022',
      // ESNext.Disposable: tRPC's own declarations name Disposable, checked with skipLibCheck false.
      lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck,
      noEmit: true,
      types: [],
    },
    files: ['consumer.ts', 'example.ts'],
  };
}

let project = '';
let server: TestServer | undefined;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'bistro-client-consumer-'));
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

// npm install and tsc take a while on a machine that runs the whole suite at once.
describe('@bistro/client installed from its tarball outside the workspace', { timeout: 300_000 }, () => {
  let manifest: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; version: string };

  it('packs dist and the README, with no workspace package among its dependencies', async () => {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], { cwd: packageDir });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path).sort();
    expect(files).toEqual(expect.arrayContaining(['README.md', 'dist/index.d.ts', 'dist/index.js', 'dist/node.js', 'package.json']));
    expect(files.filter((f) => !f.startsWith('dist/') && f !== 'README.md' && f !== 'package.json')).toEqual([]);
    await run('tar', ['-xzf', packed!.filename, 'package/package.json'], { cwd: project });
    manifest = JSON.parse(await readFile(join(project, 'package/package.json'), 'utf8'));
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(['eventsource', 'superjson']);
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual(['@trpc/client', '@trpc/server']);

    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'bistro-consumer',
        private: true,
        type: 'module',
        dependencies: { '@bistro/client': `file:./${packed!.filename}`, ...manifest.peerDependencies, typescript: rootManifest.devDependencies.typescript },
      }),
    );
    // From the registry (through npm's cache): a network hiccup there (a refused TLS handshake, a
    // stalled download) is not a fault of the package, so the install is tried up to three times.
    for (let attempt = 1; ; attempt++) {
      try {
        await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', '--fetch-timeout=60000'], { cwd: project });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
    // Only what was asked for: none of the API's dependencies came along.
    const { stdout: tree } = await run('npm', ['ls', '--all', '--parseable'], { cwd: project });
    expect(tree).not.toMatch(/node_modules\/(@bistro\/(api|db|domain)|kysely|pg|pino|ioredis|zod|@types\/node)(\/|$)/m);
  });

  it.each([true, false])('type-checks a consumer with skipLibCheck %s, where misuse must not compile', async (skipLibCheck) => {
    await writeFile(join(project, 'consumer.ts'), CONSUMER);
    expect(EXAMPLE).toContain('createBistroClient');
    await writeFile(join(project, 'example.ts'), EXAMPLE);
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig(skipLibCheck)));
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe('');
  });

  it('calls a running Bistro: queries, a typed error code, field errors, a token sign-in', async () => {
    await writeFile(join(project, 'run.mjs'), RUNNER);
    const email = `packed.${Date.now()}@bistro.test`;
    // Node runs the TypeScript consumer as is (by default from Node 23.6; the flag is for Node 22).
    const { stdout } = await run(process.execPath, ['--experimental-strip-types', 'run.mjs', server!.url, email], { cwd: project });
    const [slug, price, code, me, emailErrors] = JSON.parse(stdout) as string[];
    expect(slug).toMatch(/^[a-z0-9-]+$/);
    expect(price).toMatch(/\d/);
    expect(code).toBe('NOT_FOUND');
    expect(me).toBe(email);
    expect(emailErrors).toBe('1');
  });

  it("runs the README's quick example", async () => {
    await writeFile(join(project, 'example.ts'), EXAMPLE.replace('http://localhost:3000', server!.url));
    const { stdout } = await run(process.execPath, ['--experimental-strip-types', 'example.ts'], { cwd: project });
    expect(stdout).toMatch(/^.+ \d+\nno such restaurant\n$/);
  });
});
