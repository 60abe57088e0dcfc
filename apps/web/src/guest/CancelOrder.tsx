import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RouterInputs } from '@bistro/client';
import { Alert, Button, ModalDialog } from '../components/ui';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from './guest.module.css';

/** "Cancel order", confirmed in a dialog; by tracking token (a guest) or order id (its customer). */
export function CancelOrder({ which, number }: { which: RouterInputs['orders']['cancel']; number: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.orders.cancel.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
      },
    }),
  );
  return (
    <>
      <Button variant="danger" onPress={() => setConfirming(true)}>
        Cancel order {number}
      </Button>
      {cancel.isError && !confirming ? <Alert>{errorMessage(cancel.error)}</Alert> : null}
      <ModalDialog isOpen={confirming} onOpenChange={setConfirming} title={`Cancel order ${number}?`}>
        <p>The kitchen won’t make it. This can’t be undone.</p>
        {cancel.isError ? <Alert>{errorMessage(cancel.error)}</Alert> : null}
        <div className={styles.dialogActions}>
          <Button variant="danger" wide isPending={cancel.isPending} onPress={() => cancel.mutate(which)}>
            Yes, cancel it
          </Button>
          <Button variant="secondary" wide onPress={() => setConfirming(false)}>
            Keep my order
          </Button>
        </div>
      </ModalDialog>
    </>
  );
}
