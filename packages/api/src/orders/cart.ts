import type { CartProblem, PricedCart, PricingItem, PricingMenu } from '@bistro/domain';
import { BistroError } from '../errors.js';

/** The menu indexed by item id, for `priceCart`. Only orderable things are in a menu: archived ones are not. */
export function pricingMenu(currency: string, taxRateBp: number, categories: readonly { items: readonly PricingItem[] }[]): PricingMenu {
  const items = new Map<string, PricingItem>();
  for (const category of categories) for (const item of category.items) items.set(item.id, item);
  return { currency, taxRateBp, items };
}

/** The refusal for a cart line that can't be ordered, with the line as the field at fault. */
export function problemError(problem: CartProblem): BistroError {
  return new BistroError(problem.code, problem.message, { fieldErrors: { [`lines.${problem.lineIndex}`]: [problem.message] } });
}

/** A priced cart as answered to a client: explicit fields only. */
export function pricedCartOutput(priced: PricedCart) {
  return {
    currency: priced.currency,
    lines: priced.lines.map((line) => ({
      lineIndex: line.lineIndex,
      itemId: line.itemId,
      name: line.name,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      options: line.options.map((o) => ({ optionId: o.optionId, name: o.name, groupName: o.groupName, priceDeltaMinor: o.priceDeltaMinor })),
      note: line.note,
      lineTotalMinor: line.lineTotalMinor,
    })),
    problems: priced.problems.map((p) => ({ lineIndex: p.lineIndex, code: p.code, message: p.message, itemId: p.itemId })),
    subtotalMinor: priced.subtotalMinor,
    /** The discount line (0 without a code). */
    discountMinor: priced.discountMinor,
    promoCode: priced.promoCode,
    taxMinor: priced.taxMinor,
    tipMinor: priced.tipMinor,
    totalMinor: priced.totalMinor,
  };
}
