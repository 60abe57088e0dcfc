import { z } from 'zod';
import { MAX_REORDER_ENTRIES } from './menu.js';
import { singleLineText } from './text.js';

/**
 * Stations: the places in a kitchen (grill, fryer, cold, bar). Each menu item is routed to one
 * station of its location (or none); a station's display shows only its lines, expo the whole order.
 */

/** A station's name: one line, up to 60 characters, unique (case-insensitive) among the location's active stations. */
export const stationNameSchema = singleLineText({ max: 60 });

export const stationsListInput = z.strictObject({ locationId: z.uuid() });
export const stationCreateInput = z.strictObject({ locationId: z.uuid(), name: stationNameSchema });
/** Rename, move to a position (0 first), or archive (its items are no longer routed anywhere); at least one. */
export const stationUpdateInput = z
  .strictObject({
    stationId: z.uuid(),
    name: stationNameSchema.optional(),
    sortOrder: z.number().int().min(0).max(10_000).optional(),
    archived: z.literal(true).optional(),
  })
  .refine((input) => input.name !== undefined || input.sortOrder !== undefined || input.archived !== undefined, {
    message: 'Change the name, the position or archive it',
    path: ['name'],
  });

/** The full ordered list of the location's active stations (like a menu reorder: each exactly once). */
export const stationReorderInput = z.strictObject({ locationId: z.uuid(), stationIds: z.array(z.uuid()).min(1).max(MAX_REORDER_ENTRIES) });

export type StationCreateInput = z.input<typeof stationCreateInput>;
export type StationUpdateInput = z.input<typeof stationUpdateInput>;
