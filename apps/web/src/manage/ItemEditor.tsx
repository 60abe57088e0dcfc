import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { bistroErrorCode } from '@bistro/client';
import { ALLERGENS, itemCreateInput, itemUpdateInput, parseMoneyInput, toDecimalString, money, type Allergen } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, ModalDialog, TextField } from '../components/ui';
import { formatPrice } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { check, serverErrors, type Errors } from './forms';
import type { EditItem, MenuForEdit } from './menu-types';
import { OptionGroups } from './OptionGroups';
import { PhotoField } from './PhotoField';
import { Recipe } from './Recipe';
import { StaleDialog } from './StaleDialog';
import styles from './manage.module.css';

/** The item form's fields, as typed (the price as text in the location's currency). */
interface ItemForm {
  name: string;
  description: string;
  price: string;
  allergens: Allergen[];
  categoryId: string;
  /** The kitchen station its lines go to ('' for none). */
  stationId: string;
}

function formOf(item: EditItem, currency: string): ItemForm {
  return {
    name: item.name,
    description: item.description,
    price: toDecimalString(money(item.priceMinor, currency)),
    allergens: ALLERGENS.filter((a) => item.allergens.includes(a)),
    categoryId: item.categoryId,
    stationId: item.stationId ?? '',
  };
}

/**
 * One item's editor: its details (saved against the version it was opened with: a change someone
 * else saved meanwhile opens the "changed meanwhile" dialog, never a silent overwrite), then,
 * once it exists, its photo and its choices.
 */
export function ItemEditor({
  location,
  menu,
  categoryId,
  itemId,
  onCreated,
  onClose,
}: {
  location: StaffLocation;
  menu: MenuForEdit;
  categoryId: string;
  itemId: string | null;
  onCreated: (itemId: string) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.menu.forEdit.queryKey({ locationId: location.id }) });
  const item = itemId === null ? undefined : menu.items.find((i) => i.id === itemId);
  const [form, setForm] = useState<ItemForm>(() =>
    item ? formOf(item, location.currency) : { name: '', description: '', price: '', allergens: [], categoryId, stationId: '' },
  );
  /** The version this form was loaded from (or last saved as): never taken silently from a refetch. */
  const [version, setVersion] = useState(item?.version ?? 0);
  const [errors, setErrors] = useState<Errors>({});
  const [saved, setSaved] = useState(false);
  const [stale, setStale] = useState(false);
  const set = <K extends keyof ItemForm>(field: K) => (value: ItemForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [field]: value }));
  };

  const onError = (error: unknown) => {
    if (bistroErrorCode(error) === 'STALE_VERSION') {
      setStale(true);
      void refresh();
    } else setErrors(serverErrors(error));
  };
  const create = useMutation(
    trpc.menu.items.create.mutationOptions({
      onSuccess: async (created) => {
        setVersion(created.version);
        setSaved(true);
        await refresh();
        onCreated(created.id);
      },
      onError,
    }),
  );
  const update = useMutation(
    trpc.menu.items.update.mutationOptions({
      onSuccess: async (after) => {
        setVersion(after.version);
        setSaved(true);
        await refresh();
      },
      onError,
    }),
  );

  const save = () => {
    setSaved(false);
    const priceMinor = parseMoneyInput(form.price, location.currency);
    const fields = { name: form.name.trim(), description: form.description.trim(), allergens: form.allergens, stationId: form.stationId || null };
    const found: Errors =
      item === undefined
        ? check(itemCreateInput, { categoryId: form.categoryId, ...fields, priceMinor: priceMinor ?? 0 })
        : check(itemUpdateInput, { itemId: item.id, version, categoryId: form.categoryId, ...fields, priceMinor: priceMinor ?? 0 });
    if (priceMinor === null) found.priceMinor = [`Enter a price like ${toDecimalString(money(1250, location.currency))}`];
    setErrors(found);
    if (Object.keys(found).length > 0 || priceMinor === null) return;
    if (item === undefined) create.mutate({ categoryId: form.categoryId, ...fields, priceMinor });
    else update.mutate({ itemId: item.id, version, categoryId: form.categoryId, ...fields, priceMinor });
  };

  const mutation = item === undefined ? create : update;
  const title = item === undefined ? 'New item' : `Edit ${item.name}`;
  return (
    <ModalDialog isOpen onOpenChange={(open) => !open && onClose()} title={title}>
      <form
        noValidate
        aria-label="Item details"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <TextField label="Name" name="name" value={form.name} onChange={set('name')} isRequired errors={errors.name} />
        <TextField label="Description" name="description" value={form.description} onChange={set('description')} multiline errors={errors.description} />
        <TextField
          label={`Price (${location.currency})`}
          name="price"
          value={form.price}
          onChange={set('price')}
          isRequired
          inputMode="decimal"
          description={`For example ${toDecimalString(money(1250, location.currency))}`}
          errors={errors.priceMinor}
        />
        {item !== undefined ? (
          <CategoryPicker menu={menu} value={form.categoryId} onChange={set('categoryId')} errors={errors.categoryId} />
        ) : null}
        <StationPicker locationId={location.id} value={form.stationId} onChange={set('stationId')} errors={errors.stationId} />
        <AllergenChecks value={form.allergens} onChange={set('allergens')} errors={errors.allergens} />
        {mutation.isError && bistroErrorCode(mutation.error) !== 'STALE_VERSION' && Object.keys(errors).length === 0 ? (
          <Alert>{errorMessage(mutation.error)}</Alert>
        ) : null}
        {saved ? <Alert tone="info">Saved.</Alert> : null}
        <div className={styles.actions}>
          <Button type="submit" isPending={mutation.isPending}>
            {item === undefined ? 'Create item' : 'Save item'}
          </Button>
          <Button variant="secondary" onPress={onClose}>
            Close
          </Button>
        </div>
      </form>
      {item !== undefined ? (
        <>
          <PhotoField item={item} onUploaded={refresh} />
          <ItemRecipe location={location} item={item} />
          <OptionGroups location={location} menu={menu} item={item} />
        </>
      ) : (
        <p className={styles.muted}>Create the item first; then add its photo and its choices.</p>
      )}
      <StaleDialog
        isOpen={stale}
        what={`“${item?.name ?? form.name}”`}
        onReload={() => {
          if (item) {
            setForm(formOf(item, location.currency));
            setVersion(item.version);
          }
          setErrors({});
          setStale(false);
        }}
      >
        {item ? <TheirItem item={item} currency={location.currency} /> : null}
      </StaleDialog>
    </ModalDialog>
  );
}

