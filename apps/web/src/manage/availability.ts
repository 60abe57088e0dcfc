import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '@bistro/client';
import { useTRPC } from '../lib/trpc';

type Menu = RouterOutputs['menu']['get'];
type Option = Menu['categories'][number]['items'][number]['optionGroups'][number]['options'][number];
export type UnavailableReason = NonNullable<Option['unavailableReason']>;

/** What the console says of an item or option the guests can't order now, by the menu's reason. */
export const UNAVAILABLE_TEXT: Record<UnavailableReason, string> = {
  eightySixed: '86’d by hand',
  outOfStock: '86 automatically: out of stock',
};

/**
 * Why each item and option of the location is off the guests' menu now, as `menu.get` says it
 * (the server decides from 86 flags and stock; the console never works it out again). Items and
 * options that can be ordered are absent.
 */
export function useUnavailable(locationSlug: string): ReadonlyMap<string, UnavailableReason> {
  const trpc = useTRPC();
  const menu = useQuery(trpc.menu.get.queryOptions({ locationSlug }));
  return menu.data ? reasonsOf(menu.data) : NONE;
}

const NONE: ReadonlyMap<string, UnavailableReason> = new Map();
// Every badge on the page asks; the menu is walked once per answer of menu.get.
const walked = new WeakMap<Menu, ReadonlyMap<string, UnavailableReason>>();

function reasonsOf(menu: Menu): ReadonlyMap<string, UnavailableReason> {
  const known = walked.get(menu);
  if (known) return known;
  const reasons = new Map<string, UnavailableReason>();
  const visit = (options: Option[]) => {
    for (const o of options) {
      if (o.unavailableReason) reasons.set(o.id, o.unavailableReason);
      for (const g of o.optionGroups) visit(g.options);
    }
  };
  for (const item of menu.categories.flatMap((c) => c.items)) {
    if (item.unavailableReason) reasons.set(item.id, item.unavailableReason);
    for (const g of item.optionGroups) visit(g.options);
  }
  walked.set(menu, reasons);
  return reasons;
}
