import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouterOutputs } from '@bistro/client';
import { recipeSetInput } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, TextField } from '../components/ui';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { UNAVAILABLE_TEXT, useUnavailable } from './availability';
import { check, serverErrors, type Errors } from './forms';
import styles from './manage.module.css';

type Line = RouterOutputs['inventory']['recipes']['get']['lines'][number];
type Ingredient = RouterOutputs['inventory']['ingredients']['list'][number];
/** Whose recipe: the item's, or one option's under it. */
type Owner = { itemId: string } | { optionId: string };

/** Whether guests can order it now, as the menu says: a badge when it is off the menu. */
export function Unavailable({ id, locationSlug }: { id: string; locationSlug: string }) {
  const reason = useUnavailable(locationSlug).get(id);
  return reason ? <span className={styles.badge}>{UNAVAILABLE_TEXT[reason]}</span> : null;
}

/**
 * What one portion of an item, or one chosen option, takes from the pantry, in each ingredient's
 * own unit; the manager replaces it whole (`inventory.recipes.set`). A recipe the stock can't
 * make takes the dish (or the option) off the menu automatically, and the badge says so.
 */
export function Recipe({ location, itemId, owner, name }: { location: StaffLocation; itemId: string; owner: Owner; name: string }) {
  const trpc = useTRPC();
  const recipes = useQuery(trpc.inventory.recipes.get.queryOptions({ itemId }));
  const [editing, setEditing] = useState(false);
  const lines = !recipes.data ? undefined : 'itemId' in owner ? recipes.data.lines : (recipes.data.options.find((o) => o.optionId === owner.optionId)?.lines ?? []);
  const ownerId = 'itemId' in owner ? owner.itemId : owner.optionId;
  if (recipes.isError) return <Alert>{errorMessage(recipes.error)}</Alert>;
  if (!lines) return null;
  if (editing) return <RecipeForm location={location} itemId={itemId} owner={owner} name={name} lines={lines} onDone={() => setEditing(false)} />;
  return (
    <div className={styles.recipe} role="group" aria-label={`Recipe of ${name}`}>
      <span>
        {lines.length === 0 ? (
          <span className={styles.muted}>No recipe: stock never takes it off the menu.</span>
        ) : (
          <>Recipe: {lines.map((l) => `${l.ingredientName} ${l.quantity} ${l.unit}`).join(', ')}</>
        )}{' '}
        <Unavailable id={ownerId} locationSlug={location.slug} />
      </span>
      <Button variant="secondary" aria-label={lines.length === 0 ? `Add a recipe to ${name}` : `Edit recipe of ${name}`} onPress={() => setEditing(true)}>
        {lines.length === 0 ? 'Add a recipe' : 'Edit recipe'}
      </Button>
    </div>
  );
}

interface Row {
  ingredientId: string;
  quantity: string;
}

