import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { bistroFieldErrors, type RouterInputs } from '@bistro/client';
import { requestPasswordResetInput, resetPasswordInput, signInInput, signUpInput } from '@bistro/domain';
import { PageTitle } from '../components/Layout';
import { Alert, Button, Loading, TextField } from '../components/ui';
import { CancelOrder } from '../guest/CancelOrder';
import { cancellable, STATUS_TEXT } from '../guest/status';
import { formatDayTime, formatPrice } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC, useTRPCClient } from '../lib/trpc';
import styles from '../guest/guest.module.css';

type Errors = Partial<Record<string, string[]>>;

/** A zod schema's complaints about `value`, keyed by field path, as the server's fieldErrors are. */
function check(schema: { safeParse(value: unknown): { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): Errors {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const errors: Errors = {};
  for (const issue of result.error.issues) (errors[issue.path.map(String).join('.')] ??= []).push(issue.message);
  return errors;
}

function Form({ onSubmit, children }: { onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      noValidate
      className={styles.accountForm}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

// ---- sign in

const signInApi = getRouteApi('/sign-in');
export const SignInRoute = createLazyRoute('/sign-in')({ component: SignInPage });

function SignInPage() {
  const { next } = signInApi.useSearch();
  return (
    <section>
      <PageTitle title="Sign in">Sign in</PageTitle>
      <SignInForm next={next} />
      <p>
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </section>
  );
}

function SignInForm({ next, email: initialEmail = '' }: { next?: string | undefined; email?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        // Only a path of this app: never an address elsewhere.
        if (next?.startsWith('/') && !next.startsWith('//')) window.location.assign(next);
        else void navigate({ to: '/' });
      },
      onError: (error) => setErrors(bistroFieldErrors<RouterInputs['auth']['signIn']>(error)),
    }),
  );
  const submit = () => {
    const input = { email: email.trim(), password };
    const found = check(signInInput, input);
    setErrors(found);
    if (Object.keys(found).length === 0) signIn.mutate(input);
  };
  return (
    <Form onSubmit={submit}>
      <TextField label="Email" name="email" type="email" autoComplete="email" value={email} onChange={setEmail} isRequired errors={errors.email} />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={setPassword} isRequired errors={errors.password} />
      {signIn.isError ? <Alert>{errorMessage(signIn.error)}</Alert> : null}
      <Button type="submit" wide isPending={signIn.isPending}>
        Sign in
      </Button>
    </Form>
  );
}

// ---- sign up

export const SignUpRoute = createLazyRoute('/sign-up')({ component: SignUpPage });

function SignUpPage() {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({ onError: (error) => setErrors(bistroFieldErrors<RouterInputs['auth']['signUp']>(error)) }),
  );
  if (signUp.isSuccess) {
    return (
      <section>
        <PageTitle title="Check your email">Check your email</PageTitle>
        <Alert tone="info">We sent a link to {email.trim()}. Open it to confirm your address, then sign in.</Alert>
      </section>
    );
  }
  const submit = () => {
    const input = { name: name.trim(), email: email.trim(), password };
    const found = check(signUpInput, input);
    setErrors(found);
    if (Object.keys(found).length === 0) signUp.mutate(input);
  };
  return (
    <section>
      <PageTitle title="Create an account">Create an account</PageTitle>
      <p>Save your details for next time and see your orders.</p>
      <Form onSubmit={submit}>
        <TextField label="Name" name="name" autoComplete="name" value={name} onChange={setName} isRequired errors={errors.name} />
        <TextField label="Email" name="email" type="email" autoComplete="email" value={email} onChange={setEmail} isRequired errors={errors.email} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          isRequired
          description="At least 8 characters; not a common one."
          errors={errors.password}
        />
        {signUp.isError ? <Alert>{errorMessage(signUp.error)}</Alert> : null}
        <Button type="submit" wide isPending={signUp.isPending}>
          Create account
        </Button>
      </Form>
      <p>
        Already have one? <Link to="/sign-in" search={{ next: undefined }}>Sign in</Link>
      </p>
    </section>
  );
}

// ---- verify email (the link in the sign-up email)

const verifyApi = getRouteApi('/verify-email');
export const VerifyRoute = createLazyRoute('/verify-email')({ component: VerifyPage });

function VerifyPage() {
  const { token } = verifyApi.useSearch();
  const trpc = useTRPC();
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions());
  const sent = useRef(false);
  useEffect(() => {
    // Once per visit (a single-use token); StrictMode's second effect run must not spend it twice.
    if (sent.current || !token) return;
    sent.current = true;
    verify.mutate({ token });
  }, [token, verify]);
  return (
    <section>
      <PageTitle title="Confirm your email">Confirm your email</PageTitle>
      {!token ? <Alert>This link is incomplete. Open the whole link from the email.</Alert> : null}
      {verify.isPending ? <Loading label="Confirming…" /> : null}
      {verify.isError ? <Alert>{errorMessage(verify.error)}</Alert> : null}
      {verify.isSuccess ? (
        <>
          <Alert tone="info">Your email is confirmed. Sign in to continue.</Alert>
          <SignInForm />
        </>
      ) : null}
    </section>
  );
}

// ---- forgotten password, reset (the link in the reset email)

export const ForgotRoute = createLazyRoute('/forgot-password')({ component: ForgotPage });

