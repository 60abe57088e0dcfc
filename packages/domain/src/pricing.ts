import { applyBasisPoints } from './money.js';

/**
 * One pricing function for quote and place alike: the server prices a cart from the menu as
 * the database has it; a client never sends a price. Integer arithmetic only.
 */

export interface PricingOption {
  id: string;
  name: string;
  priceDeltaMinor: number;
  available: boolean;
  unavailableReason: 'eightySixed' | 'outOfStock' | null;
  optionGroups: PricingGroup[];
}

export interface PricingGroup {
  id: string;
  name: string;
  minSelections: number;
  maxSelections: number;
  options: PricingOption[];
}

export interface PricingItem {
  id: string;
  name: string;
  priceMinor: number;
  available: boolean;
  unavailableReason: 'eightySixed' | 'outOfStock' | null;
  optionGroups: PricingGroup[];
}

export interface PricingMenu {
  currency: string;
  taxRateBp: number;
  items: ReadonlyMap<string, PricingItem>;
}

export interface CartLine {
  itemId: string;
  quantity: number;
  options: readonly string[];
  note?: string | undefined;
}

export type Tip = { percent: number } | { amountMinor: number };

export interface Cart {
  lines: readonly CartLine[];
  tip?: Tip | undefined;
}

export type CartProblemCode = 'CART_ITEM_UNKNOWN' | 'SOLD_OUT' | 'CART_OPTION_INVALID' | 'CART_OPTION_RULES';

export interface CartProblem {
  lineIndex: number;
  code: CartProblemCode;
  message: string;
  itemId: string;
  itemName?: string;
}

export interface PricedOption {
  optionId: string;
  name: string;
  groupName: string;
  priceDeltaMinor: number;
}

export interface PricedLine {
  lineIndex: number;
  itemId: string;
  name: string;
  quantity: number;
  /** Item price plus every chosen option's delta, for one portion. */
  unitPriceMinor: number;
  options: PricedOption[];
  note: string | null;
  lineTotalMinor: number;
}

export interface PricedCart {
  currency: string;
  lines: PricedLine[];
  problems: CartProblem[];
  subtotalMinor: number;
  taxMinor: number;
  tipMinor: number;
  totalMinor: number;
}

function safe(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError('Amount out of range');
  return n;
}

/**
 * Walks the option groups hanging off an item (and off each chosen option, to any depth),
 * checking min/max per group; a nested group only counts when its parent option is chosen.
 * Returns the chosen options in menu order, or the first rule broken.
 */
function chooseOptions(
  groups: readonly PricingGroup[],
  chosen: Set<string>,
  picked: PricedOption[],
): { code: CartProblemCode; message: string } | null {
  for (const group of groups) {
    const selected = group.options.filter((o) => chosen.has(o.id));
    if (selected.length < group.minSelections || selected.length > group.maxSelections) {
      const rule =
        group.minSelections === group.maxSelections
          ? `exactly ${group.minSelections}`
          : `${group.minSelections} to ${group.maxSelections}`;
      return { code: 'CART_OPTION_RULES', message: `Choose ${rule} for “${group.name}”` };
    }
    for (const option of selected) {
      if (!option.available) return { code: 'SOLD_OUT', message: `“${option.name}” is sold out` };
      chosen.delete(option.id);
      picked.push({ optionId: option.id, name: option.name, groupName: group.name, priceDeltaMinor: option.priceDeltaMinor });
      const nested = chooseOptions(option.optionGroups, chosen, picked);
      if (nested) return nested;
    }
  }
  return null;
}

export function priceCart(menu: PricingMenu, cart: Cart): PricedCart {
  const lines: PricedLine[] = [];
  const problems: CartProblem[] = [];
  cart.lines.forEach((line, lineIndex) => {
    const item = menu.items.get(line.itemId);
    if (!item) {
      problems.push({ lineIndex, code: 'CART_ITEM_UNKNOWN', message: 'This item is not on the menu', itemId: line.itemId });
      return;
    }
    if (!item.available) {
      problems.push({ lineIndex, code: 'SOLD_OUT', message: `“${item.name}” is sold out`, itemId: item.id, itemName: item.name });
      return;
    }
    const chosen = new Set(line.options);
    if (chosen.size !== line.options.length) {
      problems.push({ lineIndex, code: 'CART_OPTION_RULES', message: 'An option is chosen twice', itemId: item.id, itemName: item.name });
      return;
    }
    const picked: PricedOption[] = [];
    const broken = chooseOptions(item.optionGroups, chosen, picked);
    if (broken) {
      problems.push({ lineIndex, ...broken, itemId: item.id, itemName: item.name });
      return;
    }
    if (chosen.size > 0) {
      problems.push({ lineIndex, code: 'CART_OPTION_INVALID', message: `An option does not belong to “${item.name}”`, itemId: item.id, itemName: item.name });
      return;
    }
    const unitPriceMinor = safe(item.priceMinor + picked.reduce((sum, o) => sum + o.priceDeltaMinor, 0));
    if (unitPriceMinor < 0) {
      // Discount options can't take a portion below zero: that would subtract from the rest of the cart.
      problems.push({ lineIndex, code: 'CART_OPTION_INVALID', message: `These options bring “${item.name}” below zero`, itemId: item.id, itemName: item.name });
      return;
    }
    lines.push({
      lineIndex,
      itemId: item.id,
      name: item.name,
      quantity: line.quantity,
      unitPriceMinor,
      options: picked,
      note: line.note?.trim() ? line.note.trim() : null,
      lineTotalMinor: safe(unitPriceMinor * line.quantity),
    });
  });
  const subtotalMinor = safe(lines.reduce((sum, l) => sum + l.lineTotalMinor, 0));
  // Tax on the subtotal, rounded half up to the minor unit once.
  const taxMinor = applyBasisPoints(subtotalMinor, menu.taxRateBp);
  const tip = cart.tip;
  const tipMinor = !tip ? 0 : 'amountMinor' in tip ? tip.amountMinor : applyBasisPoints(subtotalMinor, tip.percent * 100);
  return {
    currency: menu.currency,
    lines,
    problems,
    subtotalMinor,
    taxMinor,
    tipMinor,
    totalMinor: safe(subtotalMinor + taxMinor + tipMinor),
  };
}
