import type { Context } from './context.js';

export interface AuditEntry {
  action: string;
  actorUserId?: string | null;
  targetType?: string;
  targetId?: string;
  locationId?: string | null;
  /** Before/after and other facts; never passwords or tokens. */
  details?: Record<string, unknown>;
}

/** Writes one audit row (who, what, target, when, IP, request id) in the caller's transaction. */
export async function recordAudit(ctx: Pick<Context, 'db' | 'request' | 'requestId' | 'auth'>, entry: AuditEntry, db = ctx.db): Promise<void> {
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
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
