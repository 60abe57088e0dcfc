import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { bistroErrorCode } from '@bistro/client';
import {
  MAX_OPTION_GROUP_DEPTH,
  money,
  optionGroupCreateInput,
  optionGroupRuleViolations,
  optionGroupUpdateInput,
  parseMoneyInput,
  toDecimalString,
} from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, TextField } from '../components/ui';
import { formatDelta } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { check, serverErrors, type Errors } from './forms';
import type { EditGroup, EditItem, MenuForEdit } from './menu-types';
import { Recipe } from './Recipe';
import styles from './manage.module.css';

type Parent = { itemId: string; label: string } | { optionId: string; label: string };

/** An item's choices (option groups), and the choices an option opens, nested as deep as allowed. */
export function OptionGroups({ location, menu, item }: { location: StaffLocation; menu: MenuForEdit; item: EditItem }) {
  const id = useId();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <h3 id={id}>Choices</h3>
      <p className={styles.muted}>A choice is a group of options guests pick from: “Dressing” (exactly 1), “Extras” (0 to 3).</p>
      <GroupList location={location} menu={menu} itemId={item.id} parent={{ itemId: item.id, label: item.name }} depth={1} />
    </section>
  );
}

/** `itemId`: the item the choices hang under, however deep (its recipes are read together). */
function GroupList({ location, menu, itemId, parent, depth }: { location: StaffLocation; menu: MenuForEdit; itemId: string; parent: Parent; depth: number }) {
  const groups = menu.optionGroups.filter((g) => ('itemId' in parent ? g.itemId === parent.itemId : g.parentOptionId === parent.optionId));
  const [adding, setAdding] = useState(false);
  return (
    <div>
      {groups.map((group) => (
        <GroupView key={group.id} location={location} menu={menu} itemId={itemId} group={group} depth={depth} />
      ))}
      {adding ? (
        <GroupForm location={location} parent={parent} onDone={() => setAdding(false)} />
      ) : (
        <Button variant="secondary" onPress={() => setAdding(true)} aria-label={'itemId' in parent ? `Add a choice to ${parent.label}` : undefined}>
          {'itemId' in parent ? 'Add a choice' : `Add a choice under ${parent.label}`}
        </Button>
      )}
    </div>
  );
}

function rule(group: { minSelections: number; maxSelections: number }): string {
  const { minSelections: min, maxSelections: max } = group;
  if (min === max) return `Required: choose ${min}`;
  if (min === 0) return `Optional: up to ${max}`;
  return `Choose ${min} to ${max}`;
}

