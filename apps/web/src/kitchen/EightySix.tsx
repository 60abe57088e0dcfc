import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button as AriaButton } from 'react-aria-components';
import { Alert, Loading } from '../components/ui';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from './kitchen.module.css';

/**
 * The 86 board: every item of the menu with a toggle (kitchen.set86). An item the stock can't
 * make any more is 86'd automatically; it says so, with its reason, beside the toggle.
 */
export function EightySix({ locationSlug }: { locationSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const menu = useQuery(trpc.menu.get.queryOptions({ locationSlug }));
  const set86 = useMutation(
    trpc.kitchen.set86.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.menu.get.queryKey({ locationSlug }) }),
    }),
  );
  if (menu.isPending) return <Loading label="Loading the menu…" />;
  if (menu.isError) return <Alert>{errorMessage(menu.error)}</Alert>;
  return (
    <>
      {set86.isError ? <Alert>{errorMessage(set86.error)}</Alert> : null}
      <div className={styles.board86}>
        {menu.data.categories.map((category) => (
          <section key={category.id} aria-labelledby={`cat86-${category.id}`} className={styles.category86}>
            <h2 id={`cat86-${category.id}`}>{category.name}</h2>
            <ul className={styles.items86}>
              {category.items.map((item) => {
                const byHand = item.unavailableReason === 'eightySixed';
                const pending = set86.isPending && set86.variables?.itemId === item.id;
                const shown = pending ? (set86.variables?.eightySixed ?? byHand) : byHand;
                return (
                  <li key={item.id} className={styles.item86}>
                    <span>
                      <span className={styles.itemName} id={`item86-${item.id}`}>
                        {item.name}
                      </span>
                      {shown ? <span className={styles.auto86}>86’d by hand</span> : null}
                      {item.unavailableReason === 'outOfStock' ? <span className={styles.auto86}>86 automatically: out of stock</span> : null}
                    </span>
                    <AriaButton
                      className={styles.switch86}
                      aria-pressed={shown}
                      isDisabled={pending}
                      onPress={() => set86.mutate({ itemId: item.id, eightySixed: !shown })}
                    >
                      86<span className="visually-hidden"> {item.name}</span>
                    </AriaButton>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </>
  );
}
