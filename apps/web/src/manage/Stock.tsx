import { useId, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouterOutputs } from '@bistro/client';
import { bistroErrorCode } from '@bistro/client';
import { INGREDIENT_UNITS, ingredientUpsertInput, stockAdjustInput, type IngredientUnit } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, Loading, ModalDialog, TextField } from '../components/ui';
import { formatDayTime } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC, useTRPCClient } from '../lib/trpc';
import { ConsoleList } from './ConsoleList';
import { check, serverErrors, type Errors } from './forms';
import styles from './manage.module.css';

type Ingredient = RouterOutputs['inventory']['ingredients']['list'][number];

const UNIT_TEXT: Record<IngredientUnit, string> = { g: 'grams', ml: 'millilitres', piece: 'pieces' };
const REASON_TEXT = { delivery: 'Delivery', waste: 'Waste', count: 'Count', correction: 'Correction', sale: 'Sale', return: 'Returned' } as const;

/** The pantry: what is on hand, what runs low, adjustments with a reason, and the ledger. */
export function Stock({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const ingredients = useQuery(trpc.inventory.ingredients.list.queryOptions({ locationId: location.id }));
  const [editing, setEditing] = useState<Ingredient | 'new' | null>(null);
  const [adjusting, setAdjusting] = useState<Ingredient | null>(null);
  if (ingredients.isPending) return <Loading label="Loading stock…" />;
  if (ingredients.isError) return <Alert>{errorMessage(ingredients.error)}</Alert>;
  const low = ingredients.data.filter((i) => i.isLow);
  return (
    <>
      <section className={styles.section} aria-labelledby="low">
        <h2 id="low">Running low</h2>
        {low.length === 0 ? (
          <p>Nothing is at or below its threshold.</p>
        ) : (
          <p>
            {low.map((i) => `${i.name} (${i.onHand} ${i.unit})`).join(', ')}. Dishes whose recipe can’t be made from stock are taken off the menu automatically.
          </p>
        )}
      </section>
      <ConsoleList
        title="Ingredients"
        headingId="ingredients"
        headAction={
          <Button variant="secondary" onPress={() => setEditing('new')}>
            Add an ingredient
          </Button>
        }
        rows={ingredients.data}
        rowKey={(i) => i.id}
        what="Ingredient"
        rowHeader={(i) => (
          <>
            {i.name} {i.isLow ? <span className={styles.badge}>Low</span> : null}
          </>
        )}
        columns={[
          {
            heading: 'On hand',
            cell: (i) => (
              <>
                {i.onHand} {i.unit}
              </>
            ),
          },
          {
            heading: 'Low at',
            cell: (i) => (
              <>
                {i.lowStockThreshold} {i.unit}
              </>
            ),
          },
        ]}
        actions={(i) => (
          <>
            <Button variant="secondary" aria-label={`Adjust ${i.name}`} onPress={() => setAdjusting(i)}>
              Adjust
            </Button>
            <Button variant="secondary" aria-label={`Edit ${i.name}`} onPress={() => setEditing(i)}>
              Edit
            </Button>
          </>
        )}
      />
      <Movements location={location} ingredients={ingredients.data} />
      {editing ? <IngredientForm location={location} ingredient={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {adjusting ? <AdjustForm location={location} ingredient={adjusting} onClose={() => setAdjusting(null)} /> : null}
    </>
  );
}

function IngredientForm({ location, ingredient, onClose }: { location: StaffLocation; ingredient: Ingredient | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unitId = useId();
  const [name, setName] = useState(ingredient?.name ?? '');
  const [unit, setUnit] = useState<IngredientUnit>(ingredient?.unit ?? 'piece');
  const [threshold, setThreshold] = useState(String(ingredient?.lowStockThreshold ?? 0));
  const [errors, setErrors] = useState<Errors>({});
  const upsert = useMutation(
    trpc.inventory.ingredients.upsert.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.inventory.pathKey() });
        onClose();
      },
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  const submit = () => {
    const input = {
      locationId: location.id,
      ...(ingredient ? { id: ingredient.id, version: ingredient.version } : {}),
      name: name.trim(),
      unit,
      lowStockThreshold: Number(threshold),
    };
    const found = check(ingredientUpsertInput, input);
    setErrors(found);
    if (Object.keys(found).length === 0) upsert.mutate(input);
  };
  return (
    <ModalDialog isOpen onOpenChange={(open) => !open && onClose()} title={ingredient ? `Edit ${ingredient.name}` : 'New ingredient'}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <TextField label="Name" name="name" value={name} onChange={setName} isRequired errors={errors.name} />
        <div className={styles.field}>
          <label htmlFor={unitId} className={styles.label}>
            Counted in
          </label>
          <select id={unitId} className={styles.select} value={unit} onChange={(event) => setUnit(event.target.value as IngredientUnit)}>
            {INGREDIENT_UNITS.map((u) => (
              <option key={u} value={u}>
                {UNIT_TEXT[u]}
              </option>
            ))}
          </select>
          {errors.unit ? <span className={styles.fieldError}>{errors.unit.join(' ')}</span> : null}
        </div>
        <TextField label="Low at" name="threshold" inputMode="numeric" value={threshold} onChange={setThreshold} isRequired description="Listed as running low at or below this." errors={errors.lowStockThreshold} />
        {upsert.isError && Object.keys(errors).length === 0 ? (
          <Alert>{bistroErrorCode(upsert.error) === 'STALE_VERSION' ? 'Someone changed this ingredient meanwhile. Close and open it again to see their version.' : errorMessage(upsert.error)}</Alert>
        ) : null}
        <Button type="submit" isPending={upsert.isPending}>
          Save
        </Button>
      </form>
    </ModalDialog>
  );
}

type AdjustReason = 'delivery' | 'waste' | 'count' | 'correction';

function AdjustForm({ location, ingredient, onClose }: { location: StaffLocation; ingredient: Ingredient; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [reason, setReason] = useState<AdjustReason>('delivery');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const adjust = useMutation(
    trpc.inventory.adjust.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.inventory.pathKey() });
        await queryClient.invalidateQueries({ queryKey: ['stock-movements', location.id] });
        // Stock decides what recipes can be made: the menu's availability is read again.
        await queryClient.invalidateQueries({ queryKey: trpc.menu.get.queryKey({ locationSlug: location.slug }) });
        onClose();
      },
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  const submit = () => {
    const n = Number(amount.trim());
    const base = { ingredientId: ingredient.id, ...(note.trim() ? { note: note.trim() } : {}) };
    const input =
      reason === 'count'
        ? { ...base, reason, counted: n }
        : { ...base, reason, delta: reason === 'waste' ? -Math.abs(n) : reason === 'delivery' ? Math.abs(n) : n };
    const found = amount.trim() === '' || Number.isNaN(n) ? { [reason === 'count' ? 'counted' : 'delta']: ['Enter a whole number'] } : check(stockAdjustInput, input);
    setErrors(found);
    if (Object.keys(found).length === 0) adjust.mutate(input);
  };
  const label =
    reason === 'count'
      ? `Counted (${ingredient.unit})`
      : reason === 'correction'
        ? `Change (${ingredient.unit}, negative takes away)`
        : reason === 'waste'
          ? `Thrown away (${ingredient.unit})`
          : `Delivered (${ingredient.unit})`;
  return (
    <ModalDialog isOpen onOpenChange={(open) => !open && onClose()} title={`Adjust ${ingredient.name}`}>
      <p>
        On hand: {ingredient.onHand} {ingredient.unit}
      </p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <div className={styles.field}>
          <label htmlFor={reasonId} className={styles.label}>
            Reason
          </label>
          <select id={reasonId} className={styles.select} value={reason} onChange={(event) => setReason(event.target.value as AdjustReason)}>
            <option value="delivery">Delivery (adds)</option>
            <option value="waste">Waste (takes away)</option>
            <option value="count">Count (what is really there)</option>
            <option value="correction">Correction</option>
          </select>
        </div>
        <TextField label={label} name="amount" inputMode="numeric" value={amount} onChange={setAmount} isRequired errors={errors.delta ?? errors.counted} />
        <TextField label="Note" name="note" value={note} onChange={setNote} errors={errors.note} />
        {adjust.isError && Object.keys(errors).length === 0 ? <Alert>{errorMessage(adjust.error)}</Alert> : null}
        <Button type="submit" isPending={adjust.isPending}>
          Save adjustment
        </Button>
      </form>
    </ModalDialog>
  );
}

/** The stock ledger, newest first, of every ingredient or one, a page at a time. */
function Movements({ location, ingredients }: { location: StaffLocation; ingredients: Ingredient[] }) {
  const client = useTRPCClient();
  const filterId = useId();
  const [ingredientId, setIngredientId] = useState('');
  const movements = useInfiniteQuery({
    queryKey: ['stock-movements', location.id, ingredientId],
    queryFn: ({ pageParam }) =>
      client.inventory.movements.list.query({
        ...(ingredientId ? { ingredientId } : { locationId: location.id }),
        limit: 20,
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: 0,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = movements.data?.pages.flatMap((p) => p.movements) ?? [];
  return (
    <section className={styles.section} aria-labelledby="movements">
      <div className={styles.sectionHead}>
        <h2 id="movements">Stock history</h2>
        <div className={styles.picker}>
          <label htmlFor={filterId}>Ingredient</label>
          <select id={filterId} className={styles.select} value={ingredientId} onChange={(event) => setIngredientId(event.target.value)}>
            <option value="">All</option>
            {ingredients.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {movements.isPending ? <Loading label="Loading the history…" /> : null}
      {movements.isError ? <Alert>{errorMessage(movements.error)}</Alert> : null}
      {movements.isSuccess && rows.length === 0 ? <p>No movements yet.</p> : null}
      <ul className={styles.list} aria-label="Movements">
        {rows.map((m) => (
          <li key={m.id} className={styles.row}>
            <span className={styles.rowMain}>
              <strong>{m.ingredientName}</strong> {m.delta > 0 ? `+${m.delta}` : m.delta} {m.unit} · {REASON_TEXT[m.reason]}
              {m.note ? <span className={styles.muted}> · {m.note}</span> : null}
            </span>
            <span className={styles.muted}>{formatDayTime(m.createdAt, location.timeZone)}</span>
          </li>
        ))}
      </ul>
      {movements.hasNextPage ? (
        <Button variant="secondary" isPending={movements.isFetchingNextPage} onPress={() => void movements.fetchNextPage()}>
          Show older movements
        </Button>
      ) : null}
    </section>
  );
}
