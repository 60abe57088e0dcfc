import { priceCart, quoteInput } from '@bistro/domain';
import { notFound } from '../errors.js';
import { loadMenu } from '../menu/get.js';
import { quoteOutput } from '../outputs.js';
import { publicProcedure } from '../trpc.js';
import { pricedCartOutput, pricingMenu } from './cart.js';

/**
 * The server's price for a cart, from the menu as it is now (the cached copy is fine: placing
 * prices again from the database). A line that can't be ordered is listed in `problems` with
 * its reason and left out of the totals, rather than failing the whole quote.
 */
export const quote = publicProcedure
  .meta({ scope: 'any', openapi: { method: 'POST', path: '/locations/{locationSlug}/quote', tags: ['orders'], protect: false, summary: "The server's price for a cart" } })
  .input(quoteInput)
  .output(quoteOutput)
  .query(async ({ ctx, input }) => {
  const menu = await loadMenu(ctx, input.locationSlug);
  if (!menu) throw notFound('Location');
  const priced = priceCart(pricingMenu(menu.location.currency, menu.location.taxRateBp, menu.categories), { lines: input.lines, tip: input.tip });
  return pricedCartOutput(priced);
});
