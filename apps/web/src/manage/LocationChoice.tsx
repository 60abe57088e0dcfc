import type { StaffLocation } from '../components/StaffGate';
import styles from './tables.module.css';

/**
 * Which location a manager's page is about, when they manage several (nothing to choose with
 * one). A native select: keyboard, screen readers and phones know it.
 */
export function LocationChoice({ locations, value, onChange }: { locations: StaffLocation[]; value: string; onChange: (locationId: string) => void }) {
  if (locations.length < 2) return null;
  return (
    <div className={styles.picker}>
      <label htmlFor="location-choice" className={styles.pickerLabel}>
        Location
      </label>
      <select id="location-choice" className={styles.select} value={value} onChange={(event) => onChange(event.target.value)}>
        {locations.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}
