import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createLazyRoute } from '@tanstack/react-router';
import type { RouterOutputs } from '@bistro/client';
import { localDate, salesReportInput, SALES_GROUPINGS, type SalesGrouping } from '@bistro/domain';
import { PageTitle } from '../components/Layout';
import type { StaffLocation } from '../components/StaffGate';
import { Console } from '../manage/Console';
import { Alert, Loading, TextField } from '../components/ui';
import { now } from '../lib/clock';
import { formatPrice } from '../lib/format';
import { addDays } from '../lib/hours';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { ChartFigure, duration, hourLabel, PrepTimesChart, PrepTimesTable, SalesChart } from '../manage/ReportCharts';
import styles from '../manage/tables.module.css';

export const Route = createLazyRoute('/manage/reports')({ component: ReportsPage });

type Sales = RouterOutputs['reports']['sales'];
type Figures = Sales['totals'];

const GROUP_NAMES = {
  day: 'Day',
  hour: 'Hour',
  weekday: 'Weekday',
  item: 'Item',
  category: 'Category',
  orderType: 'Order type',
} as const satisfies Record<SalesGrouping, string>;

/**
 * What sold and how fast the kitchen was, at one location over a range of its own calendar
 * days (issue 16): the sales figures (orders, gross, discounts, refunds, net, tax, tips) split
 * by day, hour, weekday, item, category or order type, the kitchen's prep times and rejects,
 * best and worst sellers, and each report as a CSV download.
 */
function ReportsPage() {
  return <Console>{({ location }) => <Reports key={location.id} location={location} />}</Console>;
}

