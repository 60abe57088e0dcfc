import type { ReactNode } from 'react';
import styles from './manage.module.css';

export interface ConsoleListProps<T> {
  /** The heading of the section, and of its first column (what each row is: "Ingredient", "Station"). */
  title: string;
  /** The id the section's heading carries (the section is labelled by it). */
  headingId: string;
  /** What the section's head offers beside its title (an "Add" button), if anything. */
  headAction?: ReactNode;
  /** Said under the title, before the table. */
  intro?: ReactNode;
  /** Said instead of the table when there are no rows. */
  empty?: ReactNode;
  /** Said above the table (a refusal of the last change). */
  notice?: ReactNode;
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** The first column's heading, and each row's header cell. */
  what: string;
  rowHeader: (row: T) => ReactNode;
  /** Further columns, each a heading and a cell. */
  columns?: readonly { heading: string; cell: (row: T) => ReactNode }[];
  /** The row's buttons, in the last column ("Actions"). */
  actions: (row: T) => ReactNode;
}

/**
 * The console's list of one kind of thing (ingredients, stations): a titled section with a table
 * whose rows are headed by the thing's name, a column per fact, and the row's actions last.
 */
export function ConsoleList<T>({ title, headingId, headAction, intro, empty, notice, rows, rowKey, what, rowHeader, columns = [], actions }: ConsoleListProps<T>) {
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      {headAction ? (
        <div className={styles.sectionHead}>
          <h2 id={headingId}>{title}</h2>
          {headAction}
        </div>
      ) : (
        <h2 id={headingId}>{title}</h2>
      )}
      {intro}
      {rows.length === 0 && empty ? empty : null}
      {notice}
      {rows.length > 0 || !empty ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{what}</th>
                {columns.map((column) => (
                  <th key={column.heading} scope="col">
                    {column.heading}
                  </th>
                ))}
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  <th scope="row">{rowHeader(row)}</th>
                  {columns.map((column) => (
                    <td key={column.heading}>{column.cell(row)}</td>
                  ))}
                  <td>
                    <div className={styles.actions}>{actions(row)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
