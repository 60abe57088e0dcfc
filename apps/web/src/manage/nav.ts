/**
 * The manager's console, as its navigation lists it: one line per screen. `who` says who sees the
 * entry (and may open the page): managers of the chosen location (admins too), or admins only.
 * A screen added to the console (its route in router.tsx, its file in routes/) adds its line here.
 */
import type { RegisteredRouter } from '@tanstack/react-router';

/** A console page's path, as the router knows it (a typo or a page not registered fails to compile). */
export type ConsolePath = Extract<keyof RegisteredRouter['routesByPath'], `/manage/${string}`>;

export type ConsoleAudience = 'manager' | 'admin';

export interface ConsoleEntry {
  label: string;
  path: ConsolePath;
  who: ConsoleAudience;
}

export const CONSOLE_NAV = [
  { label: 'Orders', path: '/manage/orders', who: 'manager' },
  { label: 'Menu', path: '/manage/menu', who: 'manager' },
  { label: 'Stations', path: '/manage/stations', who: 'manager' },
  { label: 'Stock', path: '/manage/stock', who: 'manager' },
  { label: 'Settings', path: '/manage/settings', who: 'manager' },
  { label: 'Staff', path: '/manage/staff', who: 'manager' },
  { label: 'Promotions', path: '/manage/promotions', who: 'manager' },
  { label: 'Reports', path: '/manage/reports', who: 'manager' },
  { label: 'Newsletter', path: '/manage/newsletter', who: 'manager' },
  { label: 'Users', path: '/manage/users', who: 'admin' },
  { label: 'Audit log', path: '/manage/audit', who: 'admin' },
] as const satisfies readonly ConsoleEntry[];

/** The entries a user sees: admin-only ones for admins. */
export function navFor(isAdmin: boolean): ConsoleEntry[] {
  return CONSOLE_NAV.filter((entry) => entry.who === 'manager' || isAdmin);
}
