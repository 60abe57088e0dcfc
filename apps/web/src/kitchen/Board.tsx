import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button as AriaButton } from 'react-aria-components';
import { useSubscription } from '@trpc/tanstack-react-query';
import { bistroErrorCode } from '@bistro/client';
import { Alert, Button, Loading, ModalDialog, TextField } from '../components/ui';
import { now } from '../lib/clock';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { beep } from './sound';
import { TicketCard } from './TicketCard';
import {
  applyEvent,
  boardOrder,
  COLUMNS,
  NEXT,
  recallTarget,
  restored,
  stationCanMark,
  withStationDone,
  withStatus,
  type FeedEvent,
  type Queue,
  type Ticket,
  type TicketStatus,
} from './tickets';
import styles from './kitchen.module.css';

export interface BoardProps {
  locationId: string;
  timeZone: string;
  stationId: string | undefined;
  /** Expo: whole orders, each line with its station. */
  expo: boolean;
  soundOn: boolean;
  /** The session ended (the feed or a call said UNAUTHORIZED). */
  onSignedOut: () => void;
}

/** The refusal of one ticket's bump or rejection, shown until the next action. */
interface Notice {
  number: string;
  text: string;
}

/**
 * The live board of one location (or one station): the open tickets from kitchen.queue, kept
 * current by kitchen.onTickets. On a station's screen each ticket being cooked has the station's
 * "done" toggle, and the recall key (R) takes back the last "done" this screen gave. The feed starts at the queue's position and, when the connection
 * drops, the link reconnects by itself with the id of the last event it got (`lastEventId`), so
 * nothing is lost or repeated. Tickets live in React Query's cache entry of the queue: an event
 * replaces its order's ticket there, so a ticket is never shown twice.
 */
