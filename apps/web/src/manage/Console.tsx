import { useId, type ReactNode } from 'react';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { NotFound } from '../components/Layout';
import { StaffGate, type Me, type StaffLocation } from '../components/StaffGate';
import { navFor, type ConsoleAudience } from './nav';
import styles from './manage.module.css';

export interface ConsoleProps {
  me: Me;
  /** The location being managed (the one chosen in the picker, or the only one). */
  location: StaffLocation;
}

/**
 * The frame of every console page: who may be here (managers of a location, admins everywhere;
 * anyone else sees "not found", as the API answers), the location picker when the user manages
 * several, and the navigation, which lists only what the user may open.
 */
export function Console({ who = 'manager', children }: { who?: ConsoleAudience; children: (props: ConsoleProps) => ReactNode }) {
  return <StaffGate need="manager">{({ me, locations }) => <Frame me={me} locations={locations} who={who} render={children} />}</StaffGate>;
}

function Frame({
  me,
  locations,
  who,
  render,
}: {
  me: Me;
  locations: StaffLocation[];
  who: ConsoleAudience;
  render: (props: ConsoleProps) => ReactNode;
}) {
  const search: { location?: string } = useSearch({ strict: false });
  const navigate = useNavigate();
  const pickerId = useId();
  const location = search.location === undefined ? locations[0] : locations.find((l) => l.id === search.location);
  // A location the user may not manage (or that does not exist), or an admin page for a manager.
  if (!location || (who === 'admin' && !me.isAdmin)) return <NotFound />;
  return (
    <div className={styles.console}>
      <div className={styles.bar}>
        {locations.length > 1 ? (
          <div className={styles.picker}>
            <label htmlFor={pickerId}>Location</label>
            <select
              id={pickerId}
              value={location.id}
              onChange={(event) => void navigate({ to: '.', search: (prev: Record<string, unknown>) => ({ ...prev, location: event.target.value }) })}
            >
              {locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <p className={styles.here}>{location.name}</p>
        )}
        <nav aria-label="Console" className={styles.nav}>
          <ul>
            {navFor(me.isAdmin).map((entry) => (
              <li key={entry.path}>
                <Link to={entry.path} search={{ location: location.id }} className={styles.navLink} activeOptions={{ includeSearch: false }}
                  activeProps={{ 'aria-current': 'page' }}>
                  {entry.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <div className={styles.page}>{render({ me, location })}</div>
    </div>
  );
}
