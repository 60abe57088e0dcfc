/**
 * What @bistro/client costs a front end's editor: `tsc --extendedDiagnostics` on a consumer that
 * uses the published declarations (packages/client/dist/index.d.ts) as an app screen would,
 * counting type instantiations (budget: under 10,000). Then the same consumer against a stress
 * router: the same declarations with the router's areas copied five times under new names (5×
 * the procedures), which should cost the consumer about the same, since tRPC's client types
 * resolve only the procedures a consumer touches.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const CONSUMER = `
import { bistroErrorCode, bistroFieldErrors, createBistroClient, formatMoney, money, type RouterInputs, type RouterOutputs } from './bistro.js';

type Menu = RouterOutputs['menu']['get'];

export async function screen(url: string, locationSlug: string): Promise<string> {
  const bistro = createBistroClient({ url });
  const { token } = await bistro.auth.signIn.mutate({ email: 'cook@bistro.example', password: 'secret', mode: 'token' });
  const staff = createBistroClient({ url, token });
  const locations = await bistro.locations.list.query();
  const menu: Menu = await bistro.menu.get.query({ locationSlug });
  const item = menu.categories[0]?.items[0];
  try {
    await bistro.orders.place.mutate({
      idempotencyKey: crypto.randomUUID(),
      locationSlug,
      type: 'pickup',
      contact: { name: 'Ada' },
      lines: [{ itemId: item?.id ?? '', quantity: 1 }],
    });
  } catch (error) {
    if (bistroErrorCode(error) === 'SOLD_OUT') return 'sold out';
    return bistroFieldErrors<RouterInputs['orders']['place']>(error)['lines.0.quantity']?.[0] ?? 'refused';
  }
  const queue = await staff.kitchen.queue.query({ locationId: menu.location.id });
  const feed = staff.kitchen.onTickets.subscribe({ locationId: menu.location.id }, { onData: (event) => console.log(event.id) });
  feed.unsubscribe();
  const me = await staff.auth.me.query();
  return [locations.length, queue.tickets.length, me?.email, formatMoney(money(item?.priceMinor ?? 0, menu.location.currency))].join(' ');
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  },
  files: ['consumer.ts'],
};

/** The declarations with every area of the router copied `times` times, under new names. */
export function stressed(declarations: string, times: number): string {
  const lines = declarations.split('\n');
  const start = lines.findIndex((line) => line.startsWith('declare const appRecord: {'));
  const end = lines.findIndex((line, i) => i > start && line === '};');
  if (start < 0 || end < 0) throw new Error('client-types bench: no appRecord in the declarations');
  const body = lines.slice(start + 1, end);
  const copies = Array.from({ length: times - 1 }, (_, k) => body.map((line) => line.replace(/^ {4}(\w+): /, `    $1_${k + 2}: `)));
  return [...lines.slice(0, end), ...copies.flat(), ...lines.slice(end)].join('\n');
}

async function instantiations(dir: string, declarations: string): Promise<number> {
  await writeFile(join(dir, 'bistro.d.ts'), declarations);
  const { stdout } = await run(process.execPath, [tsc, '-p', dir, '--extendedDiagnostics'], { cwd: dir }).catch((error: { stdout: string }) => {
    throw new Error(`client-types bench: the consumer does not compile:\n${error.stdout}`);
  });
  const count = /^Instantiations:\s+(\d+)/m.exec(stdout)?.[1];
  if (!count) throw new Error(`client-types bench: no instantiation count in\n${stdout}`);
  return Number(count);
}

export async function benchClientTypes(): Promise<string> {
  const declarations = await readFile(join(root, 'packages/client/dist/index.d.ts'), 'utf8');
  const dir = await mkdtemp(join(tmpdir(), 'bistro-client-types-'));
  try {
    // The consumer resolves @trpc/* from the workspace's node_modules.
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    await writeFile(join(dir, 'consumer.ts'), CONSUMER);
    const one = await instantiations(dir, declarations);
    const five = await instantiations(dir, stressed(declarations, 5));
    const over = one >= 10_000 ? ', OVER BUDGET' : '';
    return `client types: ${one} instantiations (1x), ${five} (5x stress router), ratio ${(five / one).toFixed(2)} (budget 10000 at 1x${over})`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchClientTypes());
