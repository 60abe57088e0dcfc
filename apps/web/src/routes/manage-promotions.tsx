import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute } from '@tanstack/react-router';
import { PageTitle } from '../components/Layout';
import type { StaffLocation } from '../components/StaffGate';
import { Console } from '../manage/Console';
import { Alert, Button, Loading, ModalDialog } from '../components/ui';
import { PromoForm, type Promo } from '../manage/PromoForm';
import { percentText } from '../lib/amount';
import { formatPrice } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from '../manage/tables.module.css';

export const Route = createLazyRoute('/manage/promotions')({ component: PromotionsPage });

/** The manager's discount codes: the list with their uses, and a form to create or edit one (switching it on or off too). */
function PromotionsPage() {
  return <Console>{({ location }) => <Promotions key={location.id} location={location} />}</Console>;
}

function Promotions({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const promos = useQuery(trpc.promos.list.queryOptions({ locationId: location.id }));
  const [editing, setEditing] = useState<Promo | 'new' | null>(null);

  return (
    <section>
      <PageTitle title={`Promotions · ${location.name}`}>Promotions</PageTitle>
      <div className={styles.toolbar}>
        <Button onPress={() => setEditing('new')}>New code</Button>
      </div>
      {promos.isPending ? <Loading label="Loading discount codes…" /> : null}
      {promos.isError ? <Alert>{errorMessage(promos.error)}</Alert> : null}
      {promos.data && promos.data.length === 0 ? <p className={styles.empty}>No discount codes yet at {location.name}.</p> : null}
      {promos.data && promos.data.length > 0 ? (
        <div className={styles.scroller} role="region" aria-labelledby="promos-caption" tabIndex={0}>
          <table className={styles.table}>
            <caption id="promos-caption">Discount codes at {location.name}</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Discount</th>
                <th scope="col">Valid</th>
                <th scope="col" className={styles.number}>
                  Uses
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {promos.data.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <span className={styles.code}>{p.code}</span>
                    <br />
                    <span className={p.active ? styles.on : styles.off}>{p.active ? 'Active' : 'Off'}</span>
                    {p.locationId === null ? (
                      <>
                        <br />
                        <span className={styles.off}>Every location</span>
                      </>
                    ) : null}
                  </th>
                  <td>
                    {p.kind === 'percent' ? `${percentText(p.percentBp ?? 0)} %` : formatPrice(p.amountMinor ?? 0, p.currency ?? location.currency)} off
                    {p.minSubtotalMinor > 0 ? (
                      <>
                        <br />
                        <span className={styles.off}>from {formatPrice(p.minSubtotalMinor, p.currency ?? location.currency)}</span>
                      </>
                    ) : null}
                  </td>
                  <td className={styles.dates}>{validity(p)}</td>
                  <td className={styles.number}>
                    {p.uses}
                    {p.maxUses !== null ? ` of ${p.maxUses}` : ''}
                    {p.maxUsesPerCustomer !== null ? (
                      <>
                        <br />
                        <span className={styles.off}>{p.maxUsesPerCustomer} per customer</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {/* Codes for every location are an admin's to change; managers see them here because they apply here. */}
                    {p.locationId !== null || location.role === 'admin' ? (
                      <Button variant="secondary" aria-label={`Edit ${p.code}`} onPress={() => setEditing(p)}>
                        Edit
                      </Button>
                    ) : (
                      <span className={styles.off}>Set by an admin</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className={styles.hint}>Dates are days in {location.name}’s time zone ({location.timeZone}), first and last day included.</p>
      <ModalDialog
        isOpen={editing !== null}
        onOpenChange={(open) => {
          if (!open) setEditing(null);
        }}
        title={editing === 'new' ? 'New discount code' : editing ? `Edit ${editing.code}` : ''}
      >
        {editing !== null ? <PromoForm key={editing === 'new' ? 'new' : editing.id} location={location} promo={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      </ModalDialog>
    </section>
  );
}

/** The validity, each date kept on one line. */
function validity(p: Promo): ReactNode {
  const day = (date: string) => <span className={styles.nowrap}>{date}</span>;
  if (p.validFrom && p.validTo) {
    if (p.validFrom === p.validTo) return day(p.validFrom);
    return (
      <>
        {day(p.validFrom)} to {day(p.validTo)}
      </>
    );
  }
  if (p.validFrom) return <>from {day(p.validFrom)}</>;
  if (p.validTo) return <>until {day(p.validTo)}</>;
  return 'always';
}
