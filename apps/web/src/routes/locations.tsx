import { lazy, Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, Link } from '@tanstack/react-router';
import type { RouterOutputs } from '@bistro/client';
import { PageTitle } from '../components/Layout';
import { OpenStatus } from '../guest/OpenStatus';
import { now } from '../lib/clock';
import { formatMinute } from '../lib/format';
import { todaysRanges, upcomingClosures } from '../lib/hours';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from '../guest/guest.module.css';

export const Route = createLazyRoute('/')({ component: Locations });

// The newsletter form (its form components and the domain's email rule) comes after the list
// of restaurants: it stays out of the first page's JavaScript (budget 150 kB gzipped).
const NewsletterSignup = lazy(() => import('../guest/NewsletterSignup').then((m) => ({ default: m.NewsletterSignup })));

type Location = RouterOutputs['locations']['list'][number];

/** The first page: where would you like to eat? */
function Locations() {
  const trpc = useTRPC();
  const locations = useQuery(trpc.locations.list.queryOptions());
  return (
    <section>
      <PageTitle title="Choose a restaurant">Where would you like to eat?</PageTitle>
      <p className={styles.lead}>Choose a restaurant to see its menu and order for pickup.</p>
      {locations.isPending ? <p role="status">Finding our restaurants…</p> : null}
      {locations.isError ? <p role="alert">{errorMessage(locations.error)}</p> : null}
      <ul className={styles.locationList}>
        {locations.data?.map((location) => (
          <li key={location.id}>
            <LocationCard location={location} />
          </li>
        ))}
      </ul>
      <Suspense fallback={null}>
        <NewsletterSignup listName="Bistro" />
      </Suspense>
    </section>
  );
}

function LocationCard({ location }: { location: Location }) {
  const at = now();
  const ranges = todaysRanges(location, at);
  const closures = upcomingClosures(location, at);
  return (
    <article className={styles.locationCard}>
      <h2 className={styles.locationName}>
        <Link to="/l/$slug" params={{ slug: location.slug }} className={styles.cardLink}>
          {location.name}
        </Link>
      </h2>
      {location.address ? <p className={styles.address}>{location.address}</p> : null}
      <OpenStatus location={location} nextOpensAt={location.nextOpensAt} at={at} />
      <p className={styles.hours}>
        Today:{' '}
        {ranges.length === 0 ? 'closed' : ranges.map((r) => `${formatMinute(r.opensAt)}–${formatMinute(r.closesAt)}`).join(', ')}
      </p>
      {closures.length > 0 ? (
        <p className={styles.closures}>
          Closed on {closures.map((d) => new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${d}T12:00:00Z`))).join(', ')}
        </p>
      ) : null}
      <p className={styles.cardCta} aria-hidden="true">
        See the menu <span>›</span>
      </p>
    </article>
  );
}
