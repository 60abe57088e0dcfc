import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { z } from 'zod';
import { adminUsersListInput } from '@bistro/domain';
import { adminProcedure } from '../trpc.js';
import { decodeCursor, encodeCursor, cursorInstantSchema } from '../pagination.js';

export const USERS_PAGE_SIZE = 50;

const usersCursor = z.tuple([z.literal('users'), cursorInstantSchema, z.uuid()]);

/** `%`, `_` and `\` in a search mean themselves. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Every user, newest first, 50 a page, optionally those whose email or name contains `query`.
 * Keyset pagination on (created_at, id): a page never skips or repeats a user, however many
 * were created in the same instant or are added while an admin pages through.
 */
export const list = adminProcedure.input(adminUsersListInput).query(async ({ ctx, input }) => {
  const after = input.cursor === undefined ? null : decodeCursor(input.cursor, usersCursor);
  let query = ctx.db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.is_admin as isAdmin',
      'u.disabled_at as disabledAt',
      'u.email_verified_at as emailVerifiedAt',
      'u.created_at as createdAt',
      sql<string>`to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursorAt'),
    ])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('location_roles as r')
          .whereRef('r.user_id', '=', 'u.id')
          .select(['r.location_id as locationId', 'r.role'])
          .orderBy('r.location_id'),
      ).as('roles'),
    )
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(USERS_PAGE_SIZE + 1);
  if (after) {
    const [, at, id] = after;
    query = query.where(sql<boolean>`(u.created_at, u.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  if (input.query) {
    const pattern = likePattern(input.query);
    query = query.where((eb) => eb.or([eb('u.email', 'ilike', pattern), eb('u.name', 'ilike', pattern)]));
  }
  const rows = await query.execute();
  const page = rows.slice(0, USERS_PAGE_SIZE);
  const last = page.at(-1);
  return {
    users: page.map((row) => ({
      id: row.id,
      email: row.email,
      name: row.name,
      isAdmin: row.isAdmin,
      disabled: row.disabledAt !== null,
      emailVerified: row.emailVerifiedAt !== null,
      roles: row.roles,
      createdAt: new Date(row.createdAt),
    })),
    nextCursor: rows.length > USERS_PAGE_SIZE && last ? encodeCursor(['users', last.cursorAt, last.id]) : null,
  };
});
