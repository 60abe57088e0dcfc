import { describe, expect, it } from 'vitest';
import { applyEvent, boardOrder, recallTarget, stationCanMark, urgency, withStationDone, withStatus, type Queue, type Ticket } from '../src/kitchen/tickets.js';

/** The board's own rules (no server needed): one ticket per order whatever the feed replays, and lateness against prep time. */

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 18, minute));

function ticket(orderId: string, overrides: Partial<Ticket> = {}): Ticket {
  return { orderId, number: `#A-${orderId}`, status: 'placed', type: 'pickup', table: null, wantedAt: null, placedAt: at(0), guestFirstName: 'Ana', lines: [], stations: [], ...overrides };
}

const queue = (tickets: Ticket[], lastEventId = '10'): Queue => ({ tickets, lastEventId, prepMinutes: 20 });

describe('the board’s events', () => {
  it('replaces an order’s ticket with the event’s, never adding a second, and drops it once completed or cancelled', () => {
    const start = queue([ticket('1')]);
    const bumped = applyEvent(start, { eventId: 11, orderId: '1', status: 'preparing', ticket: ticket('1', { status: 'preparing' }) });
    expect(bumped.queue.tickets.map((t) => [t.orderId, t.status])).toEqual([['1', 'preparing']]);
    expect(bumped.isNew).toBe(false);
    const added = applyEvent(bumped.queue, { eventId: 12, orderId: '2', status: 'placed', ticket: ticket('2') });
    expect(added.isNew).toBe(true);
    expect(added.queue.tickets).toHaveLength(2);
    const done = applyEvent(added.queue, { eventId: 13, orderId: '1', status: 'completed', ticket: ticket('1', { status: 'completed' }) });
    expect(done.queue.tickets.map((t) => t.orderId)).toEqual(['2']);
    expect(done.queue.lastEventId).toBe('13');
  });

  it('ignores an event the queue already holds (at or before its position), so a re-read after a refused bump is not undone', () => {
    const fresh = queue([ticket('1', { status: 'ready' })], '20');
    const stale = applyEvent(fresh, { eventId: 15, orderId: '1', status: 'preparing', ticket: ticket('1', { status: 'preparing' }) });
    expect(stale.queue).toBe(fresh);
  });

  it('orders the board column by column, each by wanted-at (as soon as possible counting as placed-at), then placed-at', () => {
    const tickets = [
      ticket('late', { wantedAt: at(50), placedAt: at(1) }),
      ticket('ready', { status: 'ready', placedAt: at(0) }),
      ticket('asap', { placedAt: at(5) }),
      ticket('cooking', { status: 'preparing', placedAt: at(9) }),
    ];
    expect(boardOrder(tickets).map((t) => t.orderId)).toEqual(['asap', 'late', 'cooking', 'ready']);
    expect(withStatus(queue(tickets), 'asap', 'completed').tickets.map((t) => t.orderId)).not.toContain('asap');
  });
});

describe('a station’s “done” and its recall', () => {
  const grill = { id: 'g', name: 'Grill', done: false };
  const cold = { id: 'c', name: 'Cold', done: false };

  it('marks one station of one ticket done, leaving the others', () => {
    const start = queue([ticket('1', { stations: [grill, cold] }), ticket('2', { stations: [grill] })]);
    const marked = withStationDone(start, '1', 'g', true);
    expect(marked.tickets.map((t) => t.stations.map((s) => [s.id, s.done]))).toEqual([
      [
        ['g', true],
        ['c', false],
      ],
      [['g', false]],
    ]);
  });

  it('recalls the last ticket this screen marked done that still shows done; none when nothing does', () => {
    const board = queue([ticket('1', { stations: [{ ...grill, done: true }] }), ticket('2', { stations: [{ ...grill, done: false }] }), ticket('3', { stations: [{ ...grill, done: true }] })]);
    expect(recallTarget(board, ['3', '1'], 'g')?.orderId).toBe('1');
    // Ticket 2 was undone elsewhere since: the recall goes back past it.
    expect(recallTarget(board, ['1', '2'], 'g')?.orderId).toBe('1');
    expect(recallTarget(board, ['2'], 'g')).toBeNull();
    expect(recallTarget(board, [], 'g')).toBeNull();
    // A ticket gone from the board (completed) is not recalled.
    expect(recallTarget(board, ['9'], 'g')).toBeNull();
  });

  it('can change only while the order is being cooked (placed or preparing), never once ready', () => {
    expect(['placed', 'preparing', 'ready'].map((status) => stationCanMark(ticket('1', { status: status as Ticket['status'] })))).toEqual([true, true, false]);
  });
});

describe('a ticket’s age against the prep time', () => {
  it('is on time, then due soon in the last quarter, then late once due; a ready ticket waits for the guest, not the cook', () => {
    const t = ticket('1', { placedAt: at(0) });
    expect(urgency(t, 20, at(10))).toBe('on_time');
    expect(urgency(t, 20, at(15))).toBe('due_soon');
    expect(urgency(t, 20, at(20))).toBe('late');
    expect(urgency({ ...t, status: 'ready' }, 20, at(40))).toBe('on_time');
    // A ticket wanted later is due at its wanted time.
    expect(urgency({ ...t, wantedAt: at(45) }, 20, at(30))).toBe('on_time');
    expect(urgency({ ...t, wantedAt: at(45) }, 20, at(41))).toBe('due_soon');
  });
});
