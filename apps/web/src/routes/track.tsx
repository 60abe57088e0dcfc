import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, Link } from '@tanstack/react-router';
import { useSubscription } from '@trpc/tanstack-react-query';
import { PageTitle } from '../components/Layout';
import { Alert, Loading } from '../components/ui';
import { CancelOrder } from '../guest/CancelOrder';
import { cancellable, STATUS_TEXT, STEPS, type OrderStatus } from '../guest/status';
import { Totals } from '../guest/Totals';
import { formatDayTime, formatPrice, formatTime, zoneLabel } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { readPayment } from '../lib/payment';
import { useTRPC } from '../lib/trpc';
import styles from '../guest/guest.module.css';

export const Route = createLazyRoute('/track')({ component: TrackPage });
const route = getRouteApi('/track');

/**
 * The order's own page, at a shareable address carrying its tracking token: number, lines, total,
 * and the status live over orders.onStatus (server-sent events that resume after a dropped
 * connection). A reload, or the link opened elsewhere, follows the same order.
 */
function TrackPage() {
  const { order: token } = route.useSearch();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const order = useQuery({ ...trpc.orders.track.queryOptions({ trackingToken: token }), enabled: token !== '' });
  const locations = useQuery({ ...trpc.locations.list.queryOptions(), enabled: order.isSuccess });
  const [live, setLive] = useState<OrderStatus | null>(null);
  const connected = useRef(false);

  const feed = useSubscription(
    trpc.orders.onStatus.subscriptionOptions(
      { trackingToken: token },
      {
        enabled: order.isSuccess,
        onStarted: () => {
          connected.current = true;
        },
        onData: ({ data }) => {
          setLive(data.status);
          // Lines and totals don't change; the history (and a cancellation's reason) may.
          void queryClient.invalidateQueries({ queryKey: trpc.orders.track.queryKey({ trackingToken: token }) });
        },
      },
    ),
  );
  // A feed that was up and is connecting again: the link is reconnecting (it resumes where it was).
  const [reconnecting, setReconnecting] = useState(false);
  useEffect(() => {
    setReconnecting(connected.current && (feed.status === 'connecting' || feed.status === 'error'));
  }, [feed.status]);

  if (!token) return <Alert>This link has no order in it. Open the link from your confirmation again.</Alert>;
  if (order.isPending) return <Loading label="Finding your order…" />;
  if (order.isError) return <Alert>{errorMessage(order.error)}</Alert>;

  const o = order.data;
  const status = live ?? o.status;
  const resumable = readPayment(token);
  const cancelReason = o.history.findLast((h) => h.to === 'cancelled')?.reason ?? null;
  const text = STATUS_TEXT[status];
  const timeZone = locations.data?.find((l) => l.slug === o.location.slug)?.timeZone;
  const zone = timeZone ? zoneLabel(timeZone) : null;
  const stepIndex = STEPS.findIndex((s) => s === status);

  return (
    <section>
      <PageTitle title={`Order ${o.number}`}>Order {o.number}</PageTitle>
      <p className={styles.address}>
        {o.location.name} · {o.type === 'pickup' ? 'Pickup' : o.type === 'dine_in' ? `Dine in${o.table ? `, table ${o.table}` : ''}` : 'Delivery'}
        {o.wantedAt && timeZone ? ` · for ${formatDayTime(o.wantedAt, timeZone)}${zone ? ` (${zone})` : ''}` : ' · as soon as possible'}
      </p>

      {status === 'pending_payment' && resumable ? (
        <p>
          <Link to={resumable.payment.provider === 'stripe' ? '/pay/stripe' : '/pay/sandbox'} search={{ order: token }} className={styles.primaryLink}>
            Continue to payment
          </Link>
        </p>
      ) : null}
      <div className={styles.statusCard} aria-live="polite" aria-atomic="true">
        <p className={styles.statusLabel}>
          <span className="visually-hidden">Status: </span>
          {text.label}
        </p>
        <p className={styles.statusDetail}>{status === 'cancelled' && cancelReason ? `${text.detail.replace(/\.$/, '')}: ${cancelReason}.` : text.detail}</p>
      </div>
      {reconnecting ? (
        <p className={styles.reconnecting} role="status">
          Reconnecting… the status will update as soon as we’re back.
        </p>
      ) : null}
      {status !== 'cancelled' && status !== 'pending_payment' ? (
        <ol className={styles.steps} aria-label="Progress">
          {STEPS.map((step, i) => (
            <li key={step} className={i <= stepIndex ? styles.stepDone : styles.step} aria-current={i === stepIndex ? 'step' : undefined}>
              {STATUS_TEXT[step].label}
            </li>
          ))}
        </ol>
      ) : null}

      <section aria-labelledby="lines-heading" className={styles.panel}>
        <h2 id="lines-heading" className={styles.panelTitle}>
          Your order
        </h2>
        <ul className={styles.summaryLines}>
          {o.lines.map((line, i) => (
            <li key={i}>
              <span>
                {line.quantity} × {line.name}
                {line.options.length > 0 ? <span className={styles.lineOptions}> · {line.options.map((opt) => opt.name).join(', ')}</span> : null}
              </span>
              <span>{formatPrice(line.lineTotalMinor, o.currency)}</span>
            </li>
          ))}
        </ul>
        <Totals quote={o} currency={o.currency} />
        <p className={styles.rule}>
          Placed {timeZone ? formatTime(o.placedAt, timeZone) : null}
          {zone ? ` (${zone})` : ''}. {payNote(o.paymentMethod, status)}
        </p>
      </section>

      {cancellable(status) ? <CancelOrder which={{ trackingToken: token }} number={o.number} /> : null}
      <p className={styles.rule}>Keep this page’s address to follow your order from any device.</p>
      <Link to="/l/$slug" params={{ slug: o.location.slug }}>
        Back to the menu
      </Link>
    </section>
  );
}

/** How the order is paid, as the guest reads it under the totals. */
function payNote(method: 'counter' | 'online', status: OrderStatus): string {
  if (method === 'counter') return 'Pay at the counter.';
  if (status === 'pending_payment') return 'Paying online: waiting for the payment to be confirmed.';
  if (status === 'cancelled') return 'Anything paid online for it is refunded.';
  return 'Paid online.';
}
