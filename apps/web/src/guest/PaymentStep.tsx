import { Radio, RadioGroup, Text } from 'react-aria-components';
import { Button, TextField } from '../components/ui';
import { formatDelta } from '../lib/format';
import styles from './guest.module.css';

export type PayWith = 'online' | 'counter';

export interface PromoState {
  /** What the guest typed. */
  text: string;
  setText: (text: string) => void;
  /** The code the quote prices with (after Apply), undefined without one. */
  applied: string | undefined;
  apply: () => void;
  remove: () => void;
  /** The refusal's message (PROMO_INVALID, PROMO_EXPIRED …) or the schema's. */
  errors: string[] | undefined;
  /** The discount line of the quote with the applied code. */
  discountMinor: number | undefined;
}

/**
 * How the guest pays, and their discount code. Online when the server has a provider (the
 * sandbox's page or Stripe's Payment Element come after placing); otherwise at the counter only.
 */
export function PaymentStep({
  payWith,
  onPayWithChange,
  online,
  promo,
  currency,
}: {
  payWith: PayWith;
  onPayWithChange: (payWith: PayWith) => void;
  /** Whether online payment is offered here. */
  online: boolean;
  promo: PromoState;
  currency: string;
}) {
  return (
    <section aria-labelledby="payment-heading" className={styles.panel}>
      <h2 id="payment-heading" className={styles.panelTitle}>
        Payment
      </h2>
      {online ? (
        <RadioGroup aria-labelledby="payment-heading" value={payWith} onChange={(v) => onPayWithChange(v as PayWith)} className={styles.choices}>
          <Radio value="online" className={styles.choice}>
            <span className={styles.mark} aria-hidden="true" />
            <span className={styles.choiceName}>Pay online now by card</span>
          </Radio>
          <Radio value="counter" className={styles.choice}>
            <span className={styles.mark} aria-hidden="true" />
            <span className={styles.choiceName}>Pay at the counter</span>
          </Radio>
          <Text slot="description" className={styles.rule}>
            {payWith === 'online' ? 'The kitchen starts on your order once it is paid.' : 'You pay at the counter when you collect your order.'}
          </Text>
        </RadioGroup>
      ) : (
        <p>You pay at the counter when you collect your order.</p>
      )}

      <div className={styles.promoRow}>
        <TextField label="Discount code" name="promoCode" value={promo.text} onChange={promo.setText} autoComplete="off" errors={promo.errors} />
        {promo.applied ? (
          <Button variant="secondary" onPress={promo.remove}>
            Remove code
          </Button>
        ) : (
          <Button variant="secondary" onPress={promo.apply} isDisabled={promo.text.trim() === ''}>
            Apply code
          </Button>
        )}
      </div>
      {promo.applied && promo.discountMinor !== undefined && !promo.errors ? (
        <p className={styles.promoApplied} role="status">
          Code {promo.applied} applied: {formatDelta(-promo.discountMinor, currency)} off
        </p>
      ) : null}
    </section>
  );
}