function RecipeForm({ location, itemId, owner, name, lines, onDone }: { location: StaffLocation; itemId: string; owner: Owner; name: string; lines: Line[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ingredients = useQuery(trpc.inventory.ingredients.list.queryOptions({ locationId: location.id }));
  const [rows, setRows] = useState<Row[]>(() => (lines.length ? lines.map((l) => ({ ingredientId: l.ingredientId, quantity: String(l.quantity) })) : [{ ingredientId: '', quantity: '' }]));
  const [errors, setErrors] = useState<Errors>({});
  const set = useMutation(
    trpc.inventory.recipes.set.mutationOptions({
      onSuccess: async () => {
        // Availability follows the recipe at once: the menu is read again with it.
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.inventory.recipes.get.queryKey({ itemId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.menu.get.queryKey({ locationSlug: location.slug }) }),
        ]);
        onDone();
      },
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  const byId = new Map((ingredients.data ?? []).map((i) => [i.id, i]));
  const setRow = (index: number, change: Partial<Row>) => setRows((list) => list.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const save = () => {
    const chosen = rows.filter((r) => r.ingredientId !== '' || r.quantity.trim() !== '');
    const input = { ...owner, lines: chosen.map((r) => ({ ingredientId: r.ingredientId, quantity: r.quantity.trim() === '' ? Number.NaN : Number(r.quantity.trim()) })) };
    const found = check(recipeSetInput, input);
    chosen.forEach((r, i) => {
      if (r.ingredientId === '') found[`lines.${i}.ingredientId`] = ['Choose an ingredient'];
      if (!/^\d+$/.test(r.quantity.trim())) found[`lines.${i}.quantity`] = ['Enter a whole number, at least 1'];
    });
    setRows(chosen.length ? chosen : [{ ingredientId: '', quantity: '' }]);
    setErrors(found);
    if (Object.keys(found).length === 0) set.mutate(input);
  };
  return (
    <form
      noValidate
      className={styles.recipe}
      aria-label={`Recipe of ${name}`}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      {ingredients.data?.length === 0 ? <p>No ingredients yet: add them on the Stock page first.</p> : null}
      {rows.map((row, i) => (
        <RecipeRow
          key={i}
          index={i}
          row={row}
          name={name}
          ingredients={ingredients.data ?? []}
          chosen={byId.get(row.ingredientId)}
          errors={errors}
          onChange={(change) => setRow(i, change)}
          onRemove={() => setRows((list) => list.filter((_, j) => j !== i))}
        />
      ))}
      {rows.length === 0 ? <p>No ingredients: saving removes the recipe.</p> : null}
      {errors.lines ? <p className={styles.fieldError}>{errors.lines.join(' ')}</p> : null}
      {set.isError && Object.keys(errors).length === 0 ? <Alert>{errorMessage(set.error)}</Alert> : null}
      <div className={styles.actions}>
        <Button variant="secondary" aria-label={`Add an ingredient to the recipe of ${name}`} onPress={() => setRows((list) => [...list, { ingredientId: '', quantity: '' }])}>
          Add an ingredient
        </Button>
        <Button type="submit" isPending={set.isPending} aria-label={`Save recipe of ${name}`}>
          Save recipe
        </Button>
        <Button variant="secondary" onPress={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function RecipeRow({
  index,
  row,
  name,
  ingredients,
  chosen,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  row: Row;
  name: string;
  ingredients: Ingredient[];
  chosen: Ingredient | undefined;
  errors: Errors;
  onChange: (change: Partial<Row>) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const ingredientErrors = errors[`lines.${index}.ingredientId`];
  const n = index + 1;
  return (
    <div className={styles.grid}>
      <div className={styles.field}>
        <label htmlFor={id} className={styles.label}>
          Ingredient {n}
        </label>
        <select id={id} className={styles.select} value={row.ingredientId} onChange={(event) => onChange({ ingredientId: event.target.value })} aria-invalid={ingredientErrors?.length ? true : undefined}>
          <option value="">Choose…</option>
          {ingredients.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name} ({i.unit})
            </option>
          ))}
        </select>
        {ingredientErrors?.length ? <span className={styles.fieldError}>{ingredientErrors.join(' ')}</span> : null}
      </div>
      <TextField
        label={`Ingredient ${n} quantity${chosen ? ` (${chosen.unit})` : ''}`}
        name={`recipe-${index}-quantity`}
        inputMode="numeric"
        value={row.quantity}
        onChange={(quantity) => onChange({ quantity })}
        isRequired
        description={chosen ? `One portion. On hand: ${chosen.onHand} ${chosen.unit}` : 'One portion, in the ingredient’s unit'}
        errors={errors[`lines.${index}.quantity`]}
      />
      <div className={styles.field}>
        <Button variant="quiet" aria-label={`Remove ingredient ${n} from the recipe of ${name}`} onPress={onRemove}>
          Remove
        </Button>
      </div>
    </div>
  );
}
