import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouterOutputs } from '@bistro/client';
import { bistroErrorCode } from '@bistro/client';
import { clockToMinute, locationUpdateInput, WEEKDAY_NAMES, type OpeningHoursRange } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, Loading, TextField } from '../components/ui';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { check, serverErrors, type Errors } from './forms';
import { StaleDialog } from './StaleDialog';
import styles from './manage.module.css';

type Details = RouterOutputs['locations']['get'];

interface Form {
  name: string;
  address: string;
  taxPercent: string;
  prepMinutes: string;
  slotCapacity: string;
  orderPrefix: string;
  acceptingOrders: boolean;
  openingHours: OpeningHoursRange[];
  closures: { date: string; reason: string }[];
}

function formOf(d: Details): Form {
  return {
    name: d.name,
    address: d.address,
    taxPercent: `${Math.floor(d.taxRateBp / 100)}${d.taxRateBp % 100 ? `.${String(d.taxRateBp % 100).padStart(2, '0').replace(/0$/, '')}` : ''}`,
    prepMinutes: String(d.prepMinutes),
    slotCapacity: String(d.slotCapacity),
    orderPrefix: d.orderPrefix,
    acceptingOrders: d.acceptingOrders,
    openingHours: d.openingHours.map((h) => ({ weekday: h.weekday, opens: h.opens, closes: h.closes })),
    closures: d.closures.map((c) => ({ date: c.date, reason: c.reason })),
  };
}

