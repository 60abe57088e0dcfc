// Loaded by every test file when BISTRO_FAKE_NOW is set (`npm run test:future`): the process's
// clock (Date only; timers stay real) starts at that instant and runs on from there, so the
// suite proves it passes on a date other than today. PostgreSQL's clock is NOT moved: a query
// that reads the database's now() instead of the request's ctx.now() shows up as a failure.
import FakeTimers from '@sinonjs/fake-timers';

const at = new Date(process.env.BISTRO_FAKE_NOW ?? '');
if (Number.isNaN(at.getTime())) throw new Error(`BISTRO_FAKE_NOW is not a date: ${process.env.BISTRO_FAKE_NOW}`);
FakeTimers.withGlobal(globalThis).install({ now: at, toFake: ['Date'], shouldAdvanceTime: true });
