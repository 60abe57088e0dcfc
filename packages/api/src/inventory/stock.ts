import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { MovementReason } from '@bistro/domain';

export interface Movement {
  ingredientId: string;
  locationId: string;
  /** Non-zero whole units; negative takes stock away. */
  delta: number;
  reason: MovementReason;
  note?: string;
  actorUserId?: string | null;
  orderId?: string | null;
  /** When: the request's clock (`ctx.now()`), never the database's. */
  at: Date;
}

/**
 * The only way stock changes: one ledger row and the matching change of `on_hand`, in the
 * caller's transaction. The UPDATE is conditional, so the database refuses to go below zero
 * even with adjustments racing on the same ingredient: null means refused, and nothing was
 * written. Call it inside a transaction (the two statements must commit together).
 */
export async function applyMovement(db: Kysely<DB>, movement: Movement): Promise<{ movementId: number; onHand: number } | null> {
  const updated = await db
    .updateTable('ingredients')
    .set((eb) => ({ on_hand: eb('on_hand', '+', movement.delta) }))
    .where('id', '=', movement.ingredientId)
    .where('location_id', '=', movement.locationId)
    .where((eb) => eb(eb('on_hand', '+', movement.delta), '>=', 0))
    .returning('on_hand')
    .executeTakeFirst();
  if (!updated) return null;
  const { id } = await db
    .insertInto('stock_movements')
    .values({
      location_id: movement.locationId,
      ingredient_id: movement.ingredientId,
      delta: movement.delta,
      reason: movement.reason,
      note: movement.note ?? '',
      actor_user_id: movement.actorUserId ?? null,
      order_id: movement.orderId ?? null,
      created_at: movement.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { movementId: id, onHand: updated.on_hand };
}

/**
 * Whether a change of this ingredient's stock can change what the menu shows: it can when a
 * recipe (of an item or an option) uses it. Availability may depend on the sum of several
 * recipe lines (an item and its default options), so any used ingredient counts.
 */
export async function usedInRecipes(db: Kysely<DB>, ingredientId: string): Promise<boolean> {
  const row = await db.selectFrom('recipe_lines').select('id').where('ingredient_id', '=', ingredientId).limit(1).executeTakeFirst();
  return row !== undefined;
}
