import { bistroFieldErrors } from '@bistro/client';

/** Messages by field path ("name", "options.0.name"), from a zod schema or the server's fieldErrors. */
export type Errors = Partial<Record<string, string[]>>;

interface Schema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** The domain schema's complaints about `value`, keyed as the server keys its fieldErrors. */
export function check(schema: Schema, value: unknown): Errors {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const errors: Errors = {};
  for (const issue of result.error.issues) (errors[issue.path.map(String).join('.')] ??= []).push(issue.message);
  return errors;
}

/** The server's fieldErrors of a refused call, as Errors. */
export function serverErrors(error: unknown): Errors {
  return bistroFieldErrors<Record<string, unknown>>(error);
}

export function isEmpty(errors: Errors): boolean {
  return Object.values(errors).every((list) => !list || list.length === 0);
}
