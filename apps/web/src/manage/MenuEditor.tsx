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
import { moved, type EditCategory, type EditItem, type MenuForEdit } from './menu-types';
import { StaleDialog } from './StaleDialog';
import styles from './manage.module.css';

type Editing = { categoryId: string; itemId: string | null } | null;

/**
 * The location's menu as its manager edits it: categories and their items in the order guests
 * see them, each movable up and down, editable and archivable; an item opens in its editor.
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

  const reorderCategories = useMutation(trpc.menu.categories.reorder.mutationOptions({ onSettled: refresh, onError: (e) => onError(e, 'the menu') }));
  const reorderItems = useMutation(trpc.menu.items.reorder.mutationOptions({ onSettled: refresh, onError: (e) => onError(e, 'this category') }));
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
      {categories.map((category, index) => (
        <section key={category.id} className={styles.section} aria-labelledby={`category-${category.id}`}>
          <div className={styles.sectionHead}>
            <h2 id={`category-${category.id}`}>{category.name}</h2>
            <div className={styles.actions}>
              <Button
                variant="secondary"
                aria-label={`Move ${category.name} up`}
                isDisabled={index === 0}
                onPress={() => reorderCategories.mutate({ locationId: location.id, categoryIds: moved(categories.map((c) => c.id), index, -1) })}
              >
                ↑
              </Button>
              <Button
                variant="secondary"
                aria-label={`Move ${category.name} down`}
                isDisabled={index === categories.length - 1}
                onPress={() => reorderCategories.mutate({ locationId: location.id, categoryIds: moved(categories.map((c) => c.id), index, 1) })}
              >
                ↓
              </Button>
              <RenameCategory category={category} onDone={refresh} onStale={() => setStale('this category')} />
              <Button variant="danger" aria-label={`Archive ${category.name}`} onPress={() => setArchiving({ kind: 'category', entry: category })}>
                Archive
              </Button>
            </div>
          </div>
          <ItemList
            items={itemsOf(category.id)}
            currency={location.currency}
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
  items,
  currency,
  onEdit,
  onMove,
  onArchive,
}: {
  items: EditItem[];
  currency: string;
  onEdit: (item: EditItem) => void;
  onMove: (ids: string[]) => void;
  onArchive: (item: EditItem) => void;
}) {
  if (items.length === 0) return <p className={styles.muted}>No items in this category yet.</p>;
  return (
    <ul className={styles.list}>
      {items.map((item, index) => (
        <li key={item.id} className={styles.row} aria-label={item.name}>
          {item.photo ? <img className={styles.thumb} src={item.photo.small} alt="" width={64} height={48} /> : <span className={styles.thumb} aria-hidden="true" />}
          <div className={styles.rowMain}>
            <strong>{item.name}</strong> · {formatPrice(item.priceMinor, currency)}
            {item.allergens.length > 0 ? <div className={styles.muted}>Allergens: {item.allergens.join(', ')}</div> : null}
          </div>
          <div className={styles.actions}>
            <Button variant="secondary" aria-label={`Edit ${item.name}`} onPress={() => onEdit(item)}>
              Edit
            </Button>
            <Button variant="secondary" aria-label={`Move ${item.name} up`} isDisabled={index === 0} onPress={() => onMove(moved(items.map((i) => i.id), index, -1))}>
              ↑
            </Button>
            <Button
              variant="secondary"
              aria-label={`Move ${item.name} down`}
              isDisabled={index === items.length - 1}
              onPress={() => onMove(moved(items.map((i) => i.id), index, 1))}
            >
              ↓
            </Button>
            <Button variant="danger" aria-label={`Archive ${item.name}`} onPress={() => onArchive(item)}>
              Archive
            </Button>
          </div>
        </li>
      ))}
    </ul>
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
