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

/**
 * The order after dropping the `moving` entries before or after `target` (a drop "on" an entry
 * counts as after it). The moving entries keep their own order; an unknown target changes nothing.
 */
export function reordered(ids: readonly string[], moving: readonly string[], target: string, position: 'before' | 'after' | 'on'): string[] {
  if (moving.includes(target) || !ids.includes(target)) return [...ids];
  const rest = ids.filter((id) => !moving.includes(id));
  const at = rest.indexOf(target) + (position === 'before' ? 0 : 1);
  return [...rest.slice(0, at), ...ids.filter((id) => moving.includes(id)), ...rest.slice(at)];
}