export function Board({ locationId, timeZone, stationId, expo, soundOn, onSignedOut }: BoardProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = useMemo(() => ({ locationId, ...(stationId ? { stationId } : {}) }), [locationId, stationId]);
  const queueKey = trpc.kitchen.queue.queryKey(input);
  const queue = useQuery({ ...trpc.kitchen.queue.queryOptions(input), staleTime: Infinity });
  // Where the feed starts: the first read's position. Later re-reads never restart the feed.
  const [from, setFrom] = useState<string | null>(null);
  useEffect(() => {
    if (queue.data && from === null) setFrom(queue.data.lastEventId);
  }, [queue.data, from]);
  const soundRef = useRef(soundOn);
  soundRef.current = soundOn;

  const feed = useSubscription(
    trpc.kitchen.onTickets.subscriptionOptions(
      { ...input, lastEventId: from },
      {
        enabled: from !== null,
        onData: ({ data }) => {
          const event = data as FeedEvent;
          let isNew = false;
          queryClient.setQueryData(queueKey, (old: Queue | undefined) => {
            if (!old) return old;
            const next = applyEvent(old, event);
            isNew = next.isNew;
            return next.queue;
          });
          if (isNew && soundRef.current) beep();
        },
      },
    ),
  );
  const feedCode = feed.error ? bistroErrorCode(feed.error) : null;
  const queueCode = queue.error ? bistroErrorCode(queue.error) : null;
  useEffect(() => {
    if (feedCode === 'UNAUTHORIZED' || queueCode === 'UNAUTHORIZED') onSignedOut();
  }, [feedCode, queueCode, onSignedOut]);

  // A feed that was live and is connecting again (or failed): the banner says so until it is back.
  const wasLive = useRef(false);
  if (feed.status === 'pending') wasLive.current = true;
  const offline = wasLive.current && feed.status !== 'pending';

  const [notice, setNotice] = useState<Notice | null>(null);
  const refused = useCallback(
    (ticket: Ticket, error: unknown, movedOn = 'Another screen moved this ticket first. The board shows it as it is now.') => {
      if (bistroErrorCode(error) === 'UNAUTHORIZED') onSignedOut();
      queryClient.setQueryData(queueKey, (old: Queue | undefined) => (old ? restored(old, ticket) : old));
      const code = bistroErrorCode(error);
      setNotice({
        number: ticket.number,
        text: code === 'ORDER_TRANSITION_REFUSED' ? movedOn : errorMessage(error),
      });
      // The ticket as it really is now (the other screen's change): a fresh read, which the feed's later events build on.
      void queryClient.invalidateQueries({ queryKey: queueKey });
    },
    [queryClient, queueKey, onSignedOut],
  );

  const bump = useMutation(
    trpc.kitchen.bump.mutationOptions({
      onMutate: async ({ orderId }) => {
        await queryClient.cancelQueries({ queryKey: queueKey });
        const ticket = queryClient.getQueryData<Queue>(queueKey)?.tickets.find((t) => t.orderId === orderId);
        if (ticket && ticket.status !== 'completed') {
          queryClient.setQueryData(queueKey, (old: Queue | undefined) => (old ? withStatus(old, orderId, NEXT[ticket.status as TicketStatus]) : old));
        }
        return { ticket };
      },
      onError: (error, _input, context) => {
        if (context?.ticket) refused(context.ticket, error);
      },
    }),
  );
  const reject = useMutation(
    trpc.kitchen.reject.mutationOptions({
      onMutate: async ({ orderId }) => {
        await queryClient.cancelQueries({ queryKey: queueKey });
        const ticket = queryClient.getQueryData<Queue>(queueKey)?.tickets.find((t) => t.orderId === orderId);
        queryClient.setQueryData(queueKey, (old: Queue | undefined) => (old ? withStatus(old, orderId, 'cancelled') : old));
        return { ticket };
      },
      onError: (error, _input, context) => {
        if (context?.ticket) refused(context.ticket, error);
      },
    }),
  );

  // The tickets this screen marked done, latest last: what the recall key takes back.
  const [doneHere, setDoneHere] = useState<string[]>([]);
  const stationDone = useMutation(
    trpc.kitchen.stationDone.mutationOptions({
      onMutate: async ({ orderId, stationId: station, done }) => {
        await queryClient.cancelQueries({ queryKey: queueKey });
        const ticket = queryClient.getQueryData<Queue>(queueKey)?.tickets.find((t) => t.orderId === orderId);
        queryClient.setQueryData(queueKey, (old: Queue | undefined) => (old ? withStationDone(old, orderId, station, done) : old));
        setDoneHere((list) => [...list.filter((id) => id !== orderId), ...(done ? [orderId] : [])]);
        return { ticket };
      },
      onError: (error, _input, context) => {
        if (context?.ticket) refused(context.ticket, error, 'This order has moved on (a ready order can’t be recalled). The board shows it as it is now.');
      },
    }),
  );
  const { mutate: markDone } = stationDone;
  const toggleDone = useCallback(
    (ticket: Ticket, done: boolean) => {
      if (!stationId) return;
      setNotice(null);
      setSelected(ticket.orderId);
      markDone({ orderId: ticket.orderId, stationId, done });
    },
    [markDone, stationId],
  );
  const toRecall = stationId ? recallTarget(queue.data, doneHere, stationId) : null;
  const recall = useCallback(() => {
    if (toRecall) toggleDone(toRecall, false);
  }, [toRecall, toggleDone]);

  const tickets = useMemo(() => boardOrder(queue.data?.tickets ?? []), [queue.data]);
  const [selected, setSelected] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Ticket | null>(null);
  const [reason, setReason] = useState('');

  // Bumps go one after another: a second press on the bump bar (placed → preparing → ready)
  // leaves only once the first is answered, so the server never sees them out of order.
  const bumps = useRef<Promise<unknown>>(Promise.resolve());
  const { mutateAsync: bumpAsync } = bump;
  const doBump = useCallback(
    (ticket: Ticket) => {
      setNotice(null);
      setSelected(ticket.orderId);
      bumps.current = bumps.current.then(() => bumpAsync({ orderId: ticket.orderId, from: ticket.status })).catch(() => undefined);
    },
    [bumpAsync],
  );

  // The bump bar: 1–9 select the n-th ticket on the board (column by column), Enter presses its
  // focused button: on expo the bump, on a station's screen its "done" (the bump where there is
  // none, on a ready ticket); R recalls the last "done" on a station's screen.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (rejecting || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable)) return;
      if (/^[1-9]$/.test(event.key)) {
        const ticket = tickets[Number(event.key) - 1];
        if (ticket) {
          event.preventDefault();
          setSelected(ticket.orderId);
          const done = stationId ? document.querySelector<HTMLButtonElement>(`[data-done="${ticket.orderId}"]`) : null;
          (done ?? document.querySelector<HTMLButtonElement>(`[data-bump="${ticket.orderId}"]`))?.focus();
        }
      } else if (stationId && (event.key === 'r' || event.key === 'R')) {
        event.preventDefault();
        recall();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [tickets, rejecting, stationId, recall]);
  // After a bump the ticket's card moves to the next column (a new button): focus follows it there.
  useEffect(() => {
    if (!selected) return;
    const active = document.activeElement;
    if (active === null || active === document.body) document.querySelector<HTMLButtonElement>(`[data-bump="${selected}"]`)?.focus();
  }, [tickets, selected]);

  // The age timers: a tick every 15 s from the app's clock.
  const [clock, setClock] = useState(() => now());
  useEffect(() => {
    const timer = setInterval(() => setClock(now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  if (queue.isPending) return <Loading label="Loading tickets…" />;
  if (queue.isError && !queue.data) return queueCode === 'UNAUTHORIZED' ? null : <Alert>{errorMessage(queue.error)}</Alert>;
  const data = queue.data;
  if (!data) return null;

  return (
    <>
      {offline ? (
        <p role="status" className={styles.offline}>
          Connection lost — reconnecting. New tickets will appear as soon as it is back; none will be missed.
        </p>
      ) : null}
      {notice ? (
        <div className={styles.notice}>
          <Alert>
            Ticket {notice.number}: {notice.text}
          </Alert>
        </div>
      ) : null}
      {stationId ? (
        <div className={styles.recallBar}>
          <AriaButton className={styles.recall} isDisabled={!toRecall} onPress={recall} aria-keyshortcuts="R">
            Recall last done{toRecall ? ` (${toRecall.number})` : ''}
          </AriaButton>
          <p className={styles.recallHelp}>Takes back this station’s last “done”. A ticket bumped to ready can’t be recalled: an order has no way back from ready.</p>
        </div>
      ) : null}
      <div className={styles.columns}>
        {COLUMNS.map((column) => {
          const here = tickets.filter((t) => t.status === column.status);
          return (
            <section key={column.status} aria-labelledby={`col-${column.status}`} className={styles.column}>
              <h2 id={`col-${column.status}`} className={styles.columnTitle}>
                {column.title} <span className={styles.count}>({here.length})</span>
              </h2>
              {here.length === 0 ? <p className={styles.empty}>No tickets</p> : null}
              <ol className={styles.tickets}>
                {here.map((ticket) => (
                  <li key={ticket.orderId}>
                    <TicketCard
                      ticket={ticket}
                      position={tickets.indexOf(ticket) + 1}
                      bumpLabel={column.bump}
                      selected={selected === ticket.orderId}
                      expo={expo}
                      urgencyAt={clock}
                      prepMinutes={data.prepMinutes}
                      timeZone={timeZone}
                      onBump={() => doBump(ticket)}
                      stationDone={
                        stationId && stationCanMark(ticket)
                          ? { done: ticket.stations.some((st) => st.id === stationId && st.done), onToggle: () => toggleDone(ticket, !ticket.stations.some((st) => st.id === stationId && st.done)) }
                          : null
                      }
                      onReject={() => {
                        setReason('');
                        setRejecting(ticket);
                      }}
                    />
                  </li>
                ))}
              </ol>
            </section>
          );
        })}
      </div>
      <ModalDialog isOpen={rejecting !== null} onOpenChange={(open) => !open && setRejecting(null)} title={`Reject order ${rejecting?.number ?? ''}?`}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!rejecting || reason.trim() === '') return;
            setNotice(null);
            reject.mutate({ orderId: rejecting.orderId, reason: reason.trim() });
            setRejecting(null);
          }}
        >
          <p>The guest sees the reason, and the stock comes back.</p>
          <TextField label="Reason" name="reason" value={reason} onChange={setReason} isRequired description="For example: out of mussels" />
          <div className={styles.dialogActions}>
            <Button type="submit" variant="danger" wide isDisabled={reason.trim() === ''}>
              Reject order
            </Button>
            <Button variant="secondary" wide onPress={() => setRejecting(null)}>
              Keep it
            </Button>
          </div>
        </form>
      </ModalDialog>
    </>
  );
}
