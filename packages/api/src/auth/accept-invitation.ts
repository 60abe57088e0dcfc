import { acceptInvitationInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { publicProcedure } from '../trpc.js';
import { consumeToken, peekToken } from './emails.js';
import { Passwords } from './passwords.js';
import { revokeAllSessions } from './sessions.js';
import { sessionsChanged } from './session-cache.js';

/**
 * Accepts a staff invitation (7 days, single use). When the invited email has no account, this
 * creates one (name and password needed; the email counts as verified, the link proved it).
 * When it has a verified account, the role is linked to it (a password sent along is ignored)
 * and its sessions end, so every device signs in again with a token that carries the new role.
 * When it has an account whose email was never verified, anyone could have signed it up, so the
 * link's holder claims it: name and password are needed as for a new account, they replace the
 * old ones, the email becomes verified and every session of the account ends. Either way the
 * role is granted at the invitation's location. The caller needn't be signed in: the link is the proof.
 */
export const acceptInvitation = publicProcedure.input(acceptInvitationInput).mutation(async ({ ctx, input }) => {
  const now = ctx.now();
  const { email: invitedEmail } = await peekToken(ctx.db, 'invitation', input.token, now);
  const existing = await ctx.db
    .selectFrom('users')
    .select(['id', 'email_verified_at'])
    .where('email', '=', invitedEmail)
    .executeTakeFirst();

  // A new account, or one nobody has proved the address of, needs a name and a password; hash
  // before the transaction (argon2 is slow).
  let credentials: { name: string; passwordHash: string } | null = null;
  if (!existing || existing.email_verified_at === null) {
    if (input.name === undefined || input.password === undefined) throw credentialsNeeded(input);
    Passwords.assertNotCommon(input.password);
    credentials = { name: input.name, passwordHash: await ctx.services.passwords.hash(input.password) };
  }

  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const token = await consumeToken(trx, 'invitation', input.token, now);
    if (!token.locationId || !token.role) throw new Error('an invitation without a location or role');
    const role = token.role;

    let userId: string | undefined;
    let created = false;
    if (credentials) {
      const row = await trx
        .insertInto('users')
        .values({ email: token.email, name: credentials.name, password_hash: credentials.passwordHash, email_verified_at: now, created_at: now, updated_at: now })
        // The address has an account (or someone signed up with it meanwhile): claimed below if unverified.
        .onConflict((oc) => oc.column('email').doNothing())
        .returning('id')
        .executeTakeFirst();
      userId = row?.id;
      created = row !== undefined;
    }
    let claimed = false;
    if (!created) {
      // Locked: a concurrent verification or password change waits for this claim.
      const account = await trx.selectFrom('users').select(['id', 'email_verified_at']).where('email', '=', token.email).forUpdate().executeTakeFirstOrThrow();
      userId = account.id;
      if (account.email_verified_at === null) {
        // Signed up meanwhile without a name and password in this request: ask for them (the link stays unused).
        if (!credentials) throw credentialsNeeded(input);
        await trx
          .updateTable('users')
          .set({ name: credentials.name, password_hash: credentials.passwordHash, email_verified_at: now, updated_at: now })
          .where('id', '=', account.id)
          .execute();
        claimed = true;
      }
    }
    if (userId === undefined) throw new Error('an invitation without an account');

    const previous = await trx
      .selectFrom('location_roles')
      .select('role')
      .where('user_id', '=', userId)
      .where('location_id', '=', token.locationId)
      .forUpdate()
      .executeTakeFirst();
    // An invitation only ever raises a role: a manager invited as staff stays a manager.
    const granted = previous?.role === 'manager' ? 'manager' : role;
    await trx
      .insertInto('location_roles')
      .values({ user_id: userId, location_id: token.locationId, role: granted, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'location_id']).doUpdateSet({ role: granted }))
      .execute();
    const roleChanged = previous?.role !== granted;
    // A new token on any change of role: the account's sessions end (a new account has none).
    // A claimed account's sessions all end: whoever signed it up without the address is out.
    const sessionsEnded = claimed || (!created && roleChanged) ? await revokeAllSessions(trx, userId) : 0;

    if (created) {
      await recordAudit(trx, ctx, { action: 'auth.signed_up', actorUserId: userId, targetType: 'user', targetId: userId, details: { via: 'invitation' } });
    }
    if (claimed) {
      await recordAudit(trx, ctx, { action: 'auth.account_claimed', actorUserId: userId, targetType: 'user', targetId: userId, details: { via: 'invitation', sessionsEnded } });
    }
    await recordAudit(trx, ctx, {
      action: 'role.granted',
      // The manager who invited granted the role; the invitee only accepted it.
      actorUserId: token.createdBy,
      targetType: 'user',
      targetId: userId,
      locationId: token.locationId,
      details: { role: granted, previousRole: previous?.role ?? null, via: 'invitation', invitationId: token.id, accountCreated: created, accountClaimed: claimed, sessionsEnded },
    });
    return { userId, created, claimed, locationId: token.locationId, role: granted, sessionsEnded };
  });

  // The link proved the address: failed sign-ins before the claim no longer lock its owner out.
  if (outcome.claimed) await ctx.services.limiter.reset('signInAccount', invitedEmail);
  if (outcome.sessionsEnded > 0) sessionsChanged(ctx, { userId: outcome.userId });
  if (outcome.sessionsEnded > 0 && ctx.auth?.user.id === outcome.userId) ctx.cookies.clear();
  return {
    // To the invitee a claimed account is as good as new: it now has their name and password.
    status: outcome.created || outcome.claimed ? ('account_created' as const) : ('role_granted' as const),
    locationId: outcome.locationId,
    role: outcome.role,
    /** True when the account's sessions ended (or it is new): sign in to use the role. */
    signInRequired: outcome.created || outcome.claimed || outcome.sessionsEnded > 0,
  };
});

function credentialsNeeded(input: { name?: string | undefined; password?: string | undefined }): BistroError {
  const fieldErrors: Record<string, string[]> = {};
  if (input.name === undefined) fieldErrors.name = ['Enter your name to create your account'];
  if (input.password === undefined) fieldErrors.password = ['Choose a password to create your account'];
  return new BistroError('INVALID_INPUT', 'A name and a password are needed to create your account', { fieldErrors });
}
