import { sql } from 'kysely';
import { localDate, priceCart, quoteInput } from '@bistro/domain';
import { promoQuery, promoRefusal } from '../promos/queries.js';
import { notFound } from '../errors.js';
import { loadMenu } from '../menu/get.js';
import { quoteOutput } from '../outputs.js';
import { publicProcedure } from '../trpc.js';
import { pricedCartOutput, pricingMenu } from './cart.js';

/**
 * The server's price for a cart, from the menu as it is now (the cached copy is fine: placing
 * prices again from the database). A line that can't be ordered is listed in `problems` with
 * its reason and left out of the totals, rather than failing the whole quote. A discount code
 * shows as the discount line; one that does not apply is refused with its PROMO_* code.
 */
export const quote = publicProcedure
  .meta({ scope: 'any', openapi: { method: 'POST', path: '/locations/{locationSlug}/quote', tags: ['orders'], protect: false, summary: "The server's price for a cart" } })
  .input(quoteInput)
  .output(quoteOutput)
  .query(async ({ ctx, input }) => {
  const menu = await loadMenu(ctx, input.locationSlug);
  if (!menu) throw notFound('Location');
  const promo = input.promoCode
    ? {
        code: input.promoCode,
        today: localDate(menu.location.timeZone, ctx.now()),
        promo: (await promoQuery(sql`${menu.location.id}::uuid`, input.promoCode, ctx.auth ? `user:${ctx.auth.user.id}` : null).execute(ctx.db)).rows[0] ?? null,
      }
    : undefined;
  const priced = priceCart(pricingMenu(menu.location.currency, menu.location.taxRateBp, menu.categories), { lines: input.lines, tip: input.tip, promo });
  if (priced.promoProblem) throw promoRefusal(priced.promoProblem);
  return pricedCartOutput(priced);
});
