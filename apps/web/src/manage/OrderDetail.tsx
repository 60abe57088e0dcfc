import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { RouterOutputs } from '@bistro/client';
import { findTransition, orderRefundInput, parseMoneyInput, toDecimalString, money } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { NotFound, PageTitle } from '../components/Layout';
import { Alert, Button, Loading, TextField } from '../components/ui';
import { formatDayTime, formatPrice } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { check, serverErrors, type Errors } from './forms';
import { STAFF_STATUS, TYPE_TEXT } from './order-text';
import styles from './manage.module.css';

function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

/** One order as its location's manager sees it: lines, totals, history, money, and what may still be done. */
export function OrderDetail({ location, orderId }: { location: StaffLocation; orderId: string }) {
  const trpc = useTRPC();
  const order = useQuery(trpc.orders.get.queryOptions({ orderId }));
  if (order.isPending) return <Loading label="Loading the order…" />;
  if (order.isError) return <Alert>{errorMessage(order.error)}</Alert>;
  const o = order.data;
  // An order of another location than the one being managed: as if it did not exist here.
  if (o.location.id !== location.id) return <NotFound />;
  const zone = location.timeZone;
  return (
    <>
      <p>
        <Link to="/manage/orders" search={{ location: location.id }}>
          ← All orders
        </Link>
      </p>
      <PageTitle title={`Order ${o.number} · ${location.name}`}>Order {o.number}</PageTitle>
      <p>
        <span className={styles.badge}>{STAFF_STATUS[o.status]}</span> · {TYPE_TEXT[o.type]}
        {o.table ? ` · table ${o.table}` : ''} · placed {formatDayTime(o.placedAt, zone)}
        {o.wantedAt ? ` · wanted ${formatDayTime(o.wantedAt, zone)}` : ''}
      </p>
      {o.contact ? (
        <p>
          {o.contact.name}
          {o.contact.phone ? ` · ${o.contact.phone}` : ''}
          {o.contact.email ? ` · ${o.contact.email}` : ''}
        </p>
      ) : o.guestFirstName ? (
        <p>{o.guestFirstName}</p>
      ) : null}
      <section className={styles.section} aria-labelledby="lines">
        <h2 id="lines">What was ordered</h2>
        <ul className={styles.list}>
          {o.lines.map((line, index) => (
            <li key={index} className={styles.row}>
              <div className={styles.rowMain}>
                {line.quantity} × {line.name}
                {line.options.length ? <div className={styles.muted}>{line.options.map((opt) => opt.name).join(', ')}</div> : null}
                {line.note ? <div className={styles.muted}>Note: {line.note}</div> : null}
              </div>
              <span>{formatPrice(line.lineTotalMinor, o.currency)}</span>
            </li>
          ))}
        </ul>
        <dl className={styles.totals}>
          <dt>Subtotal</dt>
          <dd>{formatPrice(o.subtotalMinor, o.currency)}</dd>
          <dt>Tax</dt>
          <dd>{formatPrice(o.taxMinor, o.currency)}</dd>
          {o.tipMinor ? (
            <>
              <dt>Tip</dt>
              <dd>{formatPrice(o.tipMinor, o.currency)}</dd>
            </>
          ) : null}
          <dt>Total</dt>
          <dd>
            <strong>{formatPrice(o.totalMinor, o.currency)}</strong>
          </dd>
        </dl>
      </section>
      <CancelOrder orderId={o.id} status={o.status} />
      <Payments location={location} order={o} />
      <section className={styles.section} aria-labelledby="history">
        <h2 id="history">History</h2>
        <ol className={styles.list}>
          {o.history.map((h, i) => (
            <li key={i} className={styles.row}>
              <span className={styles.rowMain}>
                {h.from ? `${STAFF_STATUS[h.from]} → ` : ''}
                {STAFF_STATUS[h.to]} <span className={styles.muted}>({h.action})</span>
                {h.reason ? <div className={styles.muted}>{h.reason}</div> : null}
              </span>
              <span>{formatDayTime(h.at, zone)}</span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

type Order = RouterOutputs['orders']['get'];

/** Cancelling from the console is the kitchen's reject, with a reason the guest is told: where the lifecycle allows it. */
function CancelOrder({ orderId, status }: { orderId: string; status: Order['status'] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const reject = useMutation(
    trpc.kitchen.reject.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(),
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  if (!findTransition(status, 'reject', 'kitchen')) return null;
  return (
    <form
      className={styles.section}
      aria-label="Cancel this order"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!reason.trim()) setErrors({ reason: ['Say why, for the guest'] });
        else reject.mutate({ orderId, reason: reason.trim() });
      }}
    >
      <h2>Cancel this order</h2>
      <TextField label="Reason (the guest is told)" name="reason" value={reason} onChange={setReason} isRequired errors={errors.reason} />
      {reject.isError && !errors.reason ? <Alert>{errorMessage(reject.error)}</Alert> : null}
      <Button type="submit" variant="danger" isPending={reject.isPending}>
        Cancel order
      </Button>
    </form>
  );
}

type RefundMode = 'full' | 'amount' | 'lines';

/** The order's money: tenders, refunds, and a refund (whole, by amount, or by lines) for managers. */
function Payments({ location, order }: { location: StaffLocation; order: Order }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const payments = useQuery(trpc.orders.payments.queryOptions({ orderId: order.id }));
  const [mode, setMode] = useState<RefundMode>('amount');
  const [amount, setAmount] = useState('');
  const [lines, setLines] = useState<number[]>([]);
  const [reason, setReason] = useState('');
  const [key, setKey] = useState(newKey);
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState<string | null>(null);
  const groupId = useId();
  const refresh = () => queryClient.invalidateQueries();
  const refund = useMutation(
    trpc.orders.refund.mutationOptions({
      onSuccess: async (result) => {
        setDone(`Refunded ${formatPrice(result.amountMinor, order.currency)}.`);
        setAmount('');
        setLines([]);
        setReason('');
        setKey(newKey());
        await refresh();
      },
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  const tender = useMutation(trpc.orders.tender.mutationOptions({ onSuccess: refresh }));
  const [tenderKey] = useState(newKey);

  if (payments.isPending) return <Loading label="Loading payments…" />;
  if (payments.isError) return <Alert>{errorMessage(payments.error)}</Alert>;
  const p = payments.data;
  const refundable = p.capturedMinor - p.refundedMinor;
  const owed = p.totalMinor - p.capturedMinor;

  const submit = () => {
    setDone(null);
    const found: Errors = {};
    let amountMinor: number | undefined;
    if (mode === 'amount') {
      const parsed = parseMoneyInput(amount, order.currency);
      if (parsed === null || parsed === 0) found.amountMinor = [`Enter an amount like ${toDecimalString(money(500, order.currency))}`];
      else amountMinor = parsed;
    }
    if (mode === 'lines' && lines.length === 0) found.lines = ['Choose the lines to refund'];
    const input = {
      orderId: order.id,
      reason: reason.trim(),
      idempotencyKey: key,
      ...(amountMinor !== undefined ? { amountMinor } : {}),
      ...(mode === 'lines' && lines.length ? { lines } : {}),
    };
    Object.assign(found, check(orderRefundInput, input));
    setErrors(found);
    if (Object.keys(found).length === 0) refund.mutate(input);
  };

  return (
    <section className={styles.section} aria-labelledby="money">
      <h2 id="money">Payment</h2>
      <dl className={styles.totals}>
        <dt>Paid</dt>
        <dd>{formatPrice(p.capturedMinor, p.currency)}</dd>
        <dt>Refunded</dt>
        <dd>{formatPrice(p.refundedMinor, p.currency)}</dd>
        <dt>Net</dt>
        <dd>{formatPrice(p.netMinor, p.currency)}</dd>
      </dl>
      {p.tenders.length ? (
        <ul className={styles.list} aria-label="Tenders">
          {p.tenders.map((t) => (
            <li key={t.id} className={styles.row}>
              <span className={styles.rowMain}>
                {t.method === 'cash' ? 'Cash' : 'Card'} · {t.status}
              </span>
              <span>
                {formatPrice(t.capturedMinor, p.currency)}
                {t.refundedMinor ? ` (refunded ${formatPrice(t.refundedMinor, p.currency)})` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing paid yet{p.paymentMethod === 'counter' ? ': the guest pays at the counter.' : '.'}</p>
      )}
      {p.refunds.length ? (
        <>
          <h3>Refunds</h3>
          <ul className={styles.list} aria-label="Refunds">
            {p.refunds.map((r) => (
              <li key={r.id} className={styles.row}>
                <span className={styles.rowMain}>
                  {r.reason} <span className={styles.muted}>({r.status})</span>
                </span>
                <span>{formatPrice(r.amountMinor, p.currency)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {p.paymentMethod === 'counter' && owed > 0 && order.status !== 'cancelled' ? (
        <p>
          <Button variant="secondary" isPending={tender.isPending} onPress={() => tender.mutate({ orderId: order.id, method: 'cash', amountMinor: owed, idempotencyKey: tenderKey })}>
            Take {formatPrice(owed, p.currency)} in cash
          </Button>
          {tender.isError ? <Alert>{errorMessage(tender.error)}</Alert> : null}
        </p>
      ) : null}
      {location.role !== 'staff' && refundable > 0 ? (
        <form
          noValidate
          aria-label="Refund"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <h3>Refund</h3>
          <fieldset className={styles.checks}>
            <legend id={groupId}>What to refund</legend>
            <div className={styles.checkList}>
              {(
                [
                  ['full', `Everything still refundable (${formatPrice(refundable, p.currency)})`],
                  ['amount', 'An amount'],
                  ['lines', 'Some lines'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className={styles.check}>
                  <input type="radio" name="refund-mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          {mode === 'amount' ? (
            <TextField label={`Amount (${p.currency})`} name="amount" inputMode="decimal" value={amount} onChange={setAmount} isRequired errors={errors.amountMinor} />
          ) : null}
          {mode === 'lines' ? (
            <fieldset className={styles.checks}>
              <legend>Lines</legend>
              {order.lines.map((line, index) => (
                <label key={index} className={styles.check}>
                  <input
                    type="checkbox"
                    checked={lines.includes(index)}
                    onChange={(event) => setLines((list) => (event.target.checked ? [...list, index] : list.filter((i) => i !== index)))}
                  />
                  {line.quantity} × {line.name} ({formatPrice(line.lineTotalMinor, order.currency)})
                </label>
              ))}
              {errors.lines ? <p className={styles.fieldError}>{errors.lines.join(' ')}</p> : null}
            </fieldset>
          ) : null}
          <TextField label="Reason" name="refund-reason" value={reason} onChange={setReason} isRequired errors={errors.reason} />
          {refund.isError && Object.keys(errors).length === 0 ? <Alert>{errorMessage(refund.error)}</Alert> : null}
          {done ? <Alert tone="info">{done}</Alert> : null}
          <Button type="submit" isPending={refund.isPending}>
            Refund
          </Button>
        </form>
      ) : null}
    </section>
  );
}
