import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { bistroErrorCode } from '@bistro/client';
import { categoryCreateInput } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, Loading, ModalDialog, TextField } from '../components/ui';
import { formatPrice } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { check, serverErrors, type Errors } from './forms';
import { ItemEditor } from './ItemEditor';
import type { EditCategory, EditItem, MenuForEdit } from './menu-types';
import { Unavailable } from './Recipe';
import { ReorderList } from './ReorderList';
import { StaleDialog } from './StaleDialog';
import styles from './manage.module.css';

type Editing = { categoryId: string; itemId: string | null } | null;

/**
 * The location's menu as its manager edits it: categories and their items in the order guests
 * see them, each dragged (or moved up and down) into place, editable and archivable; an item
 * opens in its editor. An item the stock can't make says it is 86'd automatically.
 */
export function MenuEditor({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = trpc.menu.forEdit.queryKey({ locationId: location.id });
  const menu = useQuery(trpc.menu.forEdit.queryOptions({ locationId: location.id }));
  const [editing, setEditing] = useState<Editing>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [stale, setStale] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const onError = (error: unknown, what: string) => {
    if (bistroErrorCode(error) === 'STALE_VERSION' || bistroErrorCode(error) === 'MENU_ORDER_MISMATCH') setStale(what);
    else setProblem(error);
    void refresh();
  };

  /** The new order shows at once (the server's answer then replaces it, or the refusal undoes it). */
  const shown = async (reorder: (menu: MenuForEdit) => MenuForEdit) => {
    await queryClient.cancelQueries({ queryKey: key });
    queryClient.setQueryData(key, (menu) => (menu ? reorder(menu) : menu));
  };
  const byOrder = <T extends { id: string }>(list: T[], ids: string[]) => [...list].sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  const reorderCategories = useMutation(
    trpc.menu.categories.reorder.mutationOptions({
      onMutate: ({ categoryIds }) => shown((menu) => ({ ...menu, categories: byOrder(menu.categories, categoryIds) })),
      onSettled: refresh,
      onError: (e) => onError(e, 'the menu'),
    }),
  );
  const reorderItems = useMutation(
    trpc.menu.items.reorder.mutationOptions({
      onMutate: ({ categoryId, itemIds }) =>
        shown((menu) => {
          const moving = byOrder(menu.items.filter((i) => i.categoryId === categoryId), itemIds);
          return { ...menu, items: [...menu.items.filter((i) => i.categoryId !== categoryId), ...moving] };
        }),
      onSettled: refresh,
      onError: (e) => onError(e, 'this category'),
    }),
  );
  const archiveCategory = useMutation(trpc.menu.categories.archive.mutationOptions({ onSuccess: refresh, onError: (e) => onError(e, 'this category') }));
  const archiveItem = useMutation(trpc.menu.items.archive.mutationOptions({ onSuccess: refresh, onError: (e) => onError(e, 'this item') }));
  const [archiving, setArchiving] = useState<{ kind: 'category'; entry: EditCategory } | { kind: 'item'; entry: EditItem } | null>(null);

  if (menu.isPending) return <Loading label="Loading the menu…" />;
  if (menu.isError) return <Alert>{errorMessage(menu.error)}</Alert>;
  const { categories, items } = menu.data;
  const itemsOf = (categoryId: string) => items.filter((i) => i.categoryId === categoryId);

  return (
    <>
      {problem ? (
        <Alert>
          {errorMessage(problem)}{' '}
          <Button variant="quiet" onPress={() => setProblem(null)}>
            Dismiss
          </Button>
        </Alert>
      ) : null}
      <NewCategory locationId={location.id} onCreated={refresh} />
      {categories.length === 0 ? <p>No categories yet: add the first one above (Starters, Mains …).</p> : null}
      {categories.length > 1 ? (
        <section className={styles.section} aria-labelledby="category-order">
          <h2 id="category-order">Order of categories</h2>
          <p className={styles.muted}>Drag a category by its handle, or move it with the arrows: guests see them in this order.</p>
          <ReorderList label="Order of categories" entries={categories} onReorder={(categoryIds) => reorderCategories.mutate({ locationId: location.id, categoryIds })}>
            {(category, move) => (
              <>
                <span className={styles.rowMain}>{category.name}</span>
                <span className={styles.actions}>{move}</span>
              </>
            )}
          </ReorderList>
        </section>
      ) : null}
      {categories.map((category) => (
        <section key={category.id} className={styles.section} aria-labelledby={`category-${category.id}`}>
          <div className={styles.sectionHead}>
            <h2 id={`category-${category.id}`}>{category.name}</h2>
            <div className={styles.actions}>
              <RenameCategory category={category} onDone={refresh} onStale={() => setStale('this category')} />
              <Button variant="danger" aria-label={`Archive ${category.name}`} onPress={() => setArchiving({ kind: 'category', entry: category })}>
                Archive
              </Button>
            </div>
          </div>
          <ItemList
            category={category}
            items={itemsOf(category.id)}
            location={location}
            onEdit={(item) => setEditing({ categoryId: category.id, itemId: item.id })}
            onMove={(ids) => reorderItems.mutate({ categoryId: category.id, itemIds: ids })}
            onArchive={(item) => setArchiving({ kind: 'item', entry: item })}
          />
          <Button variant="secondary" onPress={() => setEditing({ categoryId: category.id, itemId: null })} aria-label={`Add an item to ${category.name}`}>
            Add an item
          </Button>
        </section>
      ))}
      {editing ? (
        <ItemEditor
          location={location}
          menu={menu.data}
          categoryId={editing.categoryId}
          itemId={editing.itemId}
          onCreated={(itemId) => setEditing({ ...editing, itemId })}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <ConfirmArchive
        archiving={archiving}
        menu={menu.data}
        onCancel={() => setArchiving(null)}
        onConfirm={() => {
          if (archiving?.kind === 'category') archiveCategory.mutate({ categoryId: archiving.entry.id, version: archiving.entry.version });
          if (archiving?.kind === 'item') archiveItem.mutate({ itemId: archiving.entry.id, version: archiving.entry.version });
          setArchiving(null);
        }}
      />
      <StaleDialog isOpen={stale !== null} what={stale ?? ''} onReload={() => setStale(null)} />
    </>
  );
}

function ItemList({
  category,
  items,
  location,
  onEdit,
  onMove,
  onArchive,
}: {
  category: EditCategory;
  items: EditItem[];
  location: StaffLocation;
  onEdit: (item: EditItem) => void;
  onMove: (ids: string[]) => void;
  onArchive: (item: EditItem) => void;
}) {
  if (items.length === 0) return <p className={styles.muted}>No items in this category yet.</p>;
  return (
    <ReorderList label={`Items of ${category.name}`} entries={items} onReorder={onMove}>
      {(item, move) => (
        <>
          {item.photo ? <img className={styles.thumb} src={item.photo.small} alt="" width={64} height={48} /> : <span className={styles.thumb} aria-hidden="true" />}
          <div className={styles.rowMain}>
            <strong>{item.name}</strong> · {formatPrice(item.priceMinor, location.currency)} <Unavailable id={item.id} locationSlug={location.slug} />
            {item.allergens.length > 0 ? <div className={styles.muted}>Allergens: {item.allergens.join(', ')}</div> : null}
          </div>
          <div className={styles.actions}>
            <Button variant="secondary" aria-label={`Edit ${item.name}`} onPress={() => onEdit(item)}>
              Edit
            </Button>
            {move}
            <Button variant="danger" aria-label={`Archive ${item.name}`} onPress={() => onArchive(item)}>
              Archive
            </Button>
          </div>
        </>
      )}
    </ReorderList>
  );
}

function NewCategory({ locationId, onCreated }: { locationId: string; onCreated: () => Promise<void> }) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation(
    trpc.menu.categories.create.mutationOptions({
      onSuccess: async () => {
        setName('');
        await onCreated();
      },
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  return (
    <form
      className={styles.section}
      aria-label="New category"
      onSubmit={(event) => {
        event.preventDefault();
        const input = { locationId, name: name.trim() };
        const found = check(categoryCreateInput, input);
        setErrors(found);
        if (Object.keys(found).length === 0) create.mutate(input);
      }}
    >
      <TextField label="New category" name="category" value={name} onChange={setName} isRequired errors={errors.name} />
      {create.isError && !errors.name ? <Alert>{errorMessage(create.error)}</Alert> : null}
      <Button type="submit" isPending={create.isPending}>
        Add category
      </Button>
    </form>
  );
}

function RenameCategory({ category, onDone, onStale }: { category: EditCategory; onDone: () => Promise<void>; onStale: () => void }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(category.name);
  const [version, setVersion] = useState(category.version);
  const [errors, setErrors] = useState<Errors>({});
  const update = useMutation(
    trpc.menu.categories.update.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        await onDone();
      },
      onError: (error) => {
        if (bistroErrorCode(error) === 'STALE_VERSION') {
          setOpen(false);
          onStale();
        } else setErrors(serverErrors(error));
      },
    }),
  );
  return (
    <>
      <Button
        variant="secondary"
        aria-label={`Rename ${category.name}`}
        onPress={() => {
          setName(category.name);
          setVersion(category.version);
          setErrors({});
          setOpen(true);
        }}
      >
        Rename
      </Button>
      <ModalDialog isOpen={open} onOpenChange={setOpen} title={`Rename ${category.name}`}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate({ categoryId: category.id, version, name: name.trim() });
          }}
        >
          <TextField label="Name" name="name" value={name} onChange={setName} isRequired errors={errors.name} />
          {update.isError && !errors.name ? <Alert>{errorMessage(update.error)}</Alert> : null}
          <Button type="submit" isPending={update.isPending}>
            Save
          </Button>
        </form>
      </ModalDialog>
    </>
  );
}

function ConfirmArchive({
  archiving,
  menu,
  onCancel,
  onConfirm,
}: {
  archiving: { kind: 'category'; entry: EditCategory } | { kind: 'item'; entry: EditItem } | null;
  menu: MenuForEdit;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const below = archiving?.kind === 'category' ? menu.items.filter((i) => i.categoryId === archiving.entry.id).length : 0;
  return (
    <ModalDialog isOpen={archiving !== null} onOpenChange={(open) => !open && onCancel()} title={`Archive ${archiving?.entry.name ?? ''}?`}>
      <p>
        Guests will no longer see it. Past orders keep it as it was.
        {below > 0 ? ` Its ${below} item${below === 1 ? '' : 's'} are archived too.` : ''}
      </p>
      <div className={styles.actions}>
        <Button variant="danger" onPress={onConfirm}>
          Archive
        </Button>
        <Button variant="secondary" onPress={onCancel}>
          Keep it
        </Button>
      </div>
    </ModalDialog>
  );
}
