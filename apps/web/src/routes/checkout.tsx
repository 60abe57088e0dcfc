import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { Radio, RadioGroup, Text } from 'react-aria-components';
import { bistroErrorCode, bistroFieldErrors, type RouterInputs, type RouterOutputs } from '@bistro/client';
import { localDate, nextOpeningAt, placeInput, promoCodeSchema } from '@bistro/domain';
import { PageTitle } from '../components/Layout';
import { Alert, Button, Loading, TextField } from '../components/ui';
import { PaymentStep, type PayWith } from '../guest/PaymentStep';
import { Totals } from '../guest/Totals';
import { cartLines, useQuote } from '../guest/useQuote';
import { cartStore, useCart, type Cart } from '../lib/cart';
import { now } from '../lib/clock';
import { formatDayTime, formatPrice, formatTime, zoneLabel } from '../lib/format';
import { parseAmount } from '../lib/amount';
import { addDays } from '../lib/hours';
import { attemptKey, finishAttempt } from '../lib/idempotency';
import { errorMessage } from '../lib/messages';
import { savePayment } from '../lib/payment';
import { useTRPC } from '../lib/trpc';
import styles from '../guest/guest.module.css';

export const Route = createLazyRoute('/l/$slug/checkout')({ component: CheckoutPage });
const route = getRouteApi('/l/$slug/checkout');

type PlaceInput = RouterInputs['orders']['place'];
type OrderType = PlaceInput['type'];
type Location = RouterOutputs['menu']['get']['location'];
type Errors = Partial<Record<string, string[]>>;

const ASAP = 'asap';
const TIP_CHOICES = ['0', '5', '10', '15', 'other'] as const;

function CheckoutPage() {
  const { slug } = route.useParams();
  const trpc = useTRPC();
  const cart = useCart(slug);
  const menu = useQuery(trpc.menu.get.queryOptions({ locationSlug: slug }));
  const me = useQuery(trpc.auth.me.queryOptions());
  if (menu.isPending || me.isPending) return <Loading label="Preparing checkout…" />;
  if (menu.isError) return <Alert>{errorMessage(menu.error)}</Alert>;
  if (cart.lines.length === 0) {
    return (
      <section>
        <PageTitle title="Checkout">Checkout</PageTitle>
        <p>Your order is empty.</p>
        <Link to="/l/$slug" params={{ slug }}>
          Back to the menu
        </Link>
      </section>
    );
  }
  return <CheckoutForm slug={slug} cart={cart} location={menu.data.location} me={me.data ?? null} />;
}

