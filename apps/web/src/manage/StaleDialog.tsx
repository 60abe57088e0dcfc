import type { ReactNode } from 'react';
import { Button, ModalDialog } from '../components/ui';
import styles from './manage.module.css';

/**
 * Someone saved the same entry since this screen loaded it (STALE_VERSION): nothing was
 * overwritten. Shows their version when there is one, and reloads it into the form.
 */
export function StaleDialog({ isOpen, what, onReload, children }: { isOpen: boolean; what: string; onReload: () => void; children?: ReactNode }) {
  return (
    <ModalDialog isOpen={isOpen} onOpenChange={(open) => !open && onReload()} title="Someone changed this meanwhile">
      <p>
        Someone else saved {what} after you opened it. Your change was <strong>not</strong> saved, and theirs was not overwritten.
      </p>
      {children ? (
        <div className={styles.section}>
          <h3>Their version</h3>
          {children}
        </div>
      ) : null}
      <p>Reload to see their version, then make your change again.</p>
      <Button onPress={onReload}>Reload their version</Button>
    </ModalDialog>
  );
}
