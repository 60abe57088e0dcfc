import { adminSetRoleInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { revokeAllSessions } from '../auth/sessions.js';
import { notFound } from '../errors.js';
import { adminProcedure } from '../trpc.js';
import { sessionsChanged } from '../auth/session-cache.js';

/**
 * Gives a user a role at a location (`staff`, `manager`), or removes it (`null`). A change ends
 * every session of that user, so the new rights start with a new token (OWASP ASVS: rotate the
 * session on a change of privilege), and is written to the audit log with before and after.
 * Setting the role the user already has changes nothing.
 */
export const setRole = adminProcedure.input(adminSetRoleInput).mutation(async ({ ctx, input }) => {
  const { userId, locationId, role } = input;
  const result = await ctx.db.transaction().execute(async (trx) => {
    // Locking the user's row orders concurrent role changes of one user, so `before` is
    // exactly what this change replaced.
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) throw notFound('User');
    const location = await trx.selectFrom('locations').select('id').where('id', '=', locationId).forKeyShare().executeTakeFirst();
    if (!location) throw notFound('Location');
    const current = await trx
      .selectFrom('location_roles')
      .select('role')
      .where('user_id', '=', userId)
      .where('location_id', '=', locationId)
      .executeTakeFirst();
    const before = current?.role ?? null;
    if (before === role) return { changed: false, sessionsEnded: 0 };

    if (role === null) {
      await trx.deleteFrom('location_roles').where('user_id', '=', userId).where('location_id', '=', locationId).execute();
    } else {
      await trx
        .insertInto('location_roles')
        .values({ user_id: userId, location_id: locationId, role, created_at: ctx.now() })
        .onConflict((oc) => oc.columns(['user_id', 'location_id']).doUpdateSet({ role }))
        .execute();
    }
    const sessionsEnded = await revokeAllSessions(trx, userId);
    await recordAudit(trx, ctx, { action: 'role.changed', targetType: 'user', targetId: userId, locationId, details: { before: { role: before }, after: { role }, sessionsEnded } });
    return { changed: true, sessionsEnded };
  });
  // An admin who changed their own role has just ended their own session too.
  if (result.changed) sessionsChanged(ctx, { userId });
  if (result.changed && userId === ctx.auth.user.id) ctx.cookies.clear();
  return { userId, locationId, role, ...result };
});
