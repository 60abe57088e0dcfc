import { applyBasisPoints } from './money.js';
import type { PromoKind } from './promos.js';

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

/** A discount code as the database has it, read for this cart (see priceCart for how it applies). */
export interface PricingPromo {
  code: string;
  kind: PromoKind;
  percentBp: number | null;
  amountMinor: number | null;
  /** A fixed amount's currency; null for a percentage. */
  currency: string | null;
  minSubtotalMinor: number;
  /** Calendar dates in the location's time zone, both included; null: open-ended. */
  validFrom: string | null;
  validTo: string | null;
  active: boolean;
  /** No uses left, in total or for this customer, as last read (the redemption itself is decided by the database). */
  exhausted: boolean;
}

export interface CartPromo {
  /** The code as typed. */
  code: string;
  /** The code found at this location (null: no such code here). */
  promo: PricingPromo | null;
  /** Today in the location's time zone (YYYY-MM-DD), from the injected clock. */
  today: string;
}

export interface Cart {
  lines: readonly CartLine[];
  tip?: Tip | undefined;
  promo?: CartPromo | undefined;
}

export type PromoProblemCode = 'PROMO_INVALID' | 'PROMO_CURRENCY_MISMATCH' | 'PROMO_EXPIRED' | 'PROMO_EXHAUSTED' | 'PROMO_MINIMUM_NOT_MET';

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
  /** The discount line: what the code takes off the subtotal (0 without a code). */
  discountMinor: number;
  /** The code applied, upper case; null when none (or it was refused: see promoProblem). */
  promoCode: string | null;
  /** Why the code typed does not apply; null when it does (or none was typed). */
  promoProblem: { code: PromoProblemCode; message: string } | null;
  taxMinor: number;
  tipMinor: number;
  totalMinor: number;
}

/**
 * Whether the code applies to this subtotal today, and if not, why: checked in this order,
 * unknown or switched off, then a fixed amount in another currency, then its dates, then its
 * uses, then the minimum subtotal.
 *
 * Currencies: a percentage applies wherever the code does. A fixed amount carries its currency
 * (a location's own code: the location's; a code for every location: the one its admin chose)
 * and applies only where the location charges in that currency; elsewhere it is refused with
 * PROMO_CURRENCY_MISMATCH, never converted. The minimum subtotal of such a code is in that
 * currency too; a percentage code's minimum is in each location's own currency.
 */
export function promoProblem(cart: CartPromo, currency: string, subtotalMinor: number): PricedCart['promoProblem'] {
  const p = cart.promo;
  if (!p || !p.active) return { code: 'PROMO_INVALID', message: 'This code is not valid here' };
  if (p.kind === 'amount' && p.currency !== currency) {
    return { code: 'PROMO_CURRENCY_MISMATCH', message: `This code is for orders paid in ${p.currency ?? 'another currency'}, not ${currency}` };
  }
  if ((p.validFrom !== null && cart.today < p.validFrom) || (p.validTo !== null && cart.today > p.validTo)) {
    return { code: 'PROMO_EXPIRED', message: p.validFrom !== null && cart.today < p.validFrom ? 'This code is not valid yet' : 'This code has expired' };
  }
  if (p.exhausted) return { code: 'PROMO_EXHAUSTED', message: 'This code has been used up' };
  if (subtotalMinor < p.minSubtotalMinor) return { code: 'PROMO_MINIMUM_NOT_MET', message: `This code needs a subtotal of at least ${p.minSubtotalMinor} minor units` };
  return null;
}

/**
 * The discount a code takes off a subtotal. A percentage is `subtotal × bp ÷ 10000` rounded half
 * up to the minor unit (as tax is); a fixed amount never takes more than the subtotal. Either way
 * 0 ≤ discount ≤ subtotal.
 */
export function promoDiscount(p: Pick<PricingPromo, 'kind' | 'percentBp' | 'amountMinor'>, subtotalMinor: number): number {
  const raw = p.kind === 'percent' ? applyBasisPoints(subtotalMinor, p.percentBp ?? 0) : (p.amountMinor ?? 0);
  return Math.max(0, Math.min(raw, subtotalMinor));
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
  // A code comes off the subtotal first; tax is on what is left, rounded half up to the minor
  // unit once; a percentage tip is on the subtotal before the discount (the guest tips on the
  // food served). total = subtotal − discount + tax + tip.
  const refused = cart.promo ? promoProblem(cart.promo, menu.currency, subtotalMinor) : null;
  const applied = cart.promo?.promo && !refused ? cart.promo.promo : null;
  const discountMinor = applied ? promoDiscount(applied, subtotalMinor) : 0;
  const taxMinor = applyBasisPoints(subtotalMinor - discountMinor, menu.taxRateBp);
  const tip = cart.tip;
  const tipMinor = !tip ? 0 : 'amountMinor' in tip ? tip.amountMinor : applyBasisPoints(subtotalMinor, tip.percent * 100);
  return {
    currency: menu.currency,
    lines,
    problems,
    subtotalMinor,
    discountMinor,
    promoCode: applied ? applied.code : null,
    promoProblem: refused,
    taxMinor,
    tipMinor,
    totalMinor: safe(subtotalMinor - discountMinor + taxMinor + tipMinor),
  };
}
