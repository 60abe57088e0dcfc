/**
 * The app's one clock. Every "now" and "today" on a page comes from here (never a bare
 * `new Date()` in a component), so the browser tests set it with Playwright's clock to the same
 * instant as the server's injected clock.
 */
export function now(): Date {
  // The process edge: the browser's own clock.
  // eslint-disable-next-line no-restricted-syntax
  return new Date();
}