function GroupView({ location, menu, itemId, group, depth }: { location: StaffLocation; menu: MenuForEdit; itemId: string; group: EditGroup; depth: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.menu.forEdit.queryKey({ locationId: location.id }) });
  const [editing, setEditing] = useState(false);
  const archive = useMutation(trpc.menu.optionGroups.archive.mutationOptions({ onSettled: refresh }));
  if (editing) return <GroupForm location={location} group={group} onDone={() => setEditing(false)} />;
  return (
    <div className={styles.nested} role="group" aria-label={`Choice ${group.name}`}>
      <div className={styles.sectionHead}>
        <h4>
          {group.name} <span className={styles.badge}>{rule(group)}</span>
        </h4>
        <div className={styles.actions}>
          <Button variant="secondary" aria-label={`Edit choice ${group.name}`} onPress={() => setEditing(true)}>
            Edit
          </Button>
          <Button variant="danger" aria-label={`Archive choice ${group.name}`} isPending={archive.isPending} onPress={() => archive.mutate({ optionGroupId: group.id, version: group.version })}>
            Archive
          </Button>
        </div>
      </div>
      {archive.isError ? (
        <Alert>{bistroErrorCode(archive.error) === 'STALE_VERSION' ? 'Someone changed this choice meanwhile; it was reloaded. Look again before archiving.' : errorMessage(archive.error)}</Alert>
      ) : null}
      <ul className={styles.list}>
        {group.options.map((option) => (
          <li key={option.id} className={styles.row}>
            <div className={styles.rowMain}>
              {option.name} {formatDelta(option.priceDeltaMinor, location.currency)}
              {option.isDefault ? <span className={styles.muted}> (chosen by default)</span> : null}
              <Recipe location={location} itemId={itemId} owner={{ optionId: option.id }} name={option.name} />
              {depth < MAX_OPTION_GROUP_DEPTH ? <GroupList location={location} menu={menu} itemId={itemId} parent={{ optionId: option.id, label: option.name }} depth={depth + 1} /> : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface OptionRow {
  id?: string | undefined;
  name: string;
  price: string;
  isDefault: boolean;
}

/** Adds a choice under `parent`, or changes `group` (its options: kept, added, or removed by leaving them out). */
function GroupForm({ location, parent, group, onDone }: { location: StaffLocation; parent?: Parent; group?: EditGroup; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const currency = location.currency;
  const [name, setName] = useState(group?.name ?? '');
  const [min, setMin] = useState(String(group?.minSelections ?? 1));
  const [max, setMax] = useState(String(group?.maxSelections ?? 1));
  const [options, setOptions] = useState<OptionRow[]>(
    group?.options.map((o) => ({ id: o.id, name: o.name, price: toDecimalString(money(o.priceDeltaMinor, currency)), isDefault: o.isDefault })) ?? [
      { name: '', price: '0', isDefault: false },
    ],
  );
  const [errors, setErrors] = useState<Errors>({});
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.menu.forEdit.queryKey({ locationId: location.id }) });
    onDone();
  };
  const onError = (error: unknown) => setErrors(serverErrors(error));
  const create = useMutation(trpc.menu.optionGroups.create.mutationOptions({ onSuccess: done, onError }));
  const update = useMutation(trpc.menu.optionGroups.update.mutationOptions({ onSuccess: done, onError }));
  const mutation = group ? update : create;

  const setOption = (index: number, change: Partial<OptionRow>) => setOptions((list) => list.map((o, i) => (i === index ? { ...o, ...change } : o)));
  const save = () => {
    const found: Errors = {};
    const parsed = options.map((o, i) => {
      const delta = parseMoneyInput(o.price, currency, { allowNegative: true });
      if (delta === null) found[`options.${i}.priceDeltaMinor`] = [`Enter an amount like ${toDecimalString(money(250, currency))} (or 0)`];
      return { ...(o.id ? { id: o.id } : {}), name: o.name.trim(), priceDeltaMinor: delta ?? 0, isDefault: o.isDefault };
    });
    const rules = { name: name.trim(), minSelections: Number(min), maxSelections: Number(max), options: parsed };
    const input = group
      ? { optionGroupId: group.id, version: group.version, ...rules }
      : { ...('itemId' in parent! ? { itemId: parent.itemId } : { optionId: parent!.optionId }), ...rules, options: parsed.map(({ name: n, priceDeltaMinor, isDefault }) => ({ name: n, priceDeltaMinor, isDefault })) };
    Object.assign(found, check(group ? optionGroupUpdateInput : optionGroupCreateInput, input));
    if (Object.keys(found).length === 0) {
      for (const v of optionGroupRuleViolations(rules)) (found[v.field] ??= []).push(v.message);
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (group) update.mutate(input as Parameters<typeof update.mutate>[0]);
    else create.mutate(input);
  };

  return (
    <form
      noValidate
      className={styles.section}
      aria-label={group ? `Edit choice ${group.name}` : `New choice for ${parent?.label ?? ''}`}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <TextField label="Choice name" name="groupName" value={name} onChange={setName} isRequired description="What guests choose, e.g. “Doneness”" errors={errors.name} />
      <div className={styles.grid}>
        <TextField label="At least" name="min" inputMode="numeric" value={min} onChange={setMin} isRequired description="0 makes it optional" errors={errors.minSelections} />
        <TextField label="At most" name="max" inputMode="numeric" value={max} onChange={setMax} isRequired errors={errors.maxSelections} />
      </div>
      <fieldset className={styles.checks}>
        <legend>Options</legend>
        {options.map((option, i) => (
          <div key={option.id ?? `new-${i}`} className={styles.grid}>
            <TextField label={`Option ${i + 1}`} name={`option-${i}`} value={option.name} onChange={(v) => setOption(i, { name: v })} isRequired errors={errors[`options.${i}.name`]} />
            <TextField
              label={`Option ${i + 1} price change (${currency})`}
              name={`option-${i}-price`}
              inputMode="decimal"
              value={option.price}
              onChange={(v) => setOption(i, { price: v })}
              isRequired
              errors={errors[`options.${i}.priceDeltaMinor`]}
            />
            <label className={styles.check}>
              <input type="checkbox" checked={option.isDefault} onChange={(event) => setOption(i, { isDefault: event.target.checked })} />
              Option {i + 1} chosen by default
            </label>
            <Button variant="quiet" aria-label={`Remove option ${i + 1}`} isDisabled={options.length === 1} onPress={() => setOptions((list) => list.filter((_, j) => j !== i))}>
              Remove
            </Button>
          </div>
        ))}
        {errors.options ? <p className={styles.fieldError}>{errors.options.join(' ')}</p> : null}
        <Button variant="secondary" onPress={() => setOptions((list) => [...list, { name: '', price: '0', isDefault: false }])}>
          Add an option
        </Button>
      </fieldset>
      {mutation.isError ? (
        <Alert>{bistroErrorCode(mutation.error) === 'STALE_VERSION' ? 'Someone changed this choice meanwhile. Cancel to see their version.' : errorMessage(mutation.error)}</Alert>
      ) : null}
      <div className={styles.actions}>
        <Button type="submit" isPending={mutation.isPending}>
          {group ? 'Save choice' : 'Add choice'}
        </Button>
        <Button variant="secondary" onPress={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
