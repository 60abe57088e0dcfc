import type { z } from 'zod';

/** What a form would show for a value: `path: message` per issue, nothing when it is accepted. */
export function problems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** Whether the schema accepts the value. */
export function accepts(schema: z.ZodType, value: unknown): boolean {
  return schema.safeParse(value).success;
}

export const ID = '00000000-0000-4000-8000-000000000001';
export const ID2 = '00000000-0000-4000-8000-000000000002';
