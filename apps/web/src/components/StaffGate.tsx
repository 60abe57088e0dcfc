import { useEffect, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate } from '@tanstack/react-router';
import type { RouterOutputs } from '@bistro/client';
import { useTRPC } from '../lib/trpc';
import { NotFound } from './Layout';

export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type StaffLocation = RouterOutputs['locations']['list'][number] & { role: 'staff' | 'manager' | 'admin' };

/** What a screen needs at least: `staff` (kitchen) or `manager` (the console). Admins pass both everywhere. */
export type Need = 'staff' | 'manager';

/**
 * The locations where a signed-in user may use a screen that needs `need`: admins every location,
 * managers theirs (for both needs), staff theirs for the kitchen only. The server decides again on
 * every call; this only keeps the screens from offering what would be refused.
 */
export function locationsFor(me: Me, all: RouterOutputs['locations']['list'], need: Need): StaffLocation[] {
  if (me.isAdmin) return all.map((l) => ({ ...l, role: 'admin' as const }));
  const roleAt = new Map(me.roles.map((r) => [r.locationId, r.role]));
  return all.flatMap((l) => {
    const role = roleAt.get(l.id);
    if (!role || (need === 'manager' && role !== 'manager')) return [];
    return [{ ...l, role }];
  });
}

/**
 * The door of the staff screens (/kitchen, /manage). Not signed in: to the sign-in page, coming
 * back here after. Signed in without a role that allows the screen: "not found", the same answer
 * the API gives. Otherwise the screen gets the user and the locations it may work on.
 */
export function StaffGate({ need, children }: { need: Need; children: (props: { me: Me; locations: StaffLocation[] }) => ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const all = useQuery({ ...trpc.locations.list.queryOptions(), enabled: !!me.data });
  const navigate = useNavigate();
  const here = useLocation();
  const signedOut = me.isSuccess && me.data === null;
  useEffect(() => {
    // Once only: while the sign-in page loads, this gate is still mounted and sees its address.
    if (signedOut && here.pathname !== '/sign-in') void navigate({ to: '/sign-in', search: { next: here.href }, replace: true });
  }, [signedOut, navigate, here.href, here.pathname]);

  if (me.isError || all.isError) return <p role="alert">Bistro could not be reached. Check the connection and reload.</p>;
  if (!me.data || !all.data) return <p aria-busy="true">Loading…</p>;
  const locations = locationsFor(me.data, all.data, need);
  if (locations.length === 0) return <NotFound />;
  return <>{children({ me: me.data, locations })}</>;
}
