import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Checkbox, Label, Radio, RadioGroup } from 'react-aria-components';
import { bistroFieldErrors, type RouterOutputs } from '@bistro/client';
import { currencyCodeSchema, promoCreateInput, promoUpdateInput, type PromoDiscount } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, TextField } from '../components/ui';
import { amountText, parseAmount, parsePercent, percentText } from '../lib/amount';
import { zoneLabel } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from './tables.module.css';

export type Promo = RouterOutputs['promos']['list'][number];
type Errors = Partial<Record<string, string[]>>;

/** The form's text, as typed; turned into the procedure's input on save. */
interface Draft {
  code: string;
  kind: 'percent' | 'amount';
  value: string;
  minSubtotal: string;
  validFrom: string;
  validTo: string;
  maxUses: string;
  maxUsesPerCustomer: string;
  active: boolean;
  /** For every location (an admin's choice) rather than this one. */
  everywhere: boolean;
  /** A fixed amount's currency; only asked for a code for every location. */
  currency: string;
}

function draftOf(promo: Promo | null, currency: string): Draft {
  if (!promo) return { code: '', kind: 'percent', value: '', minSubtotal: '', validFrom: '', validTo: '', maxUses: '', maxUsesPerCustomer: '', active: true, everywhere: false, currency };
  const own = promo.currency ?? currency;
  return {
    everywhere: promo.locationId === null,
    currency: own,
    code: promo.code,
    kind: promo.kind,
    value: promo.kind === 'percent' ? percentText(promo.percentBp ?? 0) : amountText(promo.amountMinor ?? 0, promo.currency ?? currency),
    minSubtotal: promo.minSubtotalMinor > 0 ? amountText(promo.minSubtotalMinor, own) : '',
    validFrom: promo.validFrom ?? '',
    validTo: promo.validTo ?? '',
    maxUses: promo.maxUses === null ? '' : String(promo.maxUses),
    maxUsesPerCustomer: promo.maxUsesPerCustomer === null ? '' : String(promo.maxUsesPerCustomer),
    active: promo.active,
  };
}

/** A whole number typed in a field (null when empty), or undefined when it is not one. */
function count(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** The schema's (or the server's) errors keyed by the form's fields. */
function byField(errors: Errors): Errors {
  const out: Errors = {};
  for (const [path, messages] of Object.entries(errors)) {
    const field = path === 'discount.currency' ? 'currency' : path.startsWith('discount') ? 'value' : path === 'minSubtotalMinor' ? 'minSubtotal' : path;
    (out[field] ??= []).push(...(messages ?? []));
  }
  return out;
}

/**
 * Creates a discount code, or edits one (the code itself stays: guests may already hold it).
 * Checked with the domain's schema before sending; the server's field errors land on the same fields.
 * An admin may make a code for every location: a fixed amount then names its currency, and
 * applies only where the location charges in it (the server's rule; the form only says so).
 */
