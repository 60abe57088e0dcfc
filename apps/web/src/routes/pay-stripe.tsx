import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, useNavigate } from '@tanstack/react-router';
import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import { loadStripe, type Stripe } from '@stripe/stripe-js';
import { PageTitle } from '../components/Layout';
import { PaymentGone } from '../guest/PaymentGone';
import { Alert, Button, Loading } from '../components/ui';
import { cartStore } from '../lib/cart';
import { formatPrice } from '../lib/format';
import { attemptKey, finishAttempt } from '../lib/idempotency';
import { errorMessage } from '../lib/messages';
import { forgetPayment, readPayment, savePayment, type PendingPayment } from '../lib/payment';
import { useTRPC } from '../lib/trpc';
import styles from '../guest/guest.module.css';

export const Route = createLazyRoute('/pay/stripe')({ component: StripePaymentPage });
const route = getRouteApi('/pay/stripe');

/** Stripe.js, loaded once per publishable key (from Stripe's servers, as Stripe requires). */
const stripes = new Map<string, Promise<Stripe | null>>();
function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let stripe = stripes.get(publishableKey);
  if (!stripe) stripes.set(publishableKey, (stripe = loadStripe(publishableKey)));
  return stripe;
}

/**
 * Stripe's Payment Element, when the server's provider is Stripe. Not exercised by the tests
 * here (no network reaches Stripe): it is kept small and typechecked. Stripe confirms in the
 * browser and returns to the tracking page; the order moves on Stripe's signed webhook. A card
 * that fails cancels its order (Bistro's rule for a failed payment), so another try pays a new
 * order for the same cart, as on the sandbox's page.
 */
function StripePaymentPage() {
  const { order: token } = route.useSearch();
  const trpc = useTRPC();
  const options = useQuery(trpc.payments.options.queryOptions());
  const [pending, setPending] = useState<PendingPayment | null>(() => readPayment(token));
  if (!pending) return <PaymentGone token={token} />;
  if (options.isPending) return <Loading label="Preparing the payment…" />;
  const key = options.data?.stripePublishableKey;
  if (!key) return <Alert>Online payment isn’t available here. Please pay at the counter.</Alert>;
  return (
    <section>
      <PageTitle title="Pay by card">Pay by card</PageTitle>
      <p className={styles.amountDue}>
        <span className="visually-hidden">Amount to pay: </span>
        {formatPrice(pending.payment.amountMinor, pending.payment.currency)}
      </p>
      {/* A new client secret (after a failed card) is a new Elements instance. */}
      <Elements key={pending.payment.clientSecret} stripe={stripeFor(key)} options={{ clientSecret: pending.payment.clientSecret }}>
        <StripeForm pending={pending} onRenewed={setPending} />
      </Elements>
    </section>
  );
}

function StripeForm({ pending, onRenewed }: { pending: PendingPayment; onRenewed: (next: PendingPayment) => void }) {
  const stripe = useStripe();
  const elements = useElements();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const place = useMutation(trpc.orders.place.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pay = async () => {
    if (!stripe || !elements || busy) return;
    setBusy(true);
    const returnUrl = new URL('/track', window.location.origin);
    returnUrl.searchParams.set('order', pending.trackingToken);
    const result = await stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl.href }, redirect: 'if_required' });
    setBusy(false);
    if (result.error) {
      setFailure(result.error.message ?? 'The payment did not go through.');
      return;
    }
    cartStore.clear(pending.slug);
    forgetPayment(pending.trackingToken);
    void navigate({ to: '/track', search: { order: pending.trackingToken }, replace: true });
  };

  const tryAgain = () => {
    place.mutate(
      { ...pending.order, idempotencyKey: attemptKey(`${JSON.stringify(pending.order)}|after:${pending.trackingToken}`) },
      {
        onSuccess: (placed) => {
          finishAttempt();
          if (!placed.payment) return;
          const next: PendingPayment = { ...pending, trackingToken: placed.trackingToken, payment: placed.payment };
          forgetPayment(pending.trackingToken);
          savePayment(next);
          onRenewed(next);
          void navigate({ to: '/pay/stripe', search: { order: placed.trackingToken }, replace: true });
        },
      },
    );
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void pay();
      }}
    >
      {failure ? (
        <Alert>
          <p className={styles.alertText}>{failure} Nothing was charged and the kitchen hasn’t received your order.</p>
          <Button variant="secondary" onPress={tryAgain} isPending={place.isPending}>
            Try another card
          </Button>
          {place.error ? <p className={styles.alertText}>{errorMessage(place.error)}</p> : null}
        </Alert>
      ) : (
        <>
          <PaymentElement />
          <div className={styles.actions}>
            <Button type="submit" wide isPending={busy} isDisabled={!stripe || !elements}>
              {`Pay ${formatPrice(pending.payment.amountMinor, pending.payment.currency)}`}
            </Button>
          </div>
        </>
      )}
    </form>
  );
}
