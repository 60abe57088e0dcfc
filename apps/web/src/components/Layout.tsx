import { useEffect, useRef, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet } from '@tanstack/react-router';
import { useTRPC } from '../lib/trpc';
import styles from './layout.module.css';

/** The frame of every page: the brand, who is signed in, and the page. */
export function RootLayout() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  return (
    <>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      <header className={styles.header}>
        <Link to="/" className={styles.brand}>
          Bistro
        </Link>
        <nav aria-label="Account" className={styles.account}>
          {me.data ? (
            <Link to="/account/orders" className={styles.accountLink}>
              <span className={styles.signedInAs}>Signed in as</span> {me.data.name}
            </Link>
          ) : me.isSuccess ? (
            <Link to="/sign-in" search={{ next: undefined }} className={styles.accountLink}>
              Sign in
            </Link>
          ) : null}
        </nav>
      </header>
      <main id="main" className={styles.main}>
        <Outlet />
      </main>
    </>
  );
}

let firstPage = true;

/**
 * A page's heading, which also names the browser tab. After a navigation (not on the first load)
 * focus moves to it, so a screen reader announces the new page and Tab starts from its top.
 */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Bistro`;
    if (firstPage) firstPage = false;
    else ref.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1} className={styles.title}>
      {children}
    </h1>
  );
}

export function NotFound() {
  return (
    <section>
      <PageTitle title="Not found">This page doesn’t exist</PageTitle>
      <p>
        <Link to="/">See our restaurants</Link>
      </p>
    </section>
  );
}
