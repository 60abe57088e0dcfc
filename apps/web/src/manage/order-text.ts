import type { OrderStatus, OrderType } from '@bistro/domain';

/** Each status as staff say it (exhaustive over the lifecycle). */
export const STAFF_STATUS = {
  pending_payment: 'Awaiting payment',
  placed: 'New',
  preparing: 'Preparing',
  ready: 'Ready',
  completed: 'Completed',
  cancelled: 'Cancelled',
} as const satisfies Record<OrderStatus, string>;

export const TYPE_TEXT = { dine_in: 'Dine in', pickup: 'Pickup', delivery: 'Delivery' } as const satisfies Record<OrderType, string>;