function CheckoutForm({ slug, cart, location, me }: { slug: string; cart: Cart; location: Location; me: RouterOutputs['auth']['me'] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [type, setType] = useState<OrderType>('pickup');
  const [table, setTable] = useState('');
  const [address, setAddress] = useState('');
  const [when, setWhen] = useState<string>(location.isOpenNow ? ASAP : '');
  const [name, setName] = useState(me?.name ?? '');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState(me?.email ?? '');
  const [tipChoice, setTipChoice] = useState<(typeof TIP_CHOICES)[number]>('0');
  const [tipText, setTipText] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const paymentOptions = useQuery(trpc.payments.options.queryOptions());
  const online = paymentOptions.data?.online ?? false;
  const [payWith, setPayWith] = useState<PayWith>('counter');
  const [promoText, setPromoText] = useState('');
  const [promoApplied, setPromoApplied] = useState<string | undefined>(undefined);
  const [promoErrors, setPromoErrors] = useState<string[] | undefined>(undefined);

  // Slots today on the restaurant's calendar, or tomorrow's when today has none left.
  const today = localDate(location.timeZone, now());
  const slotsToday = useQuery(trpc.orders.slots.queryOptions({ locationSlug: slug, date: today }));
  const slotsTomorrow = useQuery({
    ...trpc.orders.slots.queryOptions({ locationSlug: slug, date: addDays(today, 1) }),
    enabled: slotsToday.data?.slots.length === 0,
  });
  const slots = slotsToday.data?.slots.length ? slotsToday.data.slots : (slotsTomorrow.data?.slots ?? []);
  const zone = zoneLabel(location.timeZone);

  const tipAmount = tipChoice === 'other' ? parseAmount(tipText, location.currency) : null;
  const tip: PlaceInput['tip'] = tipChoice === 'other' ? (tipAmount === null ? undefined : { amountMinor: tipAmount }) : { percent: Number(tipChoice) };
  const orderFields = {
    type,
    ...(type === 'dine_in' ? { table: table.trim() } : {}),
    ...(when && when !== ASAP ? { wantedAt: when } : {}),
    ...(tip ? { tip } : {}),
    ...(promoApplied ? { promoCode: promoApplied } : {}),
  };
  const { quote, settled, asked } = useQuote(slug, cart, orderFields);
  const paysOnline = online && payWith === 'online';

  // A code the server refuses (PROMO_INVALID, PROMO_EXPIRED …) is taken off again, its reason shown on the field.
  // Only a refusal of the quote that priced this very code (an older quote's may still be on screen).
  const quoteCode = asked.promoCode !== undefined && asked.promoCode === promoApplied ? bistroErrorCode(quote.error) : undefined;
  useEffect(() => {
    if (promoApplied && quoteCode?.startsWith('PROMO_')) {
      setPromoErrors([errorMessage(quote.error)]);
      setPromoApplied(undefined);
    }
  }, [promoApplied, quoteCode, quote.error]);
  const promo = {
    text: promoText,
    setText: (text: string) => {
      setPromoText(text);
      setPromoErrors(undefined);
    },
    applied: promoApplied,
    apply: () => {
      const checked = promoCodeSchema.safeParse(promoText);
      if (!checked.success) return setPromoErrors(checked.error.issues.map((i) => i.message));
      setPromoErrors(undefined);
      setPromoApplied(checked.data);
    },
    remove: () => {
      setPromoApplied(undefined);
      setPromoText('');
      setPromoErrors(undefined);
    },
    errors: promoErrors ?? errors.promoCode,
    discountMinor: promoApplied && quote.data?.promoCode === promoApplied ? quote.data.discountMinor : undefined,
  };

  const place = useMutation(trpc.orders.place.mutationOptions());
  /** A setter that also clears the field's error once the guest edits it. */
  const edit = (field: string, set: (value: string) => void) => (value: string) => {
    set(value);
    setErrors(({ [field]: _cleared, ...rest }) => rest);
  };

  const submit = () => {
    if (place.isPending) return;
    const order = {
      locationSlug: slug,
      lines: cartLines(cart),
      ...orderFields,
      contact: {
        name: name.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(type === 'delivery' ? { address: address.trim() } : {}),
      },
      ...(paysOnline ? { payment: 'online' as const } : {}),
    };
    const fieldErrors: Errors = {};
    if (!when) fieldErrors.wantedAt = ['Choose a time'];
    if (tipChoice === 'other' && tipAmount === null) fieldErrors.tip = ['Enter an amount, like 2.50'];
    // The same schema the server validates with.
    const checked = placeInput.safeParse({ ...order, idempotencyKey: 'checking-only-0000' });
    if (!checked.success) for (const issue of checked.error.issues) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
    setErrors(fieldErrors);
    if (Object.keys(fieldErrors).length > 0) return;
    const input: PlaceInput = { ...order, idempotencyKey: attemptKey(JSON.stringify(order)) };
    place.mutate(input, {
      onSuccess: (placed) => {
        finishAttempt();
        void queryClient.invalidateQueries({ queryKey: trpc.orders.listMine.pathKey() });
        if (placed.payment) {
          // The cart stays until the payment goes through: a declined card is followed by another.
          savePayment({ trackingToken: placed.trackingToken, slug, payment: placed.payment, order });
          void navigate({ to: placed.payment.provider === 'stripe' ? '/pay/stripe' : '/pay/sandbox', search: { order: placed.trackingToken } });
          return;
        }
        cartStore.clear(slug);
        void navigate({ to: '/track', search: { order: placed.trackingToken } });
      },
      onError: (error) => {
        setErrors(bistroFieldErrors<PlaceInput>(error));
        if (bistroErrorCode(error) === 'SLOT_FULL' || bistroErrorCode(error) === 'WANTED_AT_INVALID') {
          void queryClient.invalidateQueries({ queryKey: trpc.orders.slots.pathKey() });
        }
      },
    });
  };

  const error = place.error;
  const code = bistroErrorCode(error);
  const problemLine = code === 'SOLD_OUT' ? soldOutLine(error, cart) : undefined;
  const nextSlot = code === 'SLOT_FULL' ? slots.find((s) => s.startsAt.toISOString() !== when) : undefined;
  const opens = code === 'LOCATION_CLOSED' ? nextOpeningAt(location.openingHours, location.timeZone, now(), location.closures) : null;

  return (
    <section>
      <PageTitle title="Checkout">Checkout</PageTitle>
      <p className={styles.address}>
        {location.name}
        {location.address ? ` · ${location.address}` : ''}
      </p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <section aria-labelledby="type-heading" className={styles.panel}>
          <h2 id="type-heading" className={styles.panelTitle}>
            How would you like it?
          </h2>
          <RadioGroup aria-labelledby="type-heading" value={type} onChange={(v) => setType(v as OrderType)} className={styles.choices}>
            <Radio value="pickup" className={styles.choice}>
              <span className={styles.mark} aria-hidden="true" />
              <span className={styles.choiceName}>Pickup at the counter</span>
            </Radio>
            <Radio value="dine_in" isDisabled={!me} className={styles.choice}>
              <span className={styles.mark} aria-hidden="true" />
              <span className={styles.choiceName}>Dine in</span>
            </Radio>
            <Radio value="delivery" isDisabled={!me} className={styles.choice}>
              <span className={styles.mark} aria-hidden="true" />
              <span className={styles.choiceName}>Delivery</span>
            </Radio>
            {!me ? (
              <Text slot="description" className={styles.rule}>
                <Link to="/sign-in" search={{ next: `/l/${slug}/checkout` }}>
                  Sign in
                </Link>{' '}
                to order for dine-in or delivery.
              </Text>
            ) : null}
          </RadioGroup>
          {type === 'dine_in' ? <TextField label="Table number" name="table" value={table} onChange={edit('table', setTable)} isRequired errors={errors.table} /> : null}
          {type === 'delivery' ? (
            <TextField label="Delivery address" name="address" value={address} onChange={edit('contact.address', setAddress)} isRequired multiline autoComplete="street-address" errors={errors['contact.address']} />
          ) : null}
        </section>

        <section aria-labelledby="when-heading" className={styles.panel}>
          <h2 id="when-heading" className={styles.panelTitle}>
            When?{zone ? <span className={styles.zone}> (times in {zone})</span> : null}
          </h2>
          <RadioGroup aria-labelledby="when-heading" value={when} onChange={edit('wantedAt', setWhen)} className={styles.slots} isInvalid={!!errors.wantedAt}>
            {location.isOpenNow ? (
              <Radio value={ASAP} className={styles.slot}>
                As soon as possible
              </Radio>
            ) : null}
            {slots.slice(0, 16).map((slot) => (
              <Radio key={slot.startsAt.toISOString()} value={slot.startsAt.toISOString()} className={styles.slot}>
                {slotsToday.data?.slots.length ? formatTime(slot.startsAt, location.timeZone) : formatDayTime(slot.startsAt, location.timeZone)}
              </Radio>
            ))}
          </RadioGroup>
          {slotsToday.isPending ? <p className={styles.rule}>Finding times…</p> : null}
          {!location.isOpenNow && slots.length === 0 && !slotsToday.isPending ? <p>No times left to order for today or tomorrow.</p> : null}
          {errors.wantedAt ? <p className={styles.fieldError}>{errors.wantedAt.join(' ')}</p> : null}
        </section>

        <section aria-labelledby="contact-heading" className={styles.panel}>
          <h2 id="contact-heading" className={styles.panelTitle}>
            Your details
          </h2>
          <TextField label="Name" name="name" value={name} onChange={edit('contact.name', setName)} isRequired autoComplete="name" errors={errors['contact.name']} />
          <TextField label="Phone" name="phone" type="tel" inputMode="tel" value={phone} onChange={edit('contact.phone', setPhone)} autoComplete="tel" errors={errors['contact.phone']} description="Only if we need to reach you about this order." />
          <TextField label="Email" name="email" type="email" inputMode="email" value={email} onChange={edit('contact.email', setEmail)} autoComplete="email" errors={errors['contact.email']} />
        </section>

        <section aria-labelledby="tip-heading" className={styles.panel}>
          <h2 id="tip-heading" className={styles.panelTitle}>
            Tip for the team
          </h2>
          <RadioGroup aria-labelledby="tip-heading" orientation="horizontal" value={tipChoice} onChange={(v) => setTipChoice(v as typeof tipChoice)} className={styles.slots}>
            {TIP_CHOICES.map((choice) => (
              <Radio key={choice} value={choice} className={styles.slot}>
                {choice === 'other' ? 'Other' : choice === '0' ? 'No tip' : `${choice}%`}
              </Radio>
            ))}
          </RadioGroup>
          {tipChoice === 'other' ? (
            <TextField label={`Tip amount (${location.currency})`} name="tip" inputMode="decimal" value={tipText} onChange={edit('tip', setTipText)} isRequired errors={errors.tip ?? errors['tip.amountMinor']} />
          ) : null}
        </section>

        <PaymentStep payWith={payWith} onPayWithChange={setPayWith} online={online} promo={promo} currency={location.currency} />

        <section aria-labelledby="summary-heading" className={styles.panel}>
          <h2 id="summary-heading" className={styles.panelTitle}>
            Summary
          </h2>
          <ul className={styles.summaryLines}>
            {cart.lines.map((line, index) => {
              const priced = quote.data?.lines.find((l) => l.lineIndex === index);
              return (
                <li key={line.key}>
                  <span>
                    {line.quantity} × {line.name}
                    {line.optionNames.length > 0 ? <span className={styles.lineOptions}> · {line.optionNames.join(', ')}</span> : null}
                  </span>
                  {priced ? <span>{formatPrice(priced.lineTotalMinor, location.currency)}</span> : null}
                </li>
              );
            })}
          </ul>
          {quote.data ? <Totals quote={quote.data} currency={quote.data.currency} /> : null}
          {quote.data && quote.data.problems.length > 0 ? (
            <Alert>
              {quote.data.problems.map((p) => p.message).join(' ')}{' '}
              <Link to="/l/$slug/cart" params={{ slug }}>
                Review your order
              </Link>
            </Alert>
          ) : null}
        </section>

        {error ? (
          <Alert>
            {code === 'SOLD_OUT' ? (
              <>
                <p className={styles.alertText}>{error.message}. The rest of your order is kept.</p>
                {problemLine ? (
                  <Button variant="danger" onPress={() => { cartStore.remove(slug, problemLine.key); place.reset(); }}>
                    Remove {problemLine.name} from your order
                  </Button>
                ) : null}
              </>
            ) : code === 'SLOT_FULL' ? (
              <>
                <p className={styles.alertText}>That time is fully booked.</p>
                {nextSlot ? (
                  <Button variant="secondary" onPress={() => { setWhen(nextSlot.startsAt.toISOString()); place.reset(); }}>
                    Choose {formatTime(nextSlot.startsAt, location.timeZone)} instead
                  </Button>
                ) : null}
              </>
            ) : code === 'LOCATION_CLOSED' ? (
              <p className={styles.alertText}>
                {location.name} isn’t taking orders for that time.
                {opens ? ` It opens ${formatDayTime(opens, location.timeZone)}${zone ? ` (${zone})` : ''}: choose a time above.` : ''}
              </p>
            ) : (
              <p className={styles.alertText}>{errorMessage(error)}</p>
            )}
          </Alert>
        ) : null}

        <Button type="submit" wide isDisabled={!quote.data || quote.data.problems.length > 0} isPending={place.isPending}>
          {place.isPending
            ? 'Placing your order…'
            : `${paysOnline ? 'Continue to payment' : 'Place order'}${quote.data && settled ? ` · ${formatPrice(quote.data.totalMinor, quote.data.currency)}` : ''}`}
        </Button>
      </form>
    </section>
  );
}

/** The cart line a SOLD_OUT refusal names (its field is `lines.N`). */
function soldOutLine(error: unknown, cart: Cart) {
  const fields = Object.keys(bistroFieldErrors<PlaceInput>(error));
  const index = fields.map((f) => /^lines\.(\d+)$/.exec(f)?.[1]).find((i) => i !== undefined);
  return index === undefined ? undefined : cart.lines[Number(index)];
}
