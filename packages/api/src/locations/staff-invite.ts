import { inviteStaffInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { issueToken, TOKEN_TTL_MS } from '../auth/emails.js';
import { emailsEnqueued, enqueueAccountEmail } from '../emails/task.js';
import { managerProcedure } from '../trpc.js';

/**
 * Invites someone to work at the manager's location as staff or manager: an email with a
 * single-use link (7 days). Accepting it creates the account, or links the role to the account
 * that has this email. The answer never says which.
 */
export const invite = managerProcedure.input(inviteStaffInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const location = await ctx.db.selectFrom('locations').select('name').where('id', '=', ctx.locationId).executeTakeFirstOrThrow();
  await ctx.db.transaction().execute(async (trx) => {
    const token = await issueToken(trx, {
      kind: 'invitation',
      email: input.email,
      locationId: ctx.locationId,
      role: input.role,
      createdBy: ctx.auth.user.id,
      now,
    });
    await recordAudit(trx, ctx, { action: 'staff.invited', targetType: 'email', targetId: input.email, locationId: ctx.locationId, details: { role: input.role } });
    await enqueueAccountEmail(ctx, trx, {
      template: 'invitation',
      to: input.email,
      token,
      locationName: location.name,
      inviterName: ctx.auth.user.name,
      role: input.role,
    });
  });
  emailsEnqueued(ctx);
  return { email: input.email, role: input.role, expiresAt: new Date(now.getTime() + TOKEN_TTL_MS.invitation) };
});
