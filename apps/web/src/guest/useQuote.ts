import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { RouterInputs } from '@bistro/client';
import type { Cart } from '../lib/cart';
import { useTRPC } from '../lib/trpc';
import { useDebounced } from '../lib/useDebounced';

type QuoteInput = RouterInputs['orders']['quote'];

/** The cart's lines as the server reads them. */
export function cartLines(cart: Cart): QuoteInput['lines'] {
  return cart.lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, options: l.options, ...(l.note ? { note: l.note } : {}) }));
}

/**
 * The server's live price for the cart (orders.quote), asked once the guest pauses editing.
 * Problems come per line (`lineIndex`), e.g. a dish that sold out since it was added.
 */
export function useQuote(slug: string, cart: Cart, extra: Omit<QuoteInput, 'locationSlug' | 'lines'> = { type: 'pickup' }) {
  const trpc = useTRPC();
  const input: QuoteInput = { locationSlug: slug, lines: cartLines(cart), ...extra };
  const asked = useDebounced(JSON.stringify(input), 300);
  const parsed = JSON.parse(asked) as QuoteInput;
  const quote = useQuery({
    ...trpc.orders.quote.queryOptions(parsed),
    enabled: parsed.lines.length > 0,
    placeholderData: keepPreviousData,
  });
  const settled = asked === JSON.stringify(input) && !quote.isPlaceholderData && !quote.isFetching;
  /** `asked`: the input the quote answers (after the debounce), e.g. which discount code it priced. */
  return { quote, settled, asked: parsed };
}
