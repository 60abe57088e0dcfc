import { useEffect, useRef } from 'react';
import { useMutation } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, Link } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import { Alert, Button, Loading } from '../components/ui';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';

// ---- confirm (the link in the confirmation email)

const confirmApi = getRouteApi('/newsletter/confirm');
export const ConfirmRoute = createLazyRoute('/newsletter/confirm')({ component: ConfirmPage });

function ConfirmPage() {
  const { token } = confirmApi.useSearch();
  const trpc = useTRPC();
  const confirm = useMutation(trpc.newsletter.confirm.mutationOptions());
  const sent = useRef(false);
  useEffect(() => {
    // Once per visit (a single-use token); StrictMode's second effect run must not spend it twice.
    if (sent.current || !token) return;
    sent.current = true;
    confirm.mutate({ token });
  }, [token, confirm]);
  return (
    <section>
      <PageTitle title="Confirm your subscription">Confirm your subscription</PageTitle>
      {!token ? <Alert>This link is incomplete. Open the whole link from the email.</Alert> : null}
      {confirm.isPending ? <Loading label="Confirming…" /> : null}
      {confirm.isError ? <Alert>{errorMessage(confirm.error)}</Alert> : null}
      {confirm.isSuccess ? <Alert tone="info">You are subscribed to the {confirm.data.list} newsletter. Every email has a link to unsubscribe.</Alert> : null}
      <p>
        <Link to="/">Back to the restaurants</Link>
      </p>
    </section>
  );
}

// ---- unsubscribe (the link at the end of every campaign email; mail clients POST to it themselves)

const unsubscribeApi = getRouteApi('/newsletter/unsubscribe');
export const UnsubscribeRoute = createLazyRoute('/newsletter/unsubscribe')({ component: UnsubscribePage });

/** One click, asked for on the page: opening the link alone (a mail scanner does) changes nothing. */
function UnsubscribePage() {
  const { token } = unsubscribeApi.useSearch();
  const trpc = useTRPC();
  const unsubscribe = useMutation(trpc.newsletter.unsubscribe.mutationOptions());
  return (
    <section>
      <PageTitle title="Unsubscribe">Unsubscribe from the newsletter</PageTitle>
      {!token ? <Alert>This link is incomplete. Open the whole link from the email.</Alert> : null}
      {unsubscribe.isSuccess ? (
        <Alert tone="info">You are unsubscribed. You will receive no more newsletters at this address.</Alert>
      ) : token ? (
        <>
          <p>You will receive no more newsletters at this address.</p>
          {unsubscribe.isError ? <Alert>{errorMessage(unsubscribe.error)}</Alert> : null}
          <Button isPending={unsubscribe.isPending} onPress={() => unsubscribe.mutate({ token })}>
            Unsubscribe
          </Button>
        </>
      ) : null}
      <p>
        <Link to="/">Back to the restaurants</Link>
      </p>
    </section>
  );
}
