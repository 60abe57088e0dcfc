import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RouterOutputs } from '@bistro/client';
import styles from './tables.module.css';

/*
 * The reports page's charts (issue 16), drawn with Recharts (SVG, React 19). Only the console's
 * reports route imports this module, so the library sits in that lazily loaded chunk and the
 * guest's pages never download it. A chart is for the eye: each one has a visible title, a text
 * alternative that points to its table, and the very same figures in a table beside it; series
 * differ by pattern as well as colour and are named in a legend.
 */

type Kitchen = RouterOutputs['reports']['kitchen'];
type KitchenRow = Kitchen['byHour'][number] | Kitchen['byStation'][number];

const WINE = '#7a1f2b';
const OLIVE = '#3f5b2a';
const INK = '#5c524b';
const CHART_HEIGHT = 240;

/** A titled figure: the chart (an image to assistive technology, its text naming the table) and the table with its figures. */
export function ChartFigure({ id, title, children, table }: { id: string; title: string; children: ReactNode; table: ReactNode }) {
  return (
    <figure className={styles.chart} aria-labelledby={id}>
      <figcaption id={id} className={styles.chartTitle}>
        {title}
      </figcaption>
      <div role="img" aria-label={`${title}: chart. The same figures are in the table below it.`} className={styles.chartBox} style={{ height: CHART_HEIGHT }}>
        {children}
      </div>
      {table}
    </figure>
  );
}

/** Gross sales of each row of the sales report (a day, hour, weekday, item, category or order type), as bars. */
export function SalesChart({ rows, money }: { rows: { key: string; label: string; grossMinor: number }[]; money: (minor: number) => string }) {
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <BarChart data={rows} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
        <CartesianGrid stroke="#e4dbd1" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: INK, fontSize: 12 }} interval="preserveStartEnd" />
        <YAxis tickFormatter={(v: number) => money(v)} tick={{ fill: INK, fontSize: 12 }} width={80} />
        <Tooltip formatter={(v) => money(Number(v))} />
        <Bar dataKey="grossMinor" name="Gross" fill={WINE} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/**
 * Prep times of the kitchen report's rows (by hour or by station) in minutes: the median as
 * solid bars, the 90th percentile as striped ones, and the location's prep time as a line.
 */
export function PrepTimesChart({ rows, label, prepMinutes }: { rows: KitchenRow[]; label: (row: KitchenRow) => string; prepMinutes: number }) {
  const data = rows.map((r) => ({ label: label(r), median: minutes(r.medianSeconds), p90: minutes(r.p90Seconds) }));
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <BarChart data={data} accessibilityLayer={false} margin={{ top: 16, right: 8, bottom: 8, left: 8 }}>
        <defs>
          <pattern id="p90-stripes" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#eaf1e3" />
            <rect width="3" height="6" fill={OLIVE} />
          </pattern>
        </defs>
        <CartesianGrid stroke="#e4dbd1" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: INK, fontSize: 12 }} />
        <YAxis unit=" min" tick={{ fill: INK, fontSize: 12 }} width={64} allowDecimals={false} />
        <Tooltip formatter={(v) => `${Number(v)} min`} />
        <Legend itemSorter={null} />
        <ReferenceLine y={prepMinutes} ifOverflow="extendDomain" stroke={INK} strokeDasharray="4 4" label={{ value: `Prep time ${prepMinutes} min`, position: 'insideTopRight', fill: INK, fontSize: 12 }} />
        <Bar dataKey="median" name="Median" fill={WINE} isAnimationActive={false} />
        <Bar dataKey="p90" name="90th percentile" fill="url(#p90-stripes)" stroke={OLIVE} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The kitchen's figures by hour or by station: a row each, with its tickets, median, p90 and tickets over the prep time. */
export function PrepTimesTable({ caption, head, rows, label, prepMinutes }: { caption: string; head: string; rows: KitchenRow[]; label: (row: KitchenRow) => string; prepMinutes: number }) {
  const id = `${caption.replace(/\W+/g, '-').toLowerCase()}-table`;
  return (
    <div className={styles.scroller} role="region" aria-labelledby={id} tabIndex={0}>
      <table className={styles.table}>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" className={styles.number}>
              Tickets
            </th>
            <th scope="col" className={styles.number}>
              Median
            </th>
            <th scope="col" className={styles.number}>
              90th percentile
            </th>
            <th scope="col" className={styles.number}>
              Over {prepMinutes} min
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={label(r)}>
              <th scope="row">{label(r)}</th>
              <td className={styles.number}>{r.tickets}</td>
              <td className={styles.number}>{duration(r.medianSeconds)}</td>
              <td className={styles.number}>{duration(r.p90Seconds)}</td>
              <td className={styles.number}>{r.overPrepTime}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A local hour of the day as the kitchen report keys it (0–23): "13:00". */
export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** Seconds as "4 min 30 s" ("—" when there were no tickets). */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function minutes(seconds: number | null): number | null {
  return seconds === null ? null : Math.round((seconds / 60) * 10) / 10;
}