function Reports({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const today = localDate(location.timeZone, now());
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [groupBy, setGroupBy] = useState<SalesGrouping>('hour');

  // The same schema the server checks with: a range that ends before it starts is named on its field, not asked.
  const checked = salesReportInput.safeParse({ locationId: location.id, from, to, groupBy });
  const errors: Partial<Record<string, string[]>> = {};
  if (!checked.success) for (const issue of checked.error.issues) (errors[issue.path.join('.')] ??= []).push(issue.message);
  const range = { locationId: location.id, from, to };
  const enabled = checked.success;
  const overview = useQuery(trpc.reports.overview.queryOptions({ locationId: location.id }));
  const sales = useQuery({ ...trpc.reports.sales.queryOptions({ ...range, groupBy }), enabled, placeholderData: keepPreviousData });
  const kitchen = useQuery({ ...trpc.reports.kitchen.queryOptions(range), enabled, placeholderData: keepPreviousData });
  const items = useQuery({ ...trpc.reports.items.queryOptions({ ...range, limit: 5 }), enabled, placeholderData: keepPreviousData });
  const currency = location.currency;
  const money = (minor: number) => formatPrice(minor, currency);

  const pickRange = (first: string, last: string) => {
    setFrom(first);
    setTo(last);
  };

  const csv = (report: 'sales' | 'kitchen' | 'items' | 'orders') => {
    const query = new URLSearchParams({ locationId: location.id, from, to, ...(report === 'sales' ? { groupBy } : {}) });
    return `/reports/${report}.csv?${query.toString()}`;
  };

  return (
    <section>
      <PageTitle title={`Reports · ${location.name}`}>Reports</PageTitle>

      {overview.data ? (
        <section aria-labelledby="today-heading" className={styles.panel}>
          <h2 id="today-heading" className={styles.panelTitle}>
            Today so far
          </h2>
          <dl className={styles.figures}>
            <div>
              <dt>Orders</dt>
              <dd>{overview.data.todaySoFar.orders}</dd>
            </div>
            <div>
              <dt>Net sales</dt>
              <dd>{money(overview.data.todaySoFar.netMinor)}</dd>
            </div>
            <div>
              <dt>Same time last {weekday(overview.data.lastWeekDay)}</dt>
              <dd>{money(overview.data.lastWeekSoFar.netMinor)}</dd>
            </div>
            <div>
              <dt>Open tickets</dt>
              <dd>{overview.data.openTickets}</dd>
            </div>
          </dl>
        </section>
      ) : null}

      <section aria-labelledby="range-heading" className={styles.panel}>
        <h2 id="range-heading" className={styles.panelTitle}>
          Range
        </h2>
        <p className={styles.hint}>
          Days in {location.name}’s time zone ({location.timeZone}), first and last included.
        </p>
        <div className={styles.formGrid}>
          <TextField label="From" name="from" type="date" value={from} onChange={setFrom} isRequired errors={errors.from} />
          <TextField label="To" name="to" type="date" value={to} onChange={setTo} isRequired errors={errors.to} />
        </div>
        <div className={styles.rowActions}>
          <QuickRange label="Today" onPick={() => pickRange(today, today)} />
          <QuickRange label="Last 7 days" onPick={() => pickRange(addDays(today, -6), today)} />
          <QuickRange label="Last 30 days" onPick={() => pickRange(addDays(today, -29), today)} />
        </div>
      </section>

      <section aria-labelledby="sales-heading" className={styles.panel}>
        <h2 id="sales-heading" className={styles.panelTitle}>
          Sales
        </h2>
        {sales.isError ? <Alert>{errorMessage(sales.error)}</Alert> : null}
        {sales.isPending && enabled ? <Loading label="Adding up the sales…" /> : null}
        {sales.data ? (
          <>
            <FiguresList figures={sales.data.totals} money={money} />
            <div className={styles.picker}>
              <label htmlFor="group-by" className={styles.pickerLabel}>
                Split by
              </label>
              <select id="group-by" className={styles.select} value={groupBy} onChange={(e) => setGroupBy(e.target.value as SalesGrouping)}>
                {SALES_GROUPINGS.map((g) => (
                  <option key={g} value={g}>
                    {GROUP_NAMES[g]}
                  </option>
                ))}
              </select>
            </div>
            <SalesTable sales={sales.data} money={money} />
          </>
        ) : null}
      </section>

      <section aria-labelledby="kitchen-heading" className={styles.panel}>
        <h2 id="kitchen-heading" className={styles.panelTitle}>
          Kitchen
        </h2>
        {kitchen.isError ? <Alert>{errorMessage(kitchen.error)}</Alert> : null}
        {kitchen.data ? (
          <>
            <dl className={styles.figures}>
              <div>
                <dt>Tickets ready</dt>
                <dd>{kitchen.data.overall.tickets}</dd>
              </div>
              <div>
                <dt>Median prep</dt>
                <dd>{duration(kitchen.data.overall.medianSeconds)}</dd>
              </div>
              <div>
                <dt>90th percentile</dt>
                <dd>{duration(kitchen.data.overall.p90Seconds)}</dd>
              </div>
              <div>
                <dt>Over {kitchen.data.prepMinutes} min</dt>
                <dd>{kitchen.data.overall.overPrepTime}</dd>
              </div>
              <div>
                <dt>Rejected</dt>
                <dd>{kitchen.data.rejects.total}</dd>
              </div>
            </dl>
            {kitchen.data.rejects.reasons.length > 0 ? (
              <ul>
                {kitchen.data.rejects.reasons.map((r) => (
                  <li key={r.reason}>
                    {r.reason}: {r.count}
                  </li>
                ))}
              </ul>
            ) : null}
            <KitchenFigures kitchen={kitchen.data} />
          </>
        ) : null}
      </section>

      <section aria-labelledby="items-heading" className={styles.panel}>
        <h2 id="items-heading" className={styles.panelTitle}>
          Items
        </h2>
        {items.isError ? <Alert>{errorMessage(items.error)}</Alert> : null}
        {items.data ? (
          <div className={styles.formGrid}>
            <ItemsTable caption="Best sellers" id="best-caption" rows={items.data.best} money={money} />
            <ItemsTable caption="Slowest sellers" id="worst-caption" rows={items.data.worst} money={money} />
          </div>
        ) : null}
      </section>

      <section aria-labelledby="downloads-heading" className={styles.panel}>
        <h2 id="downloads-heading" className={styles.panelTitle}>
          Downloads
        </h2>
        {enabled ? (
          <ul className={styles.downloads}>
            <li>
              <a href={csv('sales')} download>
                Sales by {GROUP_NAMES[groupBy].toLowerCase()} (CSV)
              </a>
            </li>
            <li>
              <a href={csv('orders')} download>
                Every order (CSV)
              </a>
            </li>
            <li>
              <a href={csv('kitchen')} download>
                Kitchen times (CSV)
              </a>
            </li>
            <li>
              <a href={csv('items')} download>
                Items (CSV)
              </a>
            </li>
          </ul>
        ) : (
          <p className={styles.hint}>Choose a valid range to download it.</p>
        )}
      </section>
    </section>
  );
}

function QuickRange({ label, onPick }: { label: string; onPick: () => void }) {
  return (
    <button type="button" className={styles.choice} onClick={onPick}>
      {label}
    </button>
  );
}

function FiguresList({ figures, money }: { figures: Figures; money: (minor: number) => string }) {
  return (
    <dl className={styles.figures}>
      <div>
        <dt>Orders</dt>
        <dd>{figures.orders}</dd>
      </div>
      <div>
        <dt>Gross</dt>
        <dd>{money(figures.grossMinor)}</dd>
      </div>
      <div>
        <dt>Discounts</dt>
        <dd>{money(figures.discountMinor)}</dd>
      </div>
      <div>
        <dt>Refunds</dt>
        <dd>{money(figures.refundMinor)}</dd>
      </div>
      <div>
        <dt>Net</dt>
        <dd>{money(figures.netMinor)}</dd>
      </div>
      <div>
        <dt>Tax</dt>
        <dd>{money(figures.taxMinor)}</dd>
      </div>
      <div>
        <dt>Tips</dt>
        <dd>{money(figures.tipMinor)}</dd>
      </div>
    </dl>
  );
}

function SalesTable({ sales, money }: { sales: Sales; money: (minor: number) => string }) {
  const byLine = sales.groupBy === 'item' || sales.groupBy === 'category';
  const caption = `Sales by ${GROUP_NAMES[sales.groupBy].toLowerCase()}, ${sales.from === sales.to ? sales.from : `${sales.from} to ${sales.to}`}`;
  if (sales.rows.length === 0) return <p className={styles.empty}>No sales in this range.</p>;
  return (
    <ChartFigure
      id="sales-chart-title"
      title={`Gross ${caption.charAt(0).toLowerCase()}${caption.slice(1)}`}
      table={
    <div className={styles.scroller} role="region" aria-labelledby="sales-caption" tabIndex={0}>
      <table className={styles.table}>
        <caption id="sales-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{GROUP_NAMES[sales.groupBy]}</th>
            <th scope="col" className={styles.number}>
              Orders
            </th>
            {byLine ? (
              <th scope="col" className={styles.number}>
                Sold
              </th>
            ) : null}
            <th scope="col" className={styles.number}>
              Gross
            </th>
            {byLine ? null : (
              <>
                <th scope="col" className={styles.number}>
                  Discounts
                </th>
                <th scope="col" className={styles.number}>
                  Refunds
                </th>
                <th scope="col" className={styles.number}>
                  Net
                </th>
                <th scope="col" className={styles.number}>
                  Tax
                </th>
                <th scope="col" className={styles.number}>
                  Tips
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {sales.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{rowLabel(sales.groupBy, r.label)}</th>
              <td className={styles.number}>{r.orders}</td>
              {'quantity' in r ? <td className={styles.number}>{r.quantity}</td> : null}
              <td className={styles.number}>{money(r.grossMinor)}</td>
              {r.netMinor === null ? null : (
                <>
                  <td className={styles.number}>{money(r.discountMinor ?? 0)}</td>
                  <td className={styles.number}>{money(r.refundMinor ?? 0)}</td>
                  <td className={styles.number}>{money(r.netMinor)}</td>
                  <td className={styles.number}>{money(r.taxMinor ?? 0)}</td>
                  <td className={styles.number}>{money(r.tipMinor ?? 0)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
      }
    >
      <SalesChart rows={sales.rows.map((r) => ({ key: r.key, label: rowLabel(sales.groupBy, r.label), grossMinor: r.grossMinor }))} money={money} />
    </ChartFigure>
  );
}

/** The kitchen's prep times by the local hour tickets were placed in, and by station when the location has stations: a chart and a table each. */
function KitchenFigures({ kitchen }: { kitchen: RouterOutputs['reports']['kitchen'] }) {
  if (kitchen.byHour.length === 0) return <p className={styles.empty}>No tickets made ready in this range.</p>;
  const byHour = (r: RouterOutputs['reports']['kitchen']['byHour'][number] | RouterOutputs['reports']['kitchen']['byStation'][number]) => ('hour' in r ? hourLabel(r.hour) : r.station);
  return (
    <>
      <ChartFigure
        id="kitchen-hour-title"
        title="Prep times by hour placed"
        table={<PrepTimesTable caption="Kitchen by hour" head="Hour" rows={kitchen.byHour} label={byHour} prepMinutes={kitchen.prepMinutes} />}
      >
        <PrepTimesChart rows={kitchen.byHour} label={byHour} prepMinutes={kitchen.prepMinutes} />
      </ChartFigure>
      {kitchen.byStation.length > 0 ? (
        <ChartFigure
          id="kitchen-station-title"
          title="Prep times by station"
          table={<PrepTimesTable caption="Kitchen by station" head="Station" rows={kitchen.byStation} label={byHour} prepMinutes={kitchen.prepMinutes} />}
        >
          <PrepTimesChart rows={kitchen.byStation} label={byHour} prepMinutes={kitchen.prepMinutes} />
        </ChartFigure>
      ) : null}
    </>
  );
}

function ItemsTable({ caption, id, rows, money }: { caption: string; id: string; rows: RouterOutputs['reports']['items']['best']; money: (minor: number) => string }) {
  return (
    <div className={styles.scroller} role="region" aria-labelledby={id} tabIndex={0}>
      <table className={styles.table}>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className={styles.number}>
              Sold
            </th>
            <th scope="col" className={styles.number}>
              Gross
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={3} className={styles.empty}>
                Nothing sold in this range.
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.itemId}>
                <th scope="row">{r.name}</th>
                <td className={styles.number}>{r.quantity}</td>
                <td className={styles.number}>{money(r.grossMinor)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** An hour's key is its local start with the offset ("2026-12-01T13:00-05:00"): shown as "2026-12-01 13:00". */
function rowLabel(groupBy: SalesGrouping, label: string): string {
  if (groupBy === 'hour') return label.slice(0, 16).replace('T', ' ');
  return label;
}

function weekday(date: string): string {
  return new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}
