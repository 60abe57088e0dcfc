import { Link } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Alert } from '../components/ui';

/**
 * A payment page (the sandbox's or Stripe's) opened without the payment it continues: started in
 * another tab, or already finished. The order can still be followed by its tracking token.
 */
export function PaymentGone({ token }: { token: string | undefined }) {
  return (
    <section>
      <PageTitle title="Payment">Payment</PageTitle>
      <Alert>
        <p>This payment can’t be continued here: it was started in another tab or has already finished.</p>
        {token ? (
          <Link to="/track" search={{ order: token }}>
            Follow your order
          </Link>
        ) : null}
      </Alert>
    </section>
  );
}
