import { optionGroupRuleViolations, optionGroupUpdateInput } from '@bistro/domain';
import { recordAudit } from '../audit.js';
import { BistroError } from '../errors.js';
import { managerProcedure } from '../trpc.js';
import {
  activeOptions,
  archiveBelow,
  lockForEdit,
  optionGroupRulesError,
  optionGroupWithOptions,
  updateIfCurrent,
} from './editing.js';
import { menuChanged, touchMenu } from './version.js';

/**
 * Changes a choice if nobody changed it since the editor loaded `version`. With `options`, the
 * list is the group's options after the change, in order: those named by `id` are kept (and
 * changed; an omitted `isDefault` keeps its value), those without an id are added, and those
 * left out are archived with any choices under them. The rules are checked on the result.
 */
export const update = managerProcedure.input(optionGroupUpdateInput).mutation(async ({ ctx, input }) => {
  const { locationId } = ctx;
  const now = ctx.now();
  const group = await ctx.db.transaction().execute(async (trx) => {
    const locked = await lockForEdit(trx, 'option_groups', input.optionGroupId, 'Option group');
    const beforeOptions = await activeOptions(trx, locked.id);
    // The conditional UPDATE decides staleness first; the fields follow once the rules pass.
    await updateIfCurrent(trx, 'option_groups', { id: input.optionGroupId, version: input.version }, {}, now, 'Option group');
    const minSelections = input.minSelections ?? locked.minSelections;
    const maxSelections = input.maxSelections ?? locked.maxSelections;

    const existing = new Map(beforeOptions.map((o) => [o.id, o]));
    const next = (input.options ?? beforeOptions).map((o) => ({
      ...o,
      isDefault: o.isDefault ?? (o.id !== undefined ? existing.get(o.id)?.isDefault : undefined) ?? false,
    }));
    if (input.options) {
      const fieldErrors: Record<string, string[]> = {};
      const seen = new Set<string>();
      input.options.forEach((o, i) => {
        if (o.id === undefined) return;
        if (!existing.has(o.id)) fieldErrors[`options.${i}.id`] = ['Not an option of this group'];
        else if (seen.has(o.id)) fieldErrors[`options.${i}.id`] = ['Listed twice'];
        seen.add(o.id);
      });
      if (Object.keys(fieldErrors).length) throw new BistroError('INVALID_INPUT', 'Invalid input', { fieldErrors });
    }
    const violations = optionGroupRuleViolations({ minSelections, maxSelections, options: next });
    if (violations.length) throw optionGroupRulesError(violations);

    await trx
      .updateTable('option_groups')
      .set({ name: input.name ?? locked.name, min_selections: minSelections, max_selections: maxSelections })
      .where('id', '=', locked.id)
      .execute();

    if (input.options) {
      const kept = new Set<string>();
      for (const [i, o] of next.entries()) {
        const values = { name: o.name, price_delta_minor: o.priceDeltaMinor, is_default: o.isDefault, sort_order: i };
        const old = o.id !== undefined ? existing.get(o.id) : undefined;
        if (!old) {
          await trx
            .insertInto('options')
            .values({ option_group_id: locked.id, ...values, created_at: now, updated_at: now })
            .execute();
          continue;
        }
        kept.add(old.id);
        if (old.name === o.name && old.priceDeltaMinor === o.priceDeltaMinor && old.isDefault === o.isDefault && old.sortOrder === i) continue;
        await trx
          .updateTable('options')
          .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: now }))
          .where('id', '=', old.id)
          .execute();
      }
      const dropped = beforeOptions.filter((o) => !kept.has(o.id)).map((o) => o.id);
      if (dropped.length) {
        await trx
          .updateTable('options')
          .set((eb) => ({ archived_at: now, updated_at: now, version: eb('version', '+', 1) }))
          .where('id', 'in', dropped)
          .execute();
        await archiveBelow(trx, { optionIds: dropped }, now);
      }
    }
    const after = await optionGroupWithOptions(trx, locked.id);
    await touchMenu(trx, locationId);
    await recordAudit(trx, ctx, {
      action: 'menu.option_group_updated',
      locationId,
      targetType: 'option_group',
      targetId: after.id,
      details: { before: { ...locked, options: beforeOptions }, after },
    });
    return after;
  });
  menuChanged(ctx, locationId);
  return group;
});
