import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button as AriaButton, DropIndicator, GridList, GridListItem, useDragAndDrop } from 'react-aria-components';
import { Button } from '../components/ui';
import { moved, reordered } from './menu-types';
import styles from './manage.module.css';

type Control = 'handle' | 'up' | 'down';

/**
 * Entries a manager puts in order: dragged by their handle with a pointer or a finger, or from
 * the keyboard (React Aria's drag and drop: Enter on the handle picks an entry up, the arrows move
 * it, Enter drops it), or one place at a time with the ↑ and ↓ buttons. Every drop or move is
 * ONE call of `onReorder` with the whole new order.
 */
export function ReorderList<T extends { id: string; name: string }>({
  label,
  entries,
  onReorder,
  isDisabled = false,
  children,
}: {
  label: string;
  entries: T[];
  onReorder: (ids: string[]) => void;
  isDisabled?: boolean;
  /** The entry's content and actions; `move` is its ↑ ↓ pair, placed where the row wants it. */
  children: (entry: T, move: ReactNode) => ReactNode;
}) {
  const ids = entries.map((e) => e.id);
  const listId = useId();
  const dragType = `application/x-bistro-order${listId}`;
  const control = (id: string, kind: Control) => `${listId}-${id}-${kind}`;
  // Moving a row moves its element, and the browser drops the focus with it: once the new order
  // shows, the focus goes back to the control that moved it (its handle after a drop).
  const refocus = useRef<{ id: string; kind: Control } | null>(null);
  const order = ids.join(' ');
  useEffect(() => {
    const wanted = refocus.current;
    if (!wanted) return;
    refocus.current = null;
    const frame = requestAnimationFrame(() => {
      // React Aria names the drag handle itself (its id ties it to its row), so controls are found by a data attribute.
      const find = (kind: Control) => document.querySelector<HTMLElement>(`[data-control="${control(wanted.id, kind)}"]`);
      const target = find(wanted.kind);
      (target && !target.hasAttribute('disabled') ? target : find('handle'))?.focus();
    });
    return () => cancelAnimationFrame(frame);
    // Only a new order refocuses.
  }, [order]);
  const move = (next: string[], id: string, kind: Control) => {
    refocus.current = { id, kind };
    onReorder(next);
  };
  const { dragAndDropHooks } = useDragAndDrop({
    // Each list carries its own drag type and accepts only that: an item can't be dropped into another category's list.
    getItems: (keys) => [...keys].map((key) => ({ [dragType]: String(key), 'text/plain': entries.find((e) => e.id === key)?.name ?? String(key) })),
    acceptedDragTypes: [dragType],
    getDropOperation: () => 'move',
    onReorder: (event) => {
      const next = reordered(ids, [...event.keys].map(String), String(event.target.key), event.target.dropPosition);
      if (next.some((id, i) => id !== ids[i])) move(next, String([...event.keys][0]), 'handle');
    },
    renderDropIndicator: (target) => <DropIndicator target={target} className={styles.dropIndicator} />,
    isDisabled,
  });
  return (
    <GridList aria-label={label} dragAndDropHooks={dragAndDropHooks} className={styles.list}>
      {entries.map((entry, index) => (
        <GridListItem key={entry.id} id={entry.id} textValue={entry.name} className={({ isDragging }) => `${styles.row} ${isDragging ? styles.dragging : ''}`}>
          <AriaButton slot="drag" data-control={control(entry.id, 'handle')} aria-label={`Drag ${entry.name}`} className={styles.handle}>
            <span aria-hidden="true">⠿</span>
          </AriaButton>
          {children(
            entry,
            <>
              <Button
                variant="secondary"
                data-control={control(entry.id, 'up')}
                aria-label={`Move ${entry.name} up`}
                isDisabled={isDisabled || index === 0}
                onPress={() => move(moved(ids, index, -1), entry.id, 'up')}
              >
                ↑
              </Button>
              <Button
                variant="secondary"
                data-control={control(entry.id, 'down')}
                aria-label={`Move ${entry.name} down`}
                isDisabled={isDisabled || index === entries.length - 1}
                onPress={() => move(moved(ids, index, 1), entry.id, 'down')}
              >
                ↓
              </Button>
            </>,
          )}
        </GridListItem>
      ))}
    </GridList>
  );
}
