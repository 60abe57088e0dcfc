/**
 * The order lifecycle as data (DOMAIN.md):
 *
 *   cart --quote--> pending_payment --paid--> placed --accept--> preparing --ready--> ready --complete--> completed
 *                        |                      |                    |                     |
 *                        +--expire/fail--> cancelled <--cancel/reject-+---------------------+
 *
 * Anything not listed here is refused. The database update that applies a transition is
 * conditional on `from`, so two screens racing on one ticket cannot both win.
 */
export const ORDER_STATUSES = ['pending_payment', 'placed', 'preparing', 'ready', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who acts: the kitchen (staff or manager of the location), the guest or customer who ordered, or Bistro itself. */
export type Actor = 'kitchen' | 'orderer' | 'system';

export type OrderAction = 'pay' | 'expire' | 'accept' | 'ready' | 'complete' | 'cancel' | 'reject';
/** What an order's history records: its placing, then each transition's action, and money given back (a row that changes no status). */
export type OrderHistoryAction = OrderAction | 'place' | 'refund';

export interface Transition {
  readonly from: OrderStatus;
  readonly action: OrderAction;
  readonly to: OrderStatus;
  readonly who: readonly Actor[];
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'pending_payment', action: 'pay', to: 'placed', who: ['system'] },
  { from: 'pending_payment', action: 'expire', to: 'cancelled', who: ['system'] },
  { from: 'placed', action: 'accept', to: 'preparing', who: ['kitchen'] },
  { from: 'preparing', action: 'ready', to: 'ready', who: ['kitchen'] },
  { from: 'ready', action: 'complete', to: 'completed', who: ['kitchen'] },
  // The guest may change their mind only until the kitchen accepts.
  { from: 'placed', action: 'cancel', to: 'cancelled', who: ['orderer', 'kitchen'] },
  { from: 'placed', action: 'reject', to: 'cancelled', who: ['kitchen'] },
  { from: 'preparing', action: 'reject', to: 'cancelled', who: ['kitchen'] },
  { from: 'ready', action: 'reject', to: 'cancelled', who: ['kitchen'] },
];

/** The transition `action` makes from `from`, if `actor` may make it; undefined otherwise. */
export function findTransition(from: OrderStatus, action: OrderAction, actor: Actor): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.action === action && t.who.includes(actor));
}

/** A kitchen bump moves a ticket one step on: placed → preparing → ready → completed. */
export const BUMP_ACTION: Partial<Record<OrderStatus, OrderAction>> = {
  placed: 'accept',
  preparing: 'ready',
  ready: 'complete',
};

/** Statuses the kitchen still has to act on. */
export const OPEN_TICKET_STATUSES: readonly OrderStatus[] = ['placed', 'preparing', 'ready'];

/**
 * Statuses in which a station may mark its lines of a ticket done, or take that back: while the
 * order is still being cooked. A ready order has no step back (the lifecycle), so neither has its stations' "done".
 */
export const STATION_WORK_STATUSES = ['placed', 'preparing'] as const satisfies readonly OrderStatus[];
