import styles from './guest.module.css';

/**
 * How the guest pays. For now always at the counter; online payment (issue 14) takes this
 * step's place in checkout: it receives the placed order and decides where the guest goes next.
 */
export function PaymentStep() {
  return (
    <section aria-labelledby="payment-heading" className={styles.panel}>
      <h2 id="payment-heading" className={styles.panelTitle}>
        Payment
      </h2>
      <p>You pay at the counter when you collect your order.</p>
    </section>
  );
}
