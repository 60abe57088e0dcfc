import type { RouterOutputs } from '@bistro/client';

export type MenuForEdit = RouterOutputs['menu']['forEdit'];
export type EditCategory = MenuForEdit['categories'][number];
export type EditItem = MenuForEdit['items'][number];
export type EditGroup = MenuForEdit['optionGroups'][number];
export type EditOption = EditGroup['options'][number];

/** Moves the entry at `index` one place up (-1) or down (+1): the new order of ids. */
export function moved(ids: readonly string[], index: number, by: -1 | 1): string[] {
  const next = [...ids];
  const to = index + by;
  if (to < 0 || to >= next.length) return next;
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}
