import type { RouterOutputs } from '@bistro/client';

type MenuItem = RouterOutputs['menu']['get']['categories'][number]['items'][number];
export type OptionGroup = MenuItem['optionGroups'][number];
export type Option = OptionGroup['options'][number];

/**
 * The option groups in play for a selection, depth first: the item's own, and those opened by
 * each chosen option (nesting exactly as the back end defines it).
 */
export function groupsInPlay(groups: readonly OptionGroup[], selected: ReadonlySet<string>): OptionGroup[] {
  const out: OptionGroup[] = [];
  for (const group of groups) {
    out.push(group);
    for (const option of group.options) if (selected.has(option.id)) out.push(...groupsInPlay(option.optionGroups, selected));
  }
  return out;
}

/** The groups whose minimum is not met yet: what the add button says is still to choose. */
export function missingChoices(groups: readonly OptionGroup[], selected: ReadonlySet<string>): OptionGroup[] {
  return groupsInPlay(groups, selected).filter((g) => g.options.filter((o) => selected.has(o.id)).length < g.minSelections);
}

/** The options chosen by default: each group's available defaults, and theirs in turn. */
export function defaultSelection(groups: readonly OptionGroup[]): Set<string> {
  const selected = new Set<string>();
  const walk = (gs: readonly OptionGroup[]) => {
    for (const g of gs) {
      for (const o of g.options.filter((o) => o.isDefault && o.available).slice(0, g.maxSelections)) {
        selected.add(o.id);
        walk(o.optionGroups);
      }
    }
  };
  walk(groups);
  return selected;
}

/** Every option id under an option (its nested groups' options, at any depth). */
function descendants(option: Option): string[] {
  return option.optionGroups.flatMap((g) => g.options.flatMap((o) => [o.id, ...descendants(o)]));
}

/** The selection with `group`'s choice set to `ids`; options no longer chosen take their nested choices with them. */
export function choose(selected: ReadonlySet<string>, group: OptionGroup, ids: readonly string[]): Set<string> {
  const next = new Set(selected);
  for (const option of group.options) {
    if (ids.includes(option.id)) {
      if (!next.has(option.id)) {
        next.add(option.id);
        // A newly chosen option brings its own defaults.
        for (const id of defaultSelection(option.optionGroups)) next.add(id);
      }
    } else if (next.has(option.id)) {
      next.delete(option.id);
      for (const id of descendants(option)) next.delete(id);
    }
  }
  return next;
}

/** Names of the chosen options in menu order, as the cart shows them before the quote arrives. */
export function chosenNames(groups: readonly OptionGroup[], selected: ReadonlySet<string>): string[] {
  return groupsInPlay(groups, selected).flatMap((g) => g.options.filter((o) => selected.has(o.id)).map((o) => o.name));
}

/** Chosen option ids in menu order (the order the server reads them in). */
export function chosenIds(groups: readonly OptionGroup[], selected: ReadonlySet<string>): string[] {
  return groupsInPlay(groups, selected).flatMap((g) => g.options.filter((o) => selected.has(o.id)).map((o) => o.id));
}
