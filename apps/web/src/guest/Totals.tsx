import type { RouterOutputs } from '@bistro/client';
import { formatDelta, formatPrice } from '../lib/format';
import styles from './guest.module.css';

type Quote = Pick<RouterOutputs['orders']['quote'], 'subtotalMinor' | 'taxMinor' | 'tipMinor' | 'totalMinor' | 'discountMinor' | 'promoCode'>;

/** Subtotal, the discount line, tax, tip and total, exactly as the server computed them. */
export function Totals({ quote, currency }: { quote: Quote; currency: string }) {
  return (
    <dl className={styles.totals}>
      <div>
        <dt>Subtotal</dt>
        <dd>{formatPrice(quote.subtotalMinor, currency)}</dd>
      </div>
      {quote.discountMinor > 0 ? (
        <div className={styles.discount}>
          <dt>Discount{quote.promoCode ? ` (${quote.promoCode})` : ''}</dt>
          <dd>{formatDelta(-quote.discountMinor, currency)}</dd>
        </div>
      ) : null}
      <div>
        <dt>Tax</dt>
        <dd>{formatPrice(quote.taxMinor, currency)}</dd>
      </div>
      {quote.tipMinor > 0 ? (
        <div>
          <dt>Tip</dt>
          <dd>{formatPrice(quote.tipMinor, currency)}</dd>
        </div>
      ) : null}
      <div className={styles.total}>
        <dt>Total</dt>
        <dd>{formatPrice(quote.totalMinor, currency)}</dd>
      </div>
    </dl>
  );
}
