import { useId, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ORDER_STATUSES, type OrderStatus } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, Loading } from '../components/ui';
import { formatPrice, formatTime } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC, useTRPCClient } from '../lib/trpc';
import { STAFF_STATUS, TYPE_TEXT } from './order-text';
import styles from './manage.module.css';

/**
 * A day's orders at the location (today on its own calendar unless another day is chosen),
 * newest first, optionally of one status; each opens its detail.
 */
export function OrdersList({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const dayId = useId();
  const statusId = useId();
  const [day, setDay] = useState('');
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const input = { locationId: location.id, ...(day ? { day } : {}), ...(status ? { status } : {}) };
  // The pages by hand: tRPC's infinite options add a `direction` the strict input refuses.
  const orders = useInfiniteQuery({
    queryKey: [...trpc.orders.list.pathKey(), input, 'pages'],
    queryFn: ({ pageParam }) => client.orders.list.query(pageParam ? { ...input, cursor: pageParam } : input),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: 30_000,
  });
  const shownDay = orders.data?.pages[0]?.from ?? day;
  const rows = orders.data?.pages.flatMap((p) => p.orders) ?? [];
  return (
    <>
      <form className={styles.bar} aria-label="Which orders" onSubmit={(event) => event.preventDefault()}>
        <div className={styles.picker}>
          <label htmlFor={dayId}>Day</label>
          <input id={dayId} className={styles.select} type="date" value={day || shownDay} onChange={(event) => setDay(event.target.value)} />
        </div>
        <div className={styles.picker}>
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} className={styles.select} value={status} onChange={(event) => setStatus(event.target.value as OrderStatus | '')}>
            <option value="">All</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STAFF_STATUS[s]}
              </option>
            ))}
          </select>
        </div>
      </form>
      {orders.isPending ? <Loading label="Loading orders…" /> : null}
      {orders.isError ? <Alert>{errorMessage(orders.error)}</Alert> : null}
      {orders.isSuccess && rows.length === 0 ? <p>No orders {status ? `${STAFF_STATUS[status].toLowerCase()} ` : ''}on this day.</p> : null}
      {rows.length > 0 ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <caption className="visually-hidden">Orders on {shownDay}</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Type</th>
                <th scope="col">Guest</th>
                <th scope="col">Items</th>
                <th scope="col">Total</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((order) => (
                <tr key={order.id}>
                  <td>
                    <Link to="/manage/orders/$orderId" params={{ orderId: order.id }} search={{ location: location.id }}>
                      {order.number}
                    </Link>
                  </td>
                  <td>{formatTime(order.placedAt, location.timeZone)}</td>
                  <td>
                    {TYPE_TEXT[order.type]}
                    {order.table ? ` · table ${order.table}` : ''}
                  </td>
                  <td>{order.guestFirstName}</td>
                  <td>{order.itemCount}</td>
                  <td>
                    {formatPrice(order.totalMinor, order.currency)}
                    {order.paymentMethod === 'counter' ? <span className={styles.muted}> at the counter</span> : null}
                  </td>
                  <td>
                    <span className={styles.badge}>{STAFF_STATUS[order.status]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {orders.hasNextPage ? (
        <Button variant="secondary" isPending={orders.isFetchingNextPage} onPress={() => void orders.fetchNextPage()}>
          Show older orders
        </Button>
      ) : null}
    </>
  );
}
