import { z } from 'zod';

/**
 * Input schemas shared by the api (validation) and front ends (forms). Objects are strict:
 * an unknown key is refused, never silently dropped or stored.
 */

/** A location's public handle in URLs: `harbor-bistro`. */
export const slugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single dashes');

export const menuGetInput = z.strictObject({
  locationSlug: slugSchema,
});
export type MenuGetInput = z.infer<typeof menuGetInput>;
