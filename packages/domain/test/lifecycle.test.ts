import { describe, expect, it } from 'vitest';
import { BUMP_ACTION, findTransition, OPEN_TICKET_STATUSES, ORDER_STATUSES, type Actor, type OrderAction } from '../src/index.js';

const ACTIONS: OrderAction[] = ['pay', 'expire', 'accept', 'ready', 'complete', 'cancel', 'reject'];
const ACTORS: Actor[] = ['kitchen', 'orderer', 'system'];

describe('the order lifecycle, every status × action × actor', () => {
  it('allows exactly the moves on the picture and refuses everything else', () => {
    const allowed: string[] = [];
    for (const from of ORDER_STATUSES) {
      for (const action of ACTIONS) {
        for (const actor of ACTORS) {
          const t = findTransition(from, action, actor);
          if (t) {
            expect(t).toMatchObject({ from, action });
            allowed.push(`${from} ${action} by ${actor} → ${t.to}`);
          }
        }
      }
    }
    expect(allowed).toEqual([
      'pending_payment pay by system → placed',
      'pending_payment expire by system → cancelled',
      'placed accept by kitchen → preparing',
      'placed cancel by kitchen → cancelled',
      'placed cancel by orderer → cancelled',
      'placed reject by kitchen → cancelled',
      'preparing ready by kitchen → ready',
      'preparing reject by kitchen → cancelled',
      'ready complete by kitchen → completed',
      'ready reject by kitchen → cancelled',
    ]);
  });

  it('bumps a ticket one step on, and not past ready', () => {
    expect(BUMP_ACTION).toEqual({ placed: 'accept', preparing: 'ready', ready: 'complete' });
    for (const [from, action] of Object.entries(BUMP_ACTION)) {
      expect(findTransition(from as (typeof ORDER_STATUSES)[number], action, 'kitchen')).toBeDefined();
    }
  });

  it('lists the statuses a kitchen still acts on', () => {
    expect(OPEN_TICKET_STATUSES).toEqual(['placed', 'preparing', 'ready']);
    expect(ORDER_STATUSES).toEqual(['pending_payment', 'placed', 'preparing', 'ready', 'completed', 'cancelled']);
  });
});
