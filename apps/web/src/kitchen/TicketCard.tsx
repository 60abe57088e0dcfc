import { Button as AriaButton } from 'react-aria-components';
import { formatTime } from '../lib/format';
import { ageMinutes, urgency, type Ticket } from './tickets';
import styles from './kitchen.module.css';

const TYPE: Record<Ticket['type'], string> = { pickup: 'Pickup', dine_in: 'Dine in', delivery: 'Delivery' };
const URGENCY_TEXT = { on_time: null, due_soon: 'Due soon', late: 'Late' } as const;

export interface TicketCardProps {
  ticket: Ticket;
  /** Its number key on the bump bar (1–9), counted over the whole board. */
  position: number;
  bumpLabel: string;
  selected: boolean;
  expo: boolean;
  urgencyAt: Date;
  prepMinutes: number;
  timeZone: string;
  onBump: () => void;
  onReject: () => void;
  /**
   * On a station's screen: this station's "done" on the ticket (a toggle, while the order is being
   * cooked); null elsewhere.
   */
  stationDone: { done: boolean; onToggle: () => void } | null;
}

/**
 * One ticket: number, order type, table or pickup name, wanted-at, the lines with their options
 * and notes (and in expo, each line's station and which stations are done, in words), its age
 * against the prep time (the colour is repeated in words), a big bump button and a reject button;
 * on a station's screen, the station's "done" toggle.
 */
export function TicketCard({ ticket, position, bumpLabel, selected, expo, urgencyAt, prepMinutes, timeZone, onBump, onReject, stationDone }: TicketCardProps) {
  const level = urgency(ticket, prepMinutes, urgencyAt);
  const age = ageMinutes(ticket, urgencyAt);
  const who = ticket.type === 'dine_in' ? (ticket.table ? `Table ${ticket.table}` : 'Dine in') : ticket.guestFirstName;
  const headingId = `ticket-${ticket.orderId}`;
  return (
    <article aria-labelledby={headingId} className={`${styles.ticket} ${styles[level]} ${selected ? styles.selected : ''}`} data-ticket={ticket.orderId}>
      <header className={styles.ticketHeader}>
        <h3 id={headingId} className={styles.number}>
          {position <= 9 ? (
            <span className={styles.key} aria-hidden="true">
              {position}
            </span>
          ) : null}
          {ticket.number}
        </h3>
        <p className={styles.age}>
          <span className={styles.ageMinutes}>{age} min</span>
          {URGENCY_TEXT[level] ? <span className={styles.urgency}>{URGENCY_TEXT[level]}</span> : null}
        </p>
      </header>
      <p className={styles.meta}>
        <strong>{TYPE[ticket.type]}</strong> · {who} · {ticket.wantedAt ? `for ${formatTime(ticket.wantedAt, timeZone)}` : 'ASAP'}
      </p>
      <ul className={styles.lines}>
        {ticket.lines.map((line, i) => (
          <li key={i} className={styles.line}>
            <span className={styles.qty}>{line.quantity} ×</span> <span className={styles.lineName}>{line.name}</span>
            {expo && line.station ? <span className={styles.station}>{line.station.name}</span> : null}
            {line.options.length > 0 ? (
              <ul className={styles.options}>
                {line.options.map((option, j) => (
                  <li key={j}>{option.groupName ? `${option.groupName}: ${option.name}` : option.name}</li>
                ))}
              </ul>
            ) : null}
            {line.note ? <p className={styles.note}>Note: {line.note}</p> : null}
          </li>
        ))}
      </ul>
      {expo && ticket.stations.length > 0 ? (
        <ul className={styles.stationsDone} aria-label={`Stations of ${ticket.number}`}>
          {ticket.stations.map((station) => (
            <li key={station.id} className={station.done ? styles.stationIsDone : styles.stationCooking}>
              <span aria-hidden="true">{station.done ? '✓ ' : '… '}</span>
              {station.name}: {station.done ? 'done' : 'cooking'}
            </li>
          ))}
        </ul>
      ) : null}
      {stationDone ? (
        <AriaButton className={styles.done} aria-pressed={stationDone.done} onPress={stationDone.onToggle} data-done={ticket.orderId}>
          <span aria-hidden="true">{stationDone.done ? '✓ ' : ''}</span>
          Done<span className="visually-hidden"> {ticket.number}</span>
        </AriaButton>
      ) : null}
      <div className={styles.actions}>
        <AriaButton className={`${styles.bump} ${styles[`bump_${ticket.status}`] ?? ''}`} onPress={onBump} data-bump={ticket.orderId}>
          {bumpLabel}
          <span className="visually-hidden"> {ticket.number}</span>
        </AriaButton>
        <AriaButton className={styles.reject} onPress={onReject}>
          Reject<span className="visually-hidden"> {ticket.number}</span>
        </AriaButton>
      </div>
    </article>
  );
}
