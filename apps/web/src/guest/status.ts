import type { RouterOutputs } from '@bistro/client';
import { findTransition } from '@bistro/domain';

export type OrderStatus = RouterOutputs['orders']['track']['status'];

/** What each state of the order means to the guest (exhaustive over the lifecycle's states). */
export const STATUS_TEXT = {
  pending_payment: { label: 'Waiting for payment', detail: 'Your order is placed once it is paid.' },
  placed: { label: 'Order received', detail: 'The kitchen has your order and will start on it shortly.' },
  preparing: { label: 'Being prepared', detail: 'The kitchen is cooking your order.' },
  ready: { label: 'Ready', detail: 'Your order is ready. Come to the counter.' },
  completed: { label: 'Collected', detail: 'Enjoy your meal!' },
  cancelled: { label: 'Cancelled', detail: 'This order was cancelled.' },
} as const satisfies Record<OrderStatus, { label: string; detail: string }>;

/** The steps a guest watches, in order. */
export const STEPS = ['placed', 'preparing', 'ready', 'completed'] as const satisfies readonly OrderStatus[];

/** Whether the orderer may still cancel: the domain's lifecycle decides. */
export function cancellable(status: OrderStatus): boolean {
  return findTransition(status, 'cancel', 'orderer') !== undefined;
}
