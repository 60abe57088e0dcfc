import { z } from 'zod';
import { adminAuditListInput } from '@bistro/domain';
import { adminProcedure } from '../trpc.js';
import { decodeCursor, encodeCursor } from '../pagination.js';

export const AUDIT_PAGE_SIZE = 100;

const auditCursor = z.tuple([z.literal('audit'), z.number().int().positive().max(Number.MAX_SAFE_INTEGER)]);

/**
 * The audit log, newest first, 100 rows a page (keyset on id, so rows written while an admin
 * pages through never shift a page). Filters: one `action`, and `userId` for the rows where that
 * user acted or was acted upon.
 */
export const list = adminProcedure.input(adminAuditListInput).query(async ({ ctx, input }) => {
  const after = input.cursor === undefined ? null : decodeCursor(input.cursor, auditCursor);
  let query = ctx.db
    .selectFrom('audit_log')
    .select([
      'id',
      'at',
      'actor_user_id as actorUserId',
      'action',
      'target_type as targetType',
      'target_id as targetId',
      'location_id as locationId',
      'ip',
      'request_id as requestId',
      'details',
    ])
    .orderBy('id', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1);
  if (after) query = query.where('id', '<', after[1]);
  if (input.action) query = query.where('action', '=', input.action);
  const { userId } = input;
  if (userId) {
    query = query.where((eb) =>
      eb.or([eb('actor_user_id', '=', userId), eb.and([eb('target_type', '=', 'user'), eb('target_id', '=', userId)])]),
    );
  }
  const rows = await query.execute();
  const entries = rows.slice(0, AUDIT_PAGE_SIZE).map((row) => ({ ...row, at: new Date(row.at) }));
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > AUDIT_PAGE_SIZE && last ? encodeCursor(['audit', last.id]) : null };
});