/** What one portion takes from the pantry; each option's own recipe is under its choice below. */
function ItemRecipe({ location, item }: { location: StaffLocation; item: EditItem }) {
  const id = useId();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <h3 id={id}>Recipe</h3>
      <p className={styles.muted}>What one portion takes from stock, in each ingredient’s unit. When stock can’t make it, the dish is 86’d automatically.</p>
      <Recipe location={location} itemId={item.id} owner={{ itemId: item.id }} name={item.name} />
    </section>
  );
}

/** The item as someone else saved it (from the refetched menu). */
function TheirItem({ item, currency }: { item: EditItem; currency: string }) {
  return (
    <dl>
      <dt>Name</dt>
      <dd>{item.name}</dd>
      <dt>Price</dt>
      <dd>{formatPrice(item.priceMinor, currency)}</dd>
      {item.description ? (
        <>
          <dt>Description</dt>
          <dd>{item.description}</dd>
        </>
      ) : null}
      <dt>Allergens</dt>
      <dd>{item.allergens.length ? item.allergens.join(', ') : 'none'}</dd>
    </dl>
  );
}

/** Which kitchen station the item's lines go to (the station displays show only theirs); none is allowed. */
function StationPicker({ locationId, value, onChange, errors }: { locationId: string; value: string; onChange: (id: string) => void; errors?: string[] | undefined }) {
  const trpc = useTRPC();
  const stations = useQuery(trpc.stations.list.queryOptions({ locationId }));
  const id = useId();
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        Kitchen station
      </label>
      <select id={id} className={styles.select} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={errors?.length ? true : undefined}>
        <option value="">None</option>
        {(stations.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {errors?.length ? <span className={styles.fieldError}>{errors.join(' ')}</span> : null}
    </div>
  );
}

function CategoryPicker({ menu, value, onChange, errors }: { menu: MenuForEdit; value: string; onChange: (id: string) => void; errors?: string[] | undefined }) {
  const id = useId();
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        Category
      </label>
      <select id={id} className={styles.select} value={value} onChange={(event) => onChange(event.target.value)} aria-invalid={errors?.length ? true : undefined}>
        {menu.categories.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {errors?.length ? <span className={styles.fieldError}>{errors.join(' ')}</span> : null}
    </div>
  );
}

const ALLERGEN_LABELS: Record<Allergen, string> = {
  gluten: 'Gluten',
  crustaceans: 'Crustaceans',
  eggs: 'Eggs',
  fish: 'Fish',
  peanuts: 'Peanuts',
  soy: 'Soy',
  milk: 'Milk',
  nuts: 'Tree nuts',
  celery: 'Celery',
  mustard: 'Mustard',
  sesame: 'Sesame',
  sulphites: 'Sulphites',
  lupin: 'Lupin',
  molluscs: 'Molluscs',
};

function AllergenChecks({ value, onChange, errors }: { value: Allergen[]; onChange: (value: Allergen[]) => void; errors?: string[] | undefined }) {
  return (
    <fieldset className={styles.checks}>
      <legend>Allergens</legend>
      <div className={styles.checkList}>
        {ALLERGENS.map((a) => (
          <label key={a} className={styles.check}>
            <input
              type="checkbox"
              checked={value.includes(a)}
              onChange={(event) => onChange(event.target.checked ? [...value, a] : value.filter((x) => x !== a))}
            />
            {ALLERGEN_LABELS[a]}
          </label>
        ))}
      </div>
      {errors?.length ? <p className={styles.fieldError}>{errors.join(' ')}</p> : null}
    </fieldset>
  );
}
