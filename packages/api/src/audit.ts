import type { Kysely } from 'kysely';
import type { DB } from '@bistro/db';
import type { AuditAction } from '@bistro/domain';
import type { Context } from './context.js';

export interface AuditEntry {
  /** What happened, named in the one style of `AUDIT_ACTIONS` (@bistro/domain). */
  action: AuditAction;
  actorUserId?: string | null;
  targetType?: string;
  targetId?: string;
  locationId?: string | null;
  /** Before/after and other facts; never passwords or tokens. */
  details?: Record<string, unknown>;
}

/**
 * Writes one audit row (who, what, target, IP, request id, and when: the request's clock) in
 * `db`, the caller's transaction when there is one.
 */
export async function recordAudit(db: Kysely<DB>, ctx: Pick<Context, 'request' | 'requestId' | 'auth' | 'now'>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      action: entry.action,
      actor_user_id: entry.actorUserId === undefined ? (ctx.auth?.user.id ?? null) : entry.actorUserId,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      location_id: entry.locationId ?? null,
      ip: ctx.request.ip,
      request_id: ctx.requestId,
      at: ctx.now(),
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
