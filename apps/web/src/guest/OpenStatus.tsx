import { formatDayTime, formatTime, zoneLabel } from '../lib/format';
import { openUntil, type Hours } from '../lib/hours';
import styles from './guest.module.css';

/**
 * "Open now · until 14:30" or "Closed · opens Tue 1 Dec, 12:00", on the restaurant's wall clock
 * and labelled with its zone when the guest's differs. Whether it is open and when it opens
 * next are the domain's rules (`isOpenNow`, `nextOpensAt`), given by the caller.
 */
export function OpenStatus({ location, nextOpensAt, at }: { location: Hours & { isOpenNow: boolean }; nextOpensAt: Date | null; at: Date }) {
  const zone = zoneLabel(location.timeZone);
  if (location.isOpenNow) {
    const until = openUntil(location, at);
    return (
      <p className={`${styles.status} ${styles.open}`}>
        <span className={styles.dot} aria-hidden="true" />
        Open now{until ? ` · until ${formatTime(until, location.timeZone)}` : ''}
        {zone ? <span className={styles.zone}> ({zone})</span> : null}
      </p>
    );
  }
  return (
    <p className={`${styles.status} ${styles.closed}`}>
      <span className={styles.dot} aria-hidden="true" />
      Closed{nextOpensAt ? ` · opens ${formatDayTime(nextOpensAt, location.timeZone)}` : ''}
      {zone && nextOpensAt ? <span className={styles.zone}> ({zone})</span> : null}
    </p>
  );
}
