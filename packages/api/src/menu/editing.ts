import { type Kysely, type Selection, sql, type UpdateObject } from 'kysely';
import type { DB } from '@bistro/db';
import { BistroError, notFound } from '../errors.js';

/**
 * What the manager's menu editing procedures share: the refusals of a conditional update,
 * archiving everything below an archived entry, and the explicit selections they return.
 */

export const categoryColumns = ['id', 'name', 'description', 'sort_order as sortOrder', 'version'] as const;
export const itemColumns = [
  'id',
  'category_id as categoryId',
  'name',
  'description',
  'price_minor as priceMinor',
  'allergens',
  'station_id as stationId',
  'sort_order as sortOrder',
  'version',
] as const;
export const optionGroupColumns = [
  'id',
  'item_id as itemId',
  'parent_option_id as parentOptionId',
  'name',
  'min_selections as minSelections',
  'max_selections as maxSelections',
  'sort_order as sortOrder',
  'version',
] as const;
export const optionColumns = [
  'id',
  'name',
  'price_delta_minor as priceDeltaMinor',
  'is_default as isDefault',
  'sort_order as sortOrder',
  'version',
] as const;

/** The refusal when a locked row can't be changed: it is gone (never, rows are not deleted) or archived. */
export function assertEditable<T extends { archivedAt: Date | null }>(row: T | undefined, what: string): asserts row is T {
  if (!row) throw notFound(what);
  if (row.archivedAt) throw new BistroError('MENU_ENTRY_ARCHIVED', `${what} is archived`);
}

/** The conditional UPDATE matched no row: someone changed the entry since the editor loaded it. */
export function staleVersion(what: string): BistroError {
  return new BistroError('STALE_VERSION', `${what} was changed by someone else; reload it and try again`, {
    fieldErrors: { version: ['Stale version'] },
  });
}

/** The entries edited by `version`, each with the explicit selection its procedures return and audit. */
const editableColumns = {
  menu_categories: categoryColumns,
  menu_items: itemColumns,
  option_groups: optionGroupColumns,
} as const;
type EditableTable = keyof typeof editableColumns;
export type EditableRow<T extends EditableTable> = Selection<DB, T, (typeof editableColumns)[T][number]>;

/**
 * Locks an entry for the rest of the transaction and returns it as it is before the change
 * (its columns, without `archived_at`), refusing one that does not exist or is archived.
 */
