import type { TRPCRouterRecord } from '@trpc/server';
import { changePassword } from './change-password.js';
import { me } from './me.js';
import { list } from './sessions-list.js';
import { revoke } from './sessions-revoke.js';
import { signIn } from './sign-in.js';
import { signOut } from './sign-out.js';
import { signOutEverywhere } from './sign-out-everywhere.js';
import { signUp } from './sign-up.js';

export const authRouter = {
  signUp,
  signIn,
  signOut,
  signOutEverywhere,
  me,
  changePassword,
  sessions: { list, revoke } satisfies TRPCRouterRecord,
} satisfies TRPCRouterRecord;
