import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, Link } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Alert, Button } from '../components/ui';
import { Totals } from '../guest/Totals';
import { useQuote } from '../guest/useQuote';
import { cartStore, useCart } from '../lib/cart';
import { formatPrice } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from '../guest/guest.module.css';

export const Route = createLazyRoute('/l/$slug/cart')({ component: CartPage });
const route = getRouteApi('/l/$slug/cart');

/** The cart, line by line, priced live by the server; problems shown on their line. */
function CartPage() {
  const { slug } = route.useParams();
  const cart = useCart(slug);
  const trpc = useTRPC();
  const menu = useQuery(trpc.menu.get.queryOptions({ locationSlug: slug }));
  const { quote, settled } = useQuote(slug, cart);
  const currency = quote.data?.currency ?? menu.data?.location.currency;
  const problems = quote.data?.problems ?? [];

  return (
    <section>
      <PageTitle title="Your order">Your order</PageTitle>
      {menu.data ? <p className={styles.address}>From {menu.data.location.name}</p> : null}
      {cart.lines.length === 0 ? (
        <>
          <p>Your order is empty.</p>
          <Link to="/l/$slug" params={{ slug }}>
            Back to the menu
          </Link>
        </>
      ) : (
        <>
          <ul className={styles.lines}>
            {cart.lines.map((line, index) => {
              const priced = quote.data?.lines.find((l) => l.lineIndex === index);
              const problem = problems.find((p) => p.lineIndex === index);
              return (
                <li key={line.key} className={styles.line} aria-label={`${line.quantity} × ${line.name}`}>
                  <div className={styles.lineMain}>
                    <span className={styles.lineName}>
                      {line.quantity} × {line.name}
                    </span>
                    {priced && currency ? <span className={styles.linePrice}>{formatPrice(priced.lineTotalMinor, currency)}</span> : null}
                  </div>
                  {line.optionNames.length > 0 ? <p className={styles.lineOptions}>{line.optionNames.join(', ')}</p> : null}
                  {line.note ? <p className={styles.lineOptions}>Note: {line.note}</p> : null}
                  {problem ? <p className={styles.lineProblem}>{problem.message}</p> : null}
                  <div className={styles.lineActions}>
                    <Button variant="secondary" aria-label={`One less ${line.name}`} onPress={() => cartStore.setQuantity(slug, line.key, line.quantity - 1)}>
                      −
                    </Button>
                    <span aria-hidden="true" className={styles.lineQty}>
                      {line.quantity}
                    </span>
                    <Button variant="secondary" aria-label={`One more ${line.name}`} isDisabled={line.quantity >= 99} onPress={() => cartStore.setQuantity(slug, line.key, line.quantity + 1)}>
                      +
                    </Button>
                    <Button variant="quiet" onPress={() => cartStore.remove(slug, line.key)}>
                      Remove<span className="visually-hidden"> {line.name}</span>
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
          {quote.isError ? <Alert>{errorMessage(quote.error)}</Alert> : null}
          {quote.data && currency ? <Totals quote={quote.data} currency={currency} /> : null}
          <div role="status" className="visually-hidden">
            {settled && quote.data ? `Total ${formatPrice(quote.data.totalMinor, quote.data.currency)}` : ''}
          </div>
          {problems.length > 0 ? <Alert>Remove or change the lines marked above to continue.</Alert> : null}
          <div className={styles.stack}>
            {problems.length === 0 && settled && quote.data ? (
              <Link to="/l/$slug/checkout" params={{ slug }} className={styles.primaryLink}>
                Go to checkout
              </Link>
            ) : (
              <span className={`${styles.primaryLink} ${styles.primaryLinkDisabled}`} aria-disabled="true">
                Go to checkout
              </span>
            )}
            <Link to="/l/$slug" params={{ slug }} className={styles.secondaryLink}>
              Add more from the menu
            </Link>
          </div>
        </>
      )}
    </section>
  );
}
