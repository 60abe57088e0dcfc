import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { bistroFieldErrors, type RouterInputs } from '@bistro/client';
import { newsletterSubscribeInput } from '@bistro/domain';
import { Alert, Button, TextField } from '../components/ui';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from './newsletter.module.css';

type Errors = Partial<Record<string, string[]>>;

/**
 * "Get our newsletter": an email field and a button. Double opt-in: the answer is the same for
 * any address ("check your email"), and nothing is sent but a confirmation link.
 * `locationId` absent: every location's newsletter.
 */
export function NewsletterSignup({ locationId, listName }: { locationId?: string; listName: string }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const subscribe = useMutation(
    trpc.newsletter.subscribe.mutationOptions({ onError: (error) => setErrors(bistroFieldErrors<RouterInputs['newsletter']['subscribe']>(error)) }),
  );
  const submit = () => {
    const input = { email: email.trim(), ...(locationId ? { locationId } : {}) };
    const result = newsletterSubscribeInput.safeParse(input);
    if (!result.success) {
      const found: Errors = {};
      for (const issue of result.error.issues) (found[issue.path.map(String).join('.')] ??= []).push(issue.message);
      setErrors(found);
      return;
    }
    setErrors({});
    subscribe.mutate(input);
  };
  return (
    <section className={styles.signup} aria-labelledby="newsletter-heading">
      <h2 id="newsletter-heading">The {listName} newsletter</h2>
      {subscribe.isSuccess ? (
        <Alert tone="info">Almost there: we sent a link to {email.trim()}. Open it to confirm your subscription.</Alert>
      ) : (
        <>
          <p>New dishes and events, now and then. Unsubscribe with one click.</p>
          <form
            noValidate
            className={styles.signupForm}
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <TextField label="Email" name="newsletter-email" type="email" autoComplete="email" value={email} onChange={setEmail} isRequired errors={errors.email} />
            {subscribe.isError && !errors.email ? <Alert>{errorMessage(subscribe.error)}</Alert> : null}
            <Button type="submit" isPending={subscribe.isPending}>
              Subscribe
            </Button>
          </form>
        </>
      )}
    </section>
  );
}
