import type { TRPCRouterRecord } from '@trpc/server';
import { adjust } from './adjust.js';
import { list as ingredientsList } from './ingredients-list.js';
import { upsert as ingredientsUpsert } from './ingredients-upsert.js';
import { lowStock } from './low-stock.js';
import { list as movementsList } from './movements-list.js';
import { get as recipesGet } from './recipes-get.js';
import { set as recipesSet } from './recipes-set.js';

/** The pantry: ingredients, the stock ledger, recipes. Managers change; staff read. */
export const inventoryRouter = {
  ingredients: { list: ingredientsList, upsert: ingredientsUpsert } satisfies TRPCRouterRecord,
  adjust,
  movements: { list: movementsList } satisfies TRPCRouterRecord,
  recipes: { get: recipesGet, set: recipesSet } satisfies TRPCRouterRecord,
  lowStock,
} satisfies TRPCRouterRecord;
