import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { SANDBOX_CARDS, sandboxConfirmInput, type SandboxCardBehaviour } from '@bistro/domain';
import { PageTitle } from '../components/Layout';
import { PaymentGone } from '../guest/PaymentGone';
import { Alert, Button, TextField } from '../components/ui';
import { cartStore } from '../lib/cart';
import { formatPrice } from '../lib/format';
import { attemptKey, finishAttempt } from '../lib/idempotency';
import { errorMessage } from '../lib/messages';
import { forgetPayment, readPayment, savePayment, type PendingPayment } from '../lib/payment';
import { useTRPC } from '../lib/trpc';
import styles from '../guest/guest.module.css';

export const Route = createLazyRoute('/pay/sandbox')({ component: SandboxPaymentPage });
const route = getRouteApi('/pay/sandbox');

/** What each test card does, in the words a tester reads. */
const CARD_TEXT = {
  succeeds: 'Pays at once',
  declined: 'Is declined',
  requires_action: 'Asks for an extra confirmation step',
  succeeds_late: 'Pays a little later (the provider confirms by webhook only)',
} as const satisfies Record<SandboxCardBehaviour, string>;

const TEST_CARDS = Object.entries(SANDBOX_CARDS) as [string, SandboxCardBehaviour][];

function spaced(card: string): string {
  return card.replace(/(\d{4})(?=\d)/g, '$1 ');
}

type Step = { kind: 'card'; declined: 'declined' | 'not_confirmed' | null } | { kind: 'confirm' };

/**
 * The sandbox provider's own payment page, standing where a real provider's would: a card number
 * (the sandbox's test cards are listed), the extra confirmation step for the card that asks for
 * one, and a clear message when a card is declined, with another card to try. The order moves
 * when the provider's signed webhook reaches Bistro; the tracking page follows it live.
 */
function SandboxPaymentPage() {
  const { order: token } = route.useSearch();
  const [pending, setPending] = useState<PendingPayment | null>(() => readPayment(token));
  if (!pending) return <PaymentGone token={token} />;
  return <PaymentForm pending={pending} onRenewed={setPending} />;
}

