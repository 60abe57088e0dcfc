import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, Link } from '@tanstack/react-router';
import type { RouterOutputs } from '@bistro/client';
import { PageTitle } from '../components/Layout';
import { Alert, Loading } from '../components/ui';
import { ItemDialog } from '../guest/ItemDialog';
import { OpenStatus } from '../guest/OpenStatus';
import { nextOpeningAt } from '@bistro/domain';
import { countPortions, useCart } from '../lib/cart';
import { now } from '../lib/clock';
import { formatPrice } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from '../guest/guest.module.css';

export const Route = createLazyRoute('/l/$slug')({ component: MenuPage });
const route = getRouteApi('/l/$slug');

type Menu = RouterOutputs['menu']['get'];
export type MenuItem = Menu['categories'][number]['items'][number];

const REASONS: Record<NonNullable<MenuItem['unavailableReason']>, string> = {
  eightySixed: 'Sold out today',
  outOfStock: 'Sold out: the kitchen has run out',
};

/** The menu of one restaurant, from ONE menu.get (revalidated with its ETag). */
function MenuPage() {
  const { slug } = route.useParams();
  const trpc = useTRPC();
  const menu = useQuery(trpc.menu.get.queryOptions({ locationSlug: slug }));
  const cart = useCart(slug);
  const [open, setOpen] = useState<MenuItem | null>(null);

  if (menu.isPending) return <Loading label="Loading the menu…" />;
  if (menu.isError) return <Alert>{errorMessage(menu.error)}</Alert>;
  const { location, categories } = menu.data;
  const portions = countPortions(cart);
  const visible = categories.filter((c) => c.items.length > 0);

  return (
    <div>
      <PageTitle title={location.name}>{location.name}</PageTitle>
      {location.address ? <p className={styles.address}>{location.address}</p> : null}
      <OpenStatus location={location} nextOpensAt={location.isOpenNow ? null : nextOpeningAt(location.openingHours, location.timeZone, now(), location.closures)} at={now()} />
      {!location.isOpenNow ? (
        <Alert tone="info">You can browse the menu now and order for a time when we’re open.</Alert>
      ) : null}

      <nav aria-label="Menu sections" className={styles.categoryNav}>
        <ul>
          {visible.map((category) => (
            <li key={category.id}>
              <a href={`#c-${category.id}`}>{category.name}</a>
            </li>
          ))}
        </ul>
      </nav>

      {visible.map((category) => (
        <section key={category.id} id={`c-${category.id}`} aria-labelledby={`h-${category.id}`} className={styles.category}>
          <h2 id={`h-${category.id}`} className={styles.categoryName}>
            {category.name}
          </h2>
          {category.description ? <p className={styles.categoryDescription}>{category.description}</p> : null}
          <ul className={styles.items}>
            {category.items.map((item) => (
              <li key={item.id}>
                <ItemCard item={item} currency={location.currency} onOpen={() => setOpen(item)} />
              </li>
            ))}
          </ul>
        </section>
      ))}

      {open ? (
        <ItemDialog
          item={open}
          location={location}
          onClose={() => setOpen(null)}
        />
      ) : null}

      {portions > 0 ? (
        <div className={styles.cartBar}>
          <Link to="/l/$slug/cart" params={{ slug }} className={styles.cartBarLink}>
            View your order <span className={styles.cartCount}>{portions} {portions === 1 ? 'item' : 'items'}</span>
          </Link>
        </div>
      ) : null}
    </div>
  );
}

function ItemCard({ item, currency, onOpen }: { item: MenuItem; currency: string; onOpen: () => void }) {
  const body = (
    <>
      <span className={styles.itemText}>
        <span className={styles.itemName}>{item.name}</span>
        {item.description ? <span className={styles.itemDescription}>{item.description}</span> : null}
        {item.allergens.length > 0 ? <span className={styles.allergens}>Contains: {item.allergens.join(', ')}</span> : null}
        <span className={styles.itemPrice}>{formatPrice(item.priceMinor, currency)}</span>
        {!item.available ? <span className={styles.soldOut}>{item.unavailableReason ? REASONS[item.unavailableReason] : 'Unavailable'}</span> : null}
      </span>
      {item.photo ? (
        <img
          className={styles.photo}
          src={item.photo.small}
          srcSet={`${item.photo.small} 320w, ${item.photo.large} 1280w`}
          sizes="(min-width: 48rem) 160px, 30vw"
          width={320}
          height={240}
          loading="lazy"
          decoding="async"
          alt=""
        />
      ) : null}
    </>
  );
  if (!item.available) {
    return (
      <div className={`${styles.itemCard} ${styles.unavailable}`} aria-disabled="true">
        {body}
      </div>
    );
  }
  return (
    <button type="button" className={styles.itemCard} onClick={onOpen} aria-haspopup="dialog">
      {body}
    </button>
  );
}