export async function lockForEdit<T extends EditableTable>(db: Kysely<DB>, table: T, id: string, what: string): Promise<EditableRow<T>> {
  // Kysely can't follow a table chosen by a type parameter: the query is typed for any of the
  // three, and the row is the selection of editableColumns[table].
  /* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- widening T to the union is what lets Kysely type the query */
  const locked = await db
    .selectFrom(table as EditableTable)
    .select([...editableColumns[table as EditableTable], 'archived_at as archivedAt'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  assertEditable(locked, what);
  const { archivedAt: _, ...before } = locked;
  return before as unknown as EditableRow<T>;
  /* eslint-enable @typescript-eslint/no-unnecessary-type-assertion */
}

/**
 * Applies `changes` with a new version, only if the entry is still at `version` and not archived:
 * otherwise someone changed it since the editor loaded it (STALE_VERSION, nothing changed).
 */
export async function updateIfCurrent<T extends EditableTable>(
  db: Kysely<DB>,
  table: T,
  entry: { id: string; version: number },
  changes: UpdateObject<DB, T>,
  now: Date,
  what: string,
): Promise<EditableRow<T>> {
  return (await conditionalUpdate(db, table, entry, changes, now, what, [])) as EditableRow<T>;
}

/** Archives the entry itself (not what is below it) if it is still at `version`; returns it with its `archivedAt`. */
export async function archiveIfCurrent<T extends EditableTable>(
  db: Kysely<DB>,
  table: T,
  entry: { id: string; version: number },
  now: Date,
  what: string,
): Promise<EditableRow<T> & { archivedAt: Date | null }> {
  const after = await conditionalUpdate(db, table, entry, { archived_at: now }, now, what, ['archived_at as archivedAt']);
  return after as EditableRow<T> & { archivedAt: Date | null };
}

/** The conditional UPDATE of both: the changes, a new version, if the entry is still at `version` and not archived. */
async function conditionalUpdate(
  db: Kysely<DB>,
  table: EditableTable,
  entry: { id: string; version: number },
  changes: object,
  now: Date,
  what: string,
  alsoReturning: readonly 'archived_at as archivedAt'[],
): Promise<unknown> {
  const after = await db
    .updateTable(table)
    .set((eb) => ({ ...(changes as UpdateObject<DB, EditableTable>), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', entry.id)
    .where('version', '=', entry.version)
    .where('archived_at', 'is', null)
    .returning([...editableColumns[table], ...alsoReturning])
    .executeTakeFirst();
  if (!after) throw staleVersion(what);
  return after;
}

/** The next free sort position at the end of a list of siblings (a scalar subquery for an INSERT or UPDATE). */
export function endOf(table: 'menu_categories' | 'menu_items' | 'option_groups', column: 'location_id' | 'category_id' | 'item_id' | 'parent_option_id', parentId: string) {
  return sql<number>`(select coalesce(max(sort_order) + 1, 0) from ${sql.table(table)} where ${sql.ref(column)} = ${parentId} and archived_at is null)`;
}

/**
 * Archives everything below the given entries, level by level: the items of categories, the
 * groups of items and options, the options of groups, down to the deepest choice. Rows are
 * never deleted (past orders keep their names and prices); each gets the same `archived_at`
 * and a new version. Each level is its own statement, so a group added concurrently under an
 * option (which holds that option's row lock until it commits) is seen and archived too.
 */
export async function archiveBelow(
  db: Kysely<DB>,
  start: { categoryIds?: string[]; itemIds?: string[]; groupIds?: string[]; optionIds?: string[] },
  at: Date,
): Promise<{ items: number; optionGroups: number; options: number }> {
  const counts = { items: 0, optionGroups: 0, options: 0 };
  const archive = { archived_at: at, updated_at: at };
  let itemIds = start.itemIds ?? [];
  if (start.categoryIds?.length) {
    const items = await db
      .updateTable('menu_items')
      .set((eb) => ({ ...archive, version: eb('version', '+', 1) }))
      .where('category_id', 'in', start.categoryIds)
      .where('archived_at', 'is', null)
      .returning('id')
      .execute();
    counts.items += items.length;
    itemIds = [...itemIds, ...items.map((i) => i.id)];
  }
  let groupIds = start.groupIds ?? [];
  if (itemIds.length) {
    const groups = await db
      .updateTable('option_groups')
      .set((eb) => ({ ...archive, version: eb('version', '+', 1) }))
      .where('item_id', 'in', itemIds)
      .where('archived_at', 'is', null)
      .returning('id')
      .execute();
    counts.optionGroups += groups.length;
    groupIds = [...groupIds, ...groups.map((g) => g.id)];
  }
  let optionIds = start.optionIds ?? [];
  // Depth is capped (MAX_OPTION_GROUP_DEPTH), so this runs a handful of rounds at most.
  while (groupIds.length || optionIds.length) {
    if (groupIds.length) {
      const options = await db
        .updateTable('options')
        .set((eb) => ({ ...archive, version: eb('version', '+', 1) }))
        .where('option_group_id', 'in', groupIds)
        .where('archived_at', 'is', null)
        .returning('id')
        .execute();
      counts.options += options.length;
      optionIds = [...optionIds, ...options.map((o) => o.id)];
    }
    groupIds = [];
    if (optionIds.length) {
      const groups = await db
        .updateTable('option_groups')
        .set((eb) => ({ ...archive, version: eb('version', '+', 1) }))
        .where('parent_option_id', 'in', optionIds)
        .where('archived_at', 'is', null)
        .returning('id')
        .execute();
      counts.optionGroups += groups.length;
      groupIds = groups.map((g) => g.id);
    }
    optionIds = [];
  }
  return counts;
}

/**
 * Checks that a reorder names every active sibling exactly once and nothing else. The
 * message counts, never echoes, ids that aren't siblings (they might be another location's).
 */
export function assertSameEntries(field: string, given: readonly string[], active: readonly string[], what: string): void {
  const problems: string[] = [];
  const activeSet = new Set(active);
  const seen = new Set<string>();
  let repeated = 0;
  let unknown = 0;
  for (const id of given) {
    if (seen.has(id)) repeated += 1;
    else if (!activeSet.has(id)) unknown += 1;
    seen.add(id);
  }
  const missing = active.filter((id) => !seen.has(id)).length;
  if (repeated) problems.push(`${repeated} listed more than once`);
  if (unknown) problems.push(`${unknown} not active ${what}s here`);
  if (missing) problems.push(`${missing} active ${what}s left out`);
  if (problems.length) {
    throw new BistroError('MENU_ORDER_MISMATCH', `List every active ${what} exactly once`, { fieldErrors: { [field]: problems } });
  }
}

/** Sets `sort_order` to each id's position in the list, in one statement. */
/**
 * The reorders' one step: a list's active rows (of a location, or of a category) locked in id
 * order, so two reorders never deadlock and an archive waits; the given list must hold every one
 * of them exactly once (a list made from a stale screen is refused, not half-applied); then the
 * new order is written. Returns the order before, for the audit.
 */
export async function reorderActive(
  trx: Kysely<DB>,
  table: 'menu_categories' | 'menu_items' | 'stations',
  within: { column: 'location_id' | 'category_id'; id: string },
  ids: readonly string[],
  names: { field: string; what: string },
  at: Date,
): Promise<string[]> {
  const { rows: active } = await sql<{ id: string; sort_order: number }>`
    select id, sort_order from ${sql.table(table)}
    where ${sql.ref(within.column)} = ${within.id} and archived_at is null
    order by id for update`.execute(trx);
  assertSameEntries(
    names.field,
    ids,
    active.map((row) => row.id),
    names.what,
  );
  const before = [...active].sort((a, b) => a.sort_order - b.sort_order || a.id.localeCompare(b.id)).map((row) => row.id);
  await applyOrder(trx, table, ids, at);
  return before;
}

export async function applyOrder(db: Kysely<DB>, table: 'menu_categories' | 'menu_items' | 'stations', ids: readonly string[], at: Date): Promise<void> {
  await sql`
    update ${sql.table(table)} as t
    set sort_order = o.position - 1, updated_at = ${at}
    from unnest(${sql.val(ids)}::uuid[]) with ordinality as o(id, position)
    where t.id = o.id`.execute(db);
}

/** An option group with its active options in order: what the option group procedures return and audit. */
export async function optionGroupWithOptions(db: Kysely<DB>, groupId: string) {
  const group = await db.selectFrom('option_groups').select(optionGroupColumns).where('id', '=', groupId).executeTakeFirstOrThrow();
  const options = await activeOptions(db, groupId);
  return { ...group, options };
}

export function activeOptions(db: Kysely<DB>, groupId: string) {
  return db
    .selectFrom('options')
    .select(optionColumns)
    .where('option_group_id', '=', groupId)
    .where('archived_at', 'is', null)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
}

/** A group's rule violations as one OPTION_GROUP_RULES refusal, with the messages by field. */
export function optionGroupRulesError(violations: readonly { field: string; message: string }[]): BistroError {
  const fieldErrors: Record<string, string[]> = {};
  for (const v of violations) (fieldErrors[v.field] ??= []).push(v.message);
  return new BistroError('OPTION_GROUP_RULES', violations.map((v) => v.message).join('; '), { fieldErrors });
}

/**
 * How deep a group sits (1 for a group of an item, 2 for a group under one of its options …),
 * refusing when anything on the way up is archived.
 */
export async function optionGroupDepth(db: Kysely<DB>, groupId: string): Promise<number> {
  let depth = 0;
  let current: string | null = groupId;
  while (current) {
    const group = await db
      .selectFrom('option_groups as g')
      .leftJoin('options as o', 'o.id', 'g.parent_option_id')
      .select(['g.archived_at as archivedAt', 'o.option_group_id as parentGroupId', 'o.archived_at as parentOptionArchivedAt'])
      .where('g.id', '=', current)
      .executeTakeFirst();
    assertEditable(group, 'Option group');
    if (group.parentOptionArchivedAt) throw new BistroError('MENU_ENTRY_ARCHIVED', 'Option is archived');
    depth += 1;
    // Groups are never moved, so the chain can't loop; the bound is only a guard.
    if (depth > 16) throw new Error(`option group ${groupId} nests too deep`);
    current = group.parentGroupId;
  }
  return depth;
}

/**
 * The category, share-locked until commit (an item added to it or reordered in it meanwhile
 * makes archiving it wait, then archive that item too); NOT_FOUND / archived refused.
 */
export async function lockCategoryForShare(db: Kysely<DB>, categoryId: string): Promise<{ id: string; archivedAt: Date | null }> {
  const category = await db
    .selectFrom('menu_categories')
    .select(['id', 'archived_at as archivedAt'])
    .where('id', '=', categoryId)
    .forShare()
    .executeTakeFirst();
  assertEditable(category, 'Category');
  return category;
}