function ForgotPage() {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const submit = () => {
    const input = { email: email.trim() };
    const found = check(requestPasswordResetInput, input);
    setErrors(found);
    if (Object.keys(found).length === 0) request.mutate(input);
  };
  return (
    <section>
      <PageTitle title="Reset your password">Reset your password</PageTitle>
      {request.isSuccess ? (
        <Alert tone="info">If an account uses {email.trim()}, we sent it a link to choose a new password.</Alert>
      ) : (
        <Form onSubmit={submit}>
          <TextField label="Email" name="email" type="email" autoComplete="email" value={email} onChange={setEmail} isRequired errors={errors.email} />
          {request.isError ? <Alert>{errorMessage(request.error)}</Alert> : null}
          <Button type="submit" wide isPending={request.isPending}>
            Send me a link
          </Button>
        </Form>
      )}
    </section>
  );
}

const resetApi = getRouteApi('/reset-password');
export const ResetRoute = createLazyRoute('/reset-password')({ component: ResetPage });

function ResetPage() {
  const { token } = resetApi.useSearch();
  const trpc = useTRPC();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({ onError: (error) => setErrors(bistroFieldErrors<RouterInputs['auth']['resetPassword']>(error)) }),
  );
  if (!token) {
    return (
      <section>
        <PageTitle title="Reset your password">Reset your password</PageTitle>
        <p>
          Ask for a link by email: <Link to="/forgot-password">reset your password</Link>.
        </p>
      </section>
    );
  }
  const submit = () => {
    const found = check(resetPasswordInput, { token, password });
    setErrors(found);
    if (Object.keys(found).length === 0) reset.mutate({ token, password });
  };
  return (
    <section>
      <PageTitle title="Choose a new password">Choose a new password</PageTitle>
      {reset.isSuccess ? (
        <>
          <Alert tone="info">Your password is changed, and you are signed out everywhere. Sign in with the new one.</Alert>
          <SignInForm />
        </>
      ) : (
        <Form onSubmit={submit}>
          <TextField label="New password" name="password" type="password" autoComplete="new-password" value={password} onChange={setPassword} isRequired errors={errors.password} />
          {errors.token ? <Alert>{errors.token.join(' ')}</Alert> : null}
          {reset.isError ? <Alert>{errorMessage(reset.error)}</Alert> : null}
          <Button type="submit" wide isPending={reset.isPending}>
            Save the new password
          </Button>
        </Form>
      )}
    </section>
  );
}

// ---- my orders

export const MyOrdersRoute = createLazyRoute('/account/orders')({ component: MyOrdersPage });

function MyOrdersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useQuery(trpc.auth.me.queryOptions());
  const client = useTRPCClient();
  // Pages by the server's cursor; the first page is asked without one (tRPC's infinite options
  // would send `cursor: null`, which the input refuses).
  const orders = useInfiniteQuery({
    queryKey: [...trpc.orders.listMine.pathKey(), 'pages'],
    queryFn: ({ pageParam }) => client.orders.listMine.query(pageParam ? { cursor: pageParam } : undefined),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: !!me.data,
  });
  const locations = useQuery(trpc.locations.list.queryOptions());
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: async () => {
        // Everything read as her goes; what is on screen is asked again, as a guest.
        await queryClient.resetQueries();
        await navigate({ to: '/' });
      },
    }),
  );
  if (me.isPending) return <Loading label="Loading your account…" />;
  if (!me.data) {
    return (
      <section>
        <PageTitle title="Your orders">Your orders</PageTitle>
        <p>
          <Link to="/sign-in" search={{ next: '/account/orders' }}>
            Sign in
          </Link>{' '}
          to see your orders.
        </p>
      </section>
    );
  }
  const all = orders.data?.pages.flatMap((p) => p.orders) ?? [];
  return (
    <section>
      <PageTitle title="Your orders">Your orders</PageTitle>
      <p>
        Signed in as {me.data.name} ({me.data.email}){me.data.emailVerified ? '' : ' · email not confirmed yet'}.
      </p>
      <Button variant="secondary" isPending={signOut.isPending} onPress={() => signOut.mutate()}>
        Sign out
      </Button>
      {orders.isPending ? <Loading label="Loading your orders…" /> : null}
      {orders.isError ? <Alert>{errorMessage(orders.error)}</Alert> : null}
      {orders.isSuccess && all.length === 0 ? <p>No orders yet.</p> : null}
      <ul className={styles.orderList}>
        {all.map((order) => {
          const timeZone = locations.data?.find((l) => l.slug === order.location.slug)?.timeZone ?? 'UTC';
          return (
            <li key={order.id} className={styles.panel}>
              <h2 className={styles.panelTitle}>
                {order.number} · {order.location.name}
              </h2>
              <p>
                {STATUS_TEXT[order.status].label} · {order.itemCount} {order.itemCount === 1 ? 'item' : 'items'} ·{' '}
                {formatPrice(order.totalMinor, order.currency)}
              </p>
              <p className={styles.rule}>Placed {formatDayTime(order.placedAt, timeZone)}</p>
              {cancellable(order.status) ? <CancelOrder which={{ orderId: order.id }} number={order.number} /> : null}
            </li>
          );
        })}
      </ul>
      {orders.hasNextPage ? (
        <Button variant="secondary" isPending={orders.isFetchingNextPage} onPress={() => void orders.fetchNextPage()}>
          Show older orders
        </Button>
      ) : null}
    </section>
  );
}
