import type { TRPCRouterRecord } from '@trpc/server';
import { acceptInvitation } from './accept-invitation.js';
import { changePassword } from './change-password.js';
import { me } from './me.js';
import { requestEmailVerification } from './request-email-verification.js';
import { requestPasswordReset } from './request-password-reset.js';
import { resetPassword } from './reset-password.js';
import { list } from './sessions-list.js';
import { revoke } from './sessions-revoke.js';
import { signIn } from './sign-in.js';
import { signOut } from './sign-out.js';
import { signOutEverywhere } from './sign-out-everywhere.js';
import { signUp } from './sign-up.js';
import { verifyEmail } from './verify-email.js';

export const authRouter = {
  signUp,
  signIn,
  signOut,
  signOutEverywhere,
  me,
  changePassword,
  requestEmailVerification,
  verifyEmail,
  requestPasswordReset,
  resetPassword,
  acceptInvitation,
  sessions: { list, revoke } satisfies TRPCRouterRecord,
} satisfies TRPCRouterRecord;
