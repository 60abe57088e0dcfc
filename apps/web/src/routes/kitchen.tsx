import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { createLazyRoute, getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { Button as AriaButton } from 'react-aria-components';
import { NotFound, PageTitle } from '../components/Layout';
import { StaffGate, type StaffLocation } from '../components/StaffGate';
import { Board } from '../kitchen/Board';
import { EightySix } from '../kitchen/EightySix';
import { enableSound, soundReady } from '../kitchen/sound';
import { useTRPC } from '../lib/trpc';
import styles from '../kitchen/kitchen.module.css';

export const KitchenRoute = createLazyRoute('/kitchen')({ component: KitchenPicker });
export const KitchenBoardRoute = createLazyRoute('/kitchen/$locationId')({ component: KitchenBoardPage });
const boardRoute = getRouteApi('/kitchen/$locationId');

/** /kitchen: a cook with one location goes straight to its board; with several, picks one. */
function KitchenPicker() {
  return (
    <StaffGate need="staff">
      {({ locations }) =>
        locations.length === 1 ? (
          <ToBoard locationId={locations[0]!.id} />
        ) : (
          <section>
            <PageTitle title="Kitchen">Which kitchen?</PageTitle>
            <ul className={styles.picker}>
              {locations.map((location) => (
                <li key={location.id}>
                  <Link to="/kitchen/$locationId" params={{ locationId: location.id }} search={{ station: undefined }} className={styles.pickerLink}>
                    {location.name}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        )
      }
    </StaffGate>
  );
}

/**
 * Straight to the one kitchen, once. (Router's <Navigate> navigates again whenever its props are
 * new objects, which every render of the gate makes: a loop that froze the page.)
 */
function ToBoard({ locationId }: { locationId: string }) {
  const navigate = useNavigate();
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    void navigate({ to: '/kitchen/$locationId', params: { locationId }, search: { station: undefined }, replace: true });
  }, [navigate, locationId]);
  return <p aria-busy="true">Opening the kitchen…</p>;
}

function KitchenBoardPage() {
  const { locationId } = boardRoute.useParams();
  return (
    <StaffGate need="staff">
      {({ locations }) => {
        const location = locations.find((l) => l.id === locationId);
        return location ? <KitchenScreen location={location} several={locations.length > 1} /> : <NotFound />;
      }}
    </StaffGate>
  );
}

/**
 * The kitchen display of one location: the station picker (expo: all tickets, whole orders; or
 * one station's lines), sound, the 86 board, and the live board. When the session ends it says
 * so, with a way to sign in again, rather than showing an empty board.
 */
function KitchenScreen({ location, several }: { location: StaffLocation; several: boolean }) {
  const trpc = useTRPC();
  const { station } = boardRoute.useSearch();
  const navigate = useNavigate();
  const stations = useQuery(trpc.stations.list.queryOptions({ locationId: location.id }));
  const [view, setView] = useState<'tickets' | '86'>('tickets');
  const [soundOn, setSoundOn] = useState(false);
  const [audible, setAudible] = useState(soundReady());
  const [signedOut, setSignedOut] = useState(false);
  const onSignedOut = useCallback(() => setSignedOut(true), []);
  const stationName = stations.data?.find((s) => s.id === station)?.name;
  const title = `${location.name} kitchen${stationName ? ` · ${stationName}` : station ? '' : ' · Expo'}`;

  if (signedOut) {
    const here = `/kitchen/${location.id}${station ? `?station=${station}` : ''}`;
    return (
      <div className={styles.signedOut} role="alert">
        <h2>Signed out</h2>
        <p>This screen’s session has ended, so it can’t show tickets any more.</p>
        <p>
          <Link to="/sign-in" search={{ next: here }}>
            Sign in again
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className={styles.screen}>
      <div className={styles.toolbar}>
        <PageTitle title={title}>{title}</PageTitle>
        <label className={styles.stationField}>
          Station
          <select
            className={styles.select}
            value={station ?? ''}
            onChange={(event) => void navigate({ to: '/kitchen/$locationId', params: { locationId: location.id }, search: { station: event.target.value || undefined } })}
          >
            <option value="">All stations (expo)</option>
            {stations.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="View" className={styles.stationField}>
          <AriaButton className={styles.tab} aria-pressed={view === 'tickets'} onPress={() => setView('tickets')}>
            Tickets
          </AriaButton>
          <AriaButton className={styles.tab} aria-pressed={view === '86'} onPress={() => setView('86')}>
            86 board
          </AriaButton>
        </div>
        {audible ? (
          <AriaButton className={styles.toggle} aria-pressed={soundOn} onPress={() => setSoundOn(!soundOn)}>
            Sound
          </AriaButton>
        ) : (
          <AriaButton
            className={styles.toggle}
            onPress={() =>
              void enableSound().then((ok) => {
                setAudible(ok);
                setSoundOn(ok);
              })
            }
          >
            Enable sound
          </AriaButton>
        )}
        {several ? (
          <Link to="/kitchen" className={styles.toggle} style={{ display: 'inline-flex', alignItems: 'center', textDecoration: 'none' }}>
            Other kitchens
          </Link>
        ) : null}
      </div>
      <div hidden={view !== 'tickets'}>
        <Board
          key={station ?? 'expo'}
          locationId={location.id}
          timeZone={location.timeZone}
          stationId={station}
          expo={!station}
          soundOn={soundOn}
          onSignedOut={onSignedOut}
        />
        {station ? (
          <p className={styles.help}>
            Keyboard or bump bar: <kbd>1</kbd>–<kbd>9</kbd> select a ticket (its number is on it), <kbd>Enter</kbd> marks this station done on it (or
            bumps a ready one), <kbd>R</kbd> recalls the last ticket marked done here. A ready order can’t be recalled: its lifecycle has no way back from
            ready.
          </p>
        ) : (
          <p className={styles.help}>
            Keyboard or bump bar: <kbd>1</kbd>–<kbd>9</kbd> select a ticket (its number is on it), <kbd>Enter</kbd> bumps it. There is no recall: the
            order’s lifecycle has no way back from ready. Each ticket says which stations are done.
          </p>
        )}
      </div>
      {view === '86' ? <EightySix locationSlug={location.slug} /> : null}
    </div>
  );
}
