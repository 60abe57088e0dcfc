import { createRootRoute, createRoute, createRouter } from '@tanstack/react-router';
import { RootLayout, NotFound } from './components/Layout';
import { manageSearch } from './manage/search';

/**
 * Every screen, with typed paths and search parameters. Each screen's code is loaded when it is
 * first visited (`.lazy`), so areas split: the guest's pages never download the accounts pages,
 * nor the kitchen's and manager's (issue 13 adds them here, lazily, under /kitchen and /manage).
 */
const rootRoute = createRootRoute({ component: RootLayout, notFoundComponent: NotFound });

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// ---- guest
const locationsRoute = createRoute({ getParentRoute: () => rootRoute, path: '/' }).lazy(() => import('./routes/locations').then((m) => m.Route));
const menuRoute = createRoute({ getParentRoute: () => rootRoute, path: '/l/$slug' }).lazy(() => import('./routes/menu').then((m) => m.Route));
const cartRoute = createRoute({ getParentRoute: () => rootRoute, path: '/l/$slug/cart' }).lazy(() => import('./routes/cart').then((m) => m.Route));
const checkoutRoute = createRoute({ getParentRoute: () => rootRoute, path: '/l/$slug/checkout' }).lazy(() =>
  import('./routes/checkout').then((m) => m.Route),
);
/** The tracking page: the token rides in the query string, which Bistro never writes to its logs. */
export const trackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/track',
  validateSearch: (search: Record<string, unknown>) => ({ order: text(search.order) }),
}).lazy(() => import('./routes/track').then((m) => m.Route));

// ---- payments (issue 14): the sandbox provider's own page, and Stripe's Payment Element
export const paySandboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/pay/sandbox',
  validateSearch: (search: Record<string, unknown>) => ({ order: text(search.order) }),
}).lazy(() => import('./routes/pay-sandbox').then((m) => m.Route));
export const payStripeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/pay/stripe',
  validateSearch: (search: Record<string, unknown>) => ({ order: text(search.order) }),
}).lazy(() => import('./routes/pay-stripe').then((m) => m.Route));

// ---- accounts (the links in Bistro's emails land on /verify-email and /reset-password)
export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>) => ({ next: text(search.next) || undefined }),
}).lazy(() => import('./routes/account').then((m) => m.SignInRoute));
const signUpRoute = createRoute({ getParentRoute: () => rootRoute, path: '/sign-up' }).lazy(() => import('./routes/account').then((m) => m.SignUpRoute));
export const verifyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/verify-email',
  validateSearch: (search: Record<string, unknown>) => ({ token: text(search.token) }),
}).lazy(() => import('./routes/account').then((m) => m.VerifyRoute));
const forgotRoute = createRoute({ getParentRoute: () => rootRoute, path: '/forgot-password' }).lazy(() => import('./routes/account').then((m) => m.ForgotRoute));
export const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: (search: Record<string, unknown>) => ({ token: text(search.token) }),
}).lazy(() => import('./routes/account').then((m) => m.ResetRoute));
const myOrdersRoute = createRoute({ getParentRoute: () => rootRoute, path: '/account/orders' }).lazy(() =>
  import('./routes/account').then((m) => m.MyOrdersRoute),
);

// ---- kitchen (staff of a location): its own lazy chunk, never part of the guest's pages
const kitchenRoute = createRoute({ getParentRoute: () => rootRoute, path: '/kitchen' }).lazy(() => import('./routes/kitchen').then((m) => m.KitchenRoute));
/** One location's kitchen display; `station` shows one station's lines, none: expo (whole orders). */
export const kitchenBoardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/kitchen/$locationId',
  validateSearch: (search: Record<string, unknown>) => ({ station: text(search.station) || undefined }),
}).lazy(() => import('./routes/kitchen').then((m) => m.KitchenBoardRoute));
// ---- newsletter (the links in the confirmation and campaign emails)
export const newsletterConfirmRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/newsletter/confirm',
  validateSearch: (search: Record<string, unknown>) => ({ token: text(search.token) }),
}).lazy(() => import('./routes/newsletter').then((m) => m.ConfirmRoute));
export const newsletterUnsubscribeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/newsletter/unsubscribe',
  validateSearch: (search: Record<string, unknown>) => ({ token: text(search.token) }),
}).lazy(() => import('./routes/newsletter').then((m) => m.UnsubscribeRoute));
// ---- the manager's console (managers of a location, admins everywhere); `?location=` picks the location
function consoleRoute<P extends string>(path: P) {
  return createRoute({ getParentRoute: () => rootRoute, path, validateSearch: manageSearch });
}
const manageRoute = consoleRoute('/manage').lazy(() => import('./routes/manage').then((m) => m.Route));
const manageMenuRoute = consoleRoute('/manage/menu').lazy(() => import('./routes/manage-menu').then((m) => m.Route));
const manageOrdersRoute = consoleRoute('/manage/orders').lazy(() => import('./routes/manage-orders').then((m) => m.Route));
export const manageOrderRoute = consoleRoute('/manage/orders/$orderId').lazy(() => import('./routes/manage-order').then((m) => m.Route));
const manageStationsRoute = consoleRoute('/manage/stations').lazy(() => import('./routes/manage-stations').then((m) => m.Route));
const manageStockRoute = consoleRoute('/manage/stock').lazy(() => import('./routes/manage-stock').then((m) => m.Route));
const manageSettingsRoute = consoleRoute('/manage/settings').lazy(() => import('./routes/manage-settings').then((m) => m.Route));
const manageStaffRoute = consoleRoute('/manage/staff').lazy(() => import('./routes/manage-staff').then((m) => m.Route));
const manageUsersRoute = consoleRoute('/manage/users').lazy(() => import('./routes/manage-users').then((m) => m.Route));
const manageAuditRoute = consoleRoute('/manage/audit').lazy(() => import('./routes/manage-audit').then((m) => m.Route));
const managePromotionsRoute = consoleRoute('/manage/promotions').lazy(() => import('./routes/manage-promotions').then((m) => m.Route));
const manageReportsRoute = consoleRoute('/manage/reports').lazy(() => import('./routes/manage-reports').then((m) => m.Route));
const manageNewsletterRoute = consoleRoute('/manage/newsletter').lazy(() => import('./routes/manage-newsletter').then((m) => m.Route));

const routeTree = rootRoute.addChildren([
  locationsRoute,
  menuRoute,
  cartRoute,
  checkoutRoute,
  trackRoute,
  paySandboxRoute,
  payStripeRoute,
  managePromotionsRoute,
  manageReportsRoute,
  signInRoute,
  signUpRoute,
  verifyRoute,
  forgotRoute,
  resetRoute,
  myOrdersRoute,
  kitchenRoute,
  kitchenBoardRoute,
  newsletterConfirmRoute,
  newsletterUnsubscribeRoute,
  manageNewsletterRoute,
  manageRoute,
  manageMenuRoute,
  manageOrdersRoute,
  manageOrderRoute,
  manageStockRoute,
  manageStationsRoute,
  manageSettingsRoute,
  manageStaffRoute,
  manageUsersRoute,
  manageAuditRoute,
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