/** "20" or "5.5" percent as basis points (2000, 550); null when it is not a plain percentage. */
function percentToBp(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** The location's settings: details, tax, ordering, opening hours (several ranges a day, past midnight) and closures. */
export function Settings({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const details = useQuery(trpc.locations.get.queryOptions({ locationId: location.id }));
  if (details.isPending) return <Loading label="Loading the settings…" />;
  if (details.isError) return <Alert>{errorMessage(details.error)}</Alert>;
  return <SettingsForm details={details.data} />;
}

function SettingsForm({ details }: { details: Details }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(details));
  const [version, setVersion] = useState(details.version);
  const [errors, setErrors] = useState<Errors>({});
  const [saved, setSaved] = useState(false);
  const [stale, setStale] = useState(false);
  const set = <K extends keyof Form>(field: K) => (value: Form[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [field]: value }));
  };
  const update = useMutation(
    trpc.locations.update.mutationOptions({
      onSuccess: async (after) => {
        setVersion(after.version);
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.locations.pathKey() });
      },
      onError: (error) => {
        if (bistroErrorCode(error) === 'STALE_VERSION') setStale(true);
        else setErrors(serverErrors(error));
      },
    }),
  );
  const submit = () => {
    const taxRateBp = percentToBp(form.taxPercent);
    const input = {
      locationId: details.id,
      version,
      name: form.name.trim(),
      address: form.address.trim(),
      taxRateBp: taxRateBp ?? -1,
      prepMinutes: Number(form.prepMinutes),
      slotCapacity: Number(form.slotCapacity),
      orderPrefix: form.orderPrefix.trim(),
      acceptingOrders: form.acceptingOrders,
      openingHours: form.openingHours,
      closures: form.closures.map((c) => ({ date: c.date, reason: c.reason.trim() })),
    };
    const found = check(locationUpdateInput, input);
    if (taxRateBp === null) found.taxRateBp = ['Enter a percentage like 20 or 5.5'];
    setErrors(found);
    setSaved(false);
    if (Object.keys(found).length === 0) update.mutate(input);
  };
  const setRange = (index: number, change: Partial<OpeningHoursRange>) =>
    set('openingHours')(form.openingHours.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const setClosure = (index: number, change: Partial<{ date: string; reason: string }>) =>
    set('closures')(form.closures.map((c, i) => (i === index ? { ...c, ...change } : c)));

  return (
    <form
      noValidate
      aria-label="Location settings"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <section className={styles.section} aria-labelledby="details">
        <h2 id="details">Details</h2>
        <TextField label="Name" name="name" value={form.name} onChange={set('name')} isRequired errors={errors.name} />
        <TextField label="Address" name="address" value={form.address} onChange={set('address')} multiline errors={errors.address} />
        <p className={styles.muted}>
          Time zone {details.timeZone} · prices in {details.currency}
        </p>
      </section>
      <section className={styles.section} aria-labelledby="ordering">
        <h2 id="ordering">Ordering</h2>
        <label className={styles.check}>
          <input type="checkbox" checked={form.acceptingOrders} onChange={(event) => set('acceptingOrders')(event.target.checked)} />
          Taking orders
        </label>
        <div className={styles.grid}>
          <TextField label="Tax rate (%)" name="tax" inputMode="decimal" value={form.taxPercent} onChange={set('taxPercent')} isRequired errors={errors.taxRateBp} />
          <TextField label="Prep time (minutes)" name="prep" inputMode="numeric" value={form.prepMinutes} onChange={set('prepMinutes')} isRequired errors={errors.prepMinutes} />
          <TextField
            label="Orders per 15-minute slot"
            name="capacity"
            inputMode="numeric"
            value={form.slotCapacity}
            onChange={set('slotCapacity')}
            isRequired
            errors={errors.slotCapacity}
          />
          <TextField label="Order number prefix" name="prefix" value={form.orderPrefix} onChange={set('orderPrefix')} isRequired description="“A” gives #A-042" errors={errors.orderPrefix} />
        </div>
      </section>
      <section className={styles.section} aria-labelledby="hours">
        <h2 id="hours">Opening hours</h2>
        <p className={styles.muted}>Several ranges a day are fine. A range that closes at or before it opens closes after midnight (18:00–02:00).</p>
        {WEEKDAY_NAMES.map((day, d) => {
          const weekday = d + 1;
          const ranges = form.openingHours.map((r, index) => ({ r, index })).filter(({ r }) => r.weekday === weekday);
          return (
            <fieldset key={day} className={styles.checks}>
              <legend>{day}</legend>
              {ranges.length === 0 ? <p className={styles.muted}>Closed</p> : null}
              {ranges.map(({ r, index }, n) => (
                <div key={index} className={styles.actions}>
                  <label className={styles.check}>
                    Opens
                    <input className={styles.select} type="time" aria-label={`${day} range ${n + 1} opens`} value={r.opens} onChange={(event) => setRange(index, { opens: event.target.value })} />
                  </label>
                  <label className={styles.check}>
                    Closes
                    <input className={styles.select} type="time" aria-label={`${day} range ${n + 1} closes`} value={r.closes} onChange={(event) => setRange(index, { closes: event.target.value })} />
                  </label>
                  {r.closes && r.opens && clockToMinute(r.closes) <= clockToMinute(r.opens) ? <span className={styles.muted}>(after midnight)</span> : null}
                  <Button variant="quiet" aria-label={`Remove ${day} range ${n + 1}`} onPress={() => set('openingHours')(form.openingHours.filter((_, i) => i !== index))}>
                    Remove
                  </Button>
                  {errors[`openingHours.${index}`] ?? errors[`openingHours.${index}.opens`] ?? errors[`openingHours.${index}.closes`] ? (
                    <span className={styles.fieldError} role="alert">
                      {[...(errors[`openingHours.${index}`] ?? []), ...(errors[`openingHours.${index}.opens`] ?? []), ...(errors[`openingHours.${index}.closes`] ?? [])].join(' ')}
                    </span>
                  ) : null}
                </div>
              ))}
              <Button variant="secondary" aria-label={`Add hours on ${day}`} onPress={() => set('openingHours')([...form.openingHours, { weekday, opens: '12:00', closes: '15:00' }])}>
                Add hours
              </Button>
            </fieldset>
          );
        })}
      </section>
      <section className={styles.section} aria-labelledby="closures">
        <h2 id="closures">Closed days</h2>
        {form.closures.length === 0 ? <p className={styles.muted}>No closures planned.</p> : null}
        {form.closures.map((c, i) => (
          <div key={i} className={styles.actions}>
            <label className={styles.check}>
              Date
              <input className={styles.select} type="date" aria-label={`Closure ${i + 1} date`} value={c.date} onChange={(event) => setClosure(i, { date: event.target.value })} />
            </label>
            <TextField label={`Closure ${i + 1} reason`} name={`closure-${i}`} value={c.reason} onChange={(v) => setClosure(i, { reason: v })} errors={errors[`closures.${i}.reason`]} />
            <Button variant="quiet" aria-label={`Remove closure ${i + 1}`} onPress={() => set('closures')(form.closures.filter((_, j) => j !== i))}>
              Remove
            </Button>
            {errors[`closures.${i}.date`] ? (
              <span className={styles.fieldError} role="alert">
                {errors[`closures.${i}.date`]!.join(' ')}
              </span>
            ) : null}
          </div>
        ))}
        <Button variant="secondary" onPress={() => set('closures')([...form.closures, { date: '', reason: '' }])}>
          Add a closed day
        </Button>
      </section>
      {update.isError && Object.keys(errors).length === 0 && bistroErrorCode(update.error) !== 'STALE_VERSION' ? <Alert>{errorMessage(update.error)}</Alert> : null}
      {Object.keys(errors).length > 0 ? <Alert>Some settings need another look (marked above).</Alert> : null}
      {saved ? <Alert tone="info">Settings saved.</Alert> : null}
      <Button type="submit" isPending={update.isPending}>
        Save settings
      </Button>
      <StaleDialog
        isOpen={stale}
        what="these settings"
        onReload={() => {
          setStale(false);
          void queryClient.fetchQuery({ ...trpc.locations.get.queryOptions({ locationId: details.id }), staleTime: 0 }).then((theirs) => {
            setForm(formOf(theirs));
            setVersion(theirs.version);
            setErrors({});
          });
        }}
      />
    </form>
  );
}