export function PromoForm({ location, promo, onDone }: { location: StaffLocation; promo: Promo | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(promo, location.currency));
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation(trpc.promos.create.mutationOptions());
  const update = useMutation(trpc.promos.update.mutationOptions());
  const saving = create.isPending || update.isPending;
  const zone = zoneLabel(location.timeZone) ?? 'local time';
  const admin = location.role === 'admin';
  // The currency amounts are typed in: the location's, or the one a code for every location names.
  const typedCurrency = draft.everywhere && draft.kind === 'amount' ? draft.currency.trim().toUpperCase() : location.currency;
  const amountCurrency = currencyCodeSchema.safeParse(typedCurrency).success ? typedCurrency : location.currency;
  const minimumLabel = draft.everywhere && draft.kind === 'percent' ? 'Minimum subtotal (in each location’s currency)' : `Minimum subtotal (${amountCurrency})`;

  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors(({ [key]: _cleared, ...rest }) => rest);
  };

  const save = () => {
    if (saving) return;
    const fieldErrors: Errors = {};
    let discount: PromoDiscount | null = null;
    if (draft.kind === 'percent') {
      const bp = parsePercent(draft.value);
      if (bp === null) fieldErrors.value = ['Enter a percentage, like 15 or 12.5'];
      else discount = { percentBp: bp };
    } else {
      const minor = parseAmount(draft.value, amountCurrency);
      if (minor === null) fieldErrors.value = ['Enter an amount, like 2.50'];
      else discount = draft.everywhere ? { amountMinor: minor, currency: typedCurrency } : { amountMinor: minor };
    }
    const minSubtotal = draft.minSubtotal.trim() === '' ? 0 : parseAmount(draft.minSubtotal, amountCurrency);
    if (minSubtotal === null) fieldErrors.minSubtotal = ['Enter an amount, like 20.00'];
    const maxUses = count(draft.maxUses);
    const maxUsesPerCustomer = count(draft.maxUsesPerCustomer);
    if (maxUses === undefined) fieldErrors.maxUses = ['Enter a whole number, or leave it empty'];
    if (maxUsesPerCustomer === undefined) fieldErrors.maxUsesPerCustomer = ['Enter a whole number, or leave it empty'];
    const terms = {
      discount: discount ?? { percentBp: 1 },
      minSubtotalMinor: minSubtotal ?? 0,
      validFrom: draft.validFrom || null,
      validTo: draft.validTo || null,
      maxUses: maxUses ?? null,
      maxUsesPerCustomer: maxUsesPerCustomer ?? null,
      active: draft.active,
    };
    const onError = (error: unknown) => setErrors(byField(bistroFieldErrors<Record<string, unknown>>(error)));
    const onSuccess = () => {
      void queryClient.invalidateQueries({ queryKey: trpc.promos.list.pathKey() });
      onDone();
    };
    if (promo) {
      const input = { promoId: promo.id, ...terms };
      const checked = promoUpdateInput.safeParse(input);
      if (!checked.success) for (const issue of checked.error.issues) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
      setErrors(byField(fieldErrors));
      if (Object.keys(fieldErrors).length > 0) return;
      update.mutate(input, { onSuccess, onError });
    } else {
      const input = {
        locationId: draft.everywhere ? null : location.id,
        code: draft.code,
        discount: terms.discount,
        minSubtotalMinor: terms.minSubtotalMinor,
        active: terms.active,
        ...(terms.validFrom ? { validFrom: terms.validFrom } : {}),
        ...(terms.validTo ? { validTo: terms.validTo } : {}),
        ...(terms.maxUses !== null ? { maxUses: terms.maxUses } : {}),
        ...(terms.maxUsesPerCustomer !== null ? { maxUsesPerCustomer: terms.maxUsesPerCustomer } : {}),
      };
      const checked = promoCreateInput.safeParse(input);
      if (!checked.success) for (const issue of checked.error.issues) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
      setErrors(byField(fieldErrors));
      if (Object.keys(fieldErrors).length > 0) return;
      create.mutate(input, { onSuccess, onError });
    }
  };

  const error = create.error ?? update.error;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      {promo ? (
        <p>
          Code <span className={styles.code}>{promo.code}</span> · used {promo.uses} {promo.uses === 1 ? 'time' : 'times'}
        </p>
      ) : (
        <TextField label="Code" name="code" value={draft.code} onChange={set('code')} isRequired autoComplete="off" description="3 to 32 letters, digits, - or _; guests type it in any case." errors={errors.code} />
      )}
      {promo && promo.locationId === null ? <p>For every location.</p> : null}
      {!promo && admin ? (
        <RadioGroup value={draft.everywhere ? 'everywhere' : 'here'} onChange={(v) => set('everywhere')(v === 'everywhere')} className={styles.field}>
          <Label className={styles.groupLabel}>Applies at</Label>
          <div className={styles.choices}>
            <Radio value="here" className={styles.choice}>
              {location.name} only
            </Radio>
            <Radio value="everywhere" className={styles.choice}>
              All locations
            </Radio>
          </div>
        </RadioGroup>
      ) : null}
      <RadioGroup value={draft.kind} onChange={(v) => set('kind')(v as Draft['kind'])} className={styles.field}>
        <Label className={styles.groupLabel}>Discount</Label>
        <div className={styles.choices}>
          <Radio value="percent" className={styles.choice}>
            Percent off
          </Radio>
          <Radio value="amount" className={styles.choice}>
            Fixed amount off
          </Radio>
        </div>
      </RadioGroup>
      <div className={styles.formGrid}>
        {draft.everywhere && draft.kind === 'amount' ? (
          <TextField
            label="Currency"
            name="currency"
            value={draft.currency}
            onChange={set('currency')}
            isRequired
            autoComplete="off"
            description="The code applies only at locations that charge in it."
            errors={errors.currency}
          />
        ) : null}
        <TextField
          label={draft.kind === 'percent' ? 'Percent off' : `Amount off (${amountCurrency})`}
          name="value"
          value={draft.value}
          onChange={set('value')}
          inputMode="decimal"
          isRequired
          errors={errors.value}
        />
        <TextField label={minimumLabel} name="minSubtotal" value={draft.minSubtotal} onChange={set('minSubtotal')} inputMode="decimal" errors={errors.minSubtotal} />
        <TextField label="Valid from" name="validFrom" type="date" value={draft.validFrom} onChange={set('validFrom')} description={draft.everywhere ? 'First day, in each location’s time zone' : `First day, ${zone}`} errors={errors.validFrom} />
        <TextField label="Valid to" name="validTo" type="date" value={draft.validTo} onChange={set('validTo')} description={draft.everywhere ? 'Last day, in each location’s time zone' : `Last day, ${zone}`} errors={errors.validTo} />
        <TextField label="Uses in total" name="maxUses" value={draft.maxUses} onChange={set('maxUses')} inputMode="numeric" description="Empty: no limit" errors={errors.maxUses} />
        <TextField label="Uses per customer" name="maxUsesPerCustomer" value={draft.maxUsesPerCustomer} onChange={set('maxUsesPerCustomer')} inputMode="numeric" description="Empty: no limit" errors={errors.maxUsesPerCustomer} />
      </div>
      <Checkbox isSelected={draft.active} onChange={set('active')} className={styles.check}>
        {({ isSelected }) => (
          <>
            <span className={styles.box} aria-hidden="true">
              {isSelected ? '✓' : ''}
            </span>
            Active: guests can use it
          </>
        )}
      </Checkbox>
      {error && Object.keys(errors).length === 0 ? (
        <Alert>
          <p>{errorMessage(error)}</p>
        </Alert>
      ) : null}
      <Button type="submit" wide isPending={saving}>
        {promo ? 'Save changes' : 'Create code'}
      </Button>
    </form>
  );
}