function PaymentForm({ pending, onRenewed }: { pending: PendingPayment; onRenewed: (next: PendingPayment) => void }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [card, setCard] = useState('');
  const [cardErrors, setCardErrors] = useState<string[] | undefined>(undefined);
  const [step, setStep] = useState<Step>({ kind: 'card', declined: null });
  const order = useQuery(trpc.orders.track.queryOptions({ trackingToken: pending.trackingToken }));
  const confirm = useMutation(trpc.payments.sandboxConfirm.mutationOptions());
  const place = useMutation(trpc.orders.place.mutationOptions());
  const busy = confirm.isPending || place.isPending;
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const declinedAlert = useRef<HTMLDivElement>(null);

  // Each step change moves focus to what changed, so a keyboard or screen-reader user follows.
  useEffect(() => {
    if (step.kind === 'confirm') stepHeading.current?.focus();
    else if (step.declined) declinedAlert.current?.focus();
  }, [step]);

  const { amountMinor, currency } = pending.payment;

  /** The payment went through (or is on its way by webhook): the cart is done with, the order page follows it. */
  const paid = (p: PendingPayment) => {
    cartStore.clear(p.slug);
    forgetPayment(p.trackingToken);
    void navigate({ to: '/track', search: { order: p.trackingToken }, replace: true });
  };

  /**
   * A declined payment cancelled its order (and returned its stock): another card pays a new
   * order for the same cart, placed once however often this is pressed (its idempotency key).
   */
  const renewed = async (): Promise<PendingPayment> => {
    const placed = await place.mutateAsync({ ...pending.order, idempotencyKey: attemptKey(`${JSON.stringify(pending.order)}|after:${pending.trackingToken}`) });
    finishAttempt();
    if (!placed.payment) throw new Error('The order was placed without an online payment');
    const next: PendingPayment = { ...pending, trackingToken: placed.trackingToken, payment: placed.payment };
    forgetPayment(pending.trackingToken);
    savePayment(next);
    onRenewed(next);
    void navigate({ to: '/pay/sandbox', search: { order: placed.trackingToken }, replace: true });
    return next;
  };

  const pay = async () => {
    if (busy) return;
    const checked = sandboxConfirmInput.shape.card.safeParse(card);
    if (!checked.success) return setCardErrors(checked.error.issues.map((i) => i.message));
    setCardErrors(undefined);
    confirm.reset();
    place.reset();
    try {
      const current = step.kind === 'card' && step.declined ? await renewed() : pending;
      const answer = await confirm.mutateAsync({ clientSecret: current.payment.clientSecret, card: checked.data });
      if (answer.status === 'succeeded' || answer.status === 'processing') paid(current);
      else if (answer.status === 'requires_action') setStep({ kind: 'confirm' });
      else setStep({ kind: 'card', declined: 'declined' });
    } catch {
      // Shown from the mutation's error below.
    }
  };

  const authenticate = async (authentication: 'approve' | 'fail') => {
    if (busy) return;
    try {
      const answer = await confirm.mutateAsync({ clientSecret: pending.payment.clientSecret, card, authentication });
      if (answer.status === 'succeeded' || answer.status === 'processing') paid(pending);
      else setStep({ kind: 'card', declined: 'not_confirmed' });
    } catch {
      // Shown from the mutation's error below.
    }
  };

  const error = confirm.error ?? place.error;

  return (
    <section>
      <PageTitle title="Pay by card">Pay by card</PageTitle>
      <p className={styles.testMode}>Sandbox · test mode, no real money</p>
      <p className={styles.address}>{order.data ? `Order ${order.data.number} · ${order.data.location.name}` : ' '}</p>
      <p className={styles.amountDue}>
        <span className="visually-hidden">Amount to pay: </span>
        {formatPrice(amountMinor, currency)}
      </p>

      {step.kind === 'confirm' ? (
        <section aria-labelledby="confirm-heading" className={styles.panel}>
          <h2 id="confirm-heading" ref={stepHeading} tabIndex={-1} className={styles.panelTitle}>
            Confirm this payment
          </h2>
          <p>
            Your bank asks you to confirm the payment of {formatPrice(amountMinor, currency)}. In the sandbox this step stands in for the
            bank’s own check (3-D Secure).
          </p>
          <div className={styles.actions}>
            <Button onPress={() => void authenticate('approve')} isPending={confirm.isPending}>
              Confirm payment
            </Button>
            <Button variant="secondary" onPress={() => void authenticate('fail')} isDisabled={confirm.isPending}>
              Don’t confirm
            </Button>
          </div>
        </section>
      ) : (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void pay();
          }}
        >
          {step.declined ? (
            <div ref={declinedAlert} tabIndex={-1}>
              <Alert>
                <p className={styles.alertText}>
                  {step.declined === 'declined' ? 'Your card was declined.' : 'The payment was not confirmed.'} Nothing was charged and the
                  kitchen hasn’t received your order. Try another card.
                </p>
              </Alert>
            </div>
          ) : null}
          <section aria-labelledby="card-heading" className={styles.panel}>
            <h2 id="card-heading" className={styles.panelTitle}>
              Card
            </h2>
            <TextField
              label="Card number"
              name="cardnumber"
              value={card}
              onChange={(value) => {
                setCard(value);
                setCardErrors(undefined);
              }}
              inputMode="numeric"
              autoComplete="cc-number"
              isRequired
              errors={cardErrors}
            />
            <Button type="submit" wide isPending={busy}>
              {busy ? 'Paying…' : `Pay ${formatPrice(amountMinor, currency)}`}
            </Button>
          </section>
        </form>
      )}

      {error ? (
        <Alert>
          <p className={styles.alertText}>{errorMessage(error)}</p>
        </Alert>
      ) : null}

      {step.kind === 'card' ? (
        <section aria-labelledby="cards-heading" className={styles.panel}>
          <h2 id="cards-heading" className={styles.panelTitle}>
            Sandbox test cards
          </h2>
          <p className={styles.rule}>Any expiry date and security code would do; the sandbox asks only for the number.</p>
          <ul className={styles.testCards}>
            {TEST_CARDS.map(([number, behaviour]) => (
              <li key={number}>
                <span>
                  <span className={styles.cardNumber}>{spaced(number)}</span>
                  <br />
                  {CARD_TEXT[behaviour]}
                </span>
                <Button
                  variant="secondary"
                  aria-label={`Use card ${spaced(number)}`}
                  onPress={() => {
                    setCard(spaced(number));
                    setCardErrors(undefined);
                  }}
                >
                  Use
                </Button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <p className={styles.rule}>
        <Link to="/track" search={{ order: pending.trackingToken }}>
          Leave payment for now
        </Link>{' '}
        (an order that isn’t paid in time is cancelled).
      </p>
    </section>
  );
}
