import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { bistroErrorCode, type RouterOutputs } from '@bistro/client';
import { stationCreateInput, stationUpdateInput } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, Loading, ModalDialog, TextField } from '../components/ui';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import { ConsoleList } from './ConsoleList';
import { check, isEmpty, serverErrors, type Errors } from './forms';
import styles from './manage.module.css';

type Station = RouterOutputs['stations']['list'][number];

/** The kitchen's stations of a location: add, rename, reorder, archive. Items are routed to them in the menu editor. */
export function Stations({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stations = useQuery(trpc.stations.list.queryOptions({ locationId: location.id }));
  const [renaming, setRenaming] = useState<Station | null>(null);
  const [archiving, setArchiving] = useState<Station | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.stations.pathKey() });
  /** Moves a station one place: the whole list in its new order, in one call (all or nothing). */
  const reorder = useMutation(
    trpc.stations.reorder.mutationOptions({
      onSuccess: (ordered) => queryClient.setQueryData(trpc.stations.list.queryKey({ locationId: location.id }), ordered),
      onSettled: refresh,
    }),
  );
  const move = (list: Station[], from: number, to: number) => {
    const order = [...list];
    const [moved] = order.splice(from, 1);
    if (!moved) return;
    order.splice(to, 0, moved);
    reorder.mutate({ locationId: location.id, stationIds: order.map((s) => s.id) });
  };
  if (stations.isPending) return <Loading label="Loading stations…" />;
  if (stations.isError) return <Alert>{errorMessage(stations.error)}</Alert>;
  const list = stations.data;
  return (
    <>
      <ConsoleList
        title="Stations"
        headingId="stations"
        intro={<p>Each dish goes to one station (or none): a station’s display shows only its lines, expo shows the whole order. Route dishes in the menu editor.</p>}
        empty={<p>No stations yet.</p>}
        notice={
          reorder.isError ? (
            <Alert>{bistroErrorCode(reorder.error) === 'MENU_ORDER_MISMATCH' ? 'The stations changed meanwhile. The list now shows them as they are; try again.' : errorMessage(reorder.error)}</Alert>
          ) : null
        }
        rows={list}
        rowKey={(s) => s.id}
        what="Station"
        rowHeader={(s) => s.name}
        actions={(s) => {
          const index = list.indexOf(s);
          return (
            <>
              <Button variant="secondary" aria-label={`Move ${s.name} up`} isDisabled={index === 0 || reorder.isPending} onPress={() => move(list, index, index - 1)}>
                Up
              </Button>
              <Button variant="secondary" aria-label={`Move ${s.name} down`} isDisabled={index === list.length - 1 || reorder.isPending} onPress={() => move(list, index, index + 1)}>
                Down
              </Button>
              <Button variant="secondary" aria-label={`Rename ${s.name}`} onPress={() => setRenaming(s)}>
                Rename
              </Button>
              <Button variant="secondary" aria-label={`Archive ${s.name}`} onPress={() => setArchiving(s)}>
                Archive
              </Button>
            </>
          );
        }}
      />
      <AddStation location={location} onAdded={refresh} />
      {renaming ? <RenameStation station={renaming} onClose={() => setRenaming(null)} onDone={refresh} /> : null}
      {archiving ? <ArchiveStation station={archiving} onClose={() => setArchiving(null)} onDone={refresh} /> : null}
    </>
  );
}

function AddStation({ location, onAdded }: { location: StaffLocation; onAdded: () => Promise<void> }) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [added, setAdded] = useState<string | null>(null);
  const create = useMutation(
    trpc.stations.create.mutationOptions({
      onSuccess: async (station) => {
        setName('');
        setAdded(station.name);
        await onAdded();
      },
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  const submit = () => {
    const input = { locationId: location.id, name: name.trim() };
    const found = check(stationCreateInput, input);
    setErrors(found);
    setAdded(null);
    if (isEmpty(found)) create.mutate(input);
  };
  return (
    <section className={styles.section} aria-labelledby="add-station">
      <h2 id="add-station">Add a station</h2>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <TextField label="Station name" name="name" value={name} onChange={setName} isRequired errors={errors.name} description="For example Grill, Fryer, Cold or Bar." />
        {create.isError && isEmpty(errors) ? <Alert>{errorMessage(create.error)}</Alert> : null}
        <Button type="submit" isPending={create.isPending}>
          Add station
        </Button>
        <p role="status">{added ? `Added ${added}.` : ''}</p>
      </form>
    </section>
  );
}

function RenameStation({ station, onClose, onDone }: { station: Station; onClose: () => void; onDone: () => Promise<void> }) {
  const trpc = useTRPC();
  const [name, setName] = useState(station.name);
  const [errors, setErrors] = useState<Errors>({});
  const update = useMutation(
    trpc.stations.update.mutationOptions({
      onSuccess: async () => {
        await onDone();
        onClose();
      },
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  const submit = () => {
    const input = { stationId: station.id, name: name.trim() };
    const found = check(stationUpdateInput, input);
    setErrors(found);
    if (isEmpty(found)) update.mutate(input);
  };
  return (
    <ModalDialog isOpen onOpenChange={(open) => !open && onClose()} title={`Rename ${station.name}`}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <TextField label="Name" name="name" value={name} onChange={setName} isRequired errors={errors.name} />
        {update.isError && isEmpty(errors) ? <Alert>{errorMessage(update.error)}</Alert> : null}
        <Button type="submit" isPending={update.isPending}>
          Save
        </Button>
      </form>
    </ModalDialog>
  );
}

function ArchiveStation({ station, onClose, onDone }: { station: Station; onClose: () => void; onDone: () => Promise<void> }) {
  const trpc = useTRPC();
  const update = useMutation(
    trpc.stations.update.mutationOptions({
      onSuccess: async () => {
        await onDone();
        onClose();
      },
    }),
  );
  return (
    <ModalDialog isOpen onOpenChange={(open) => !open && onClose()} title={`Archive ${station.name}?`}>
      <p>Its dishes will go to no station from the next order on. Lines already sent stay on its display.</p>
      {update.isError ? <Alert>{errorMessage(update.error)}</Alert> : null}
      <div className={styles.actions}>
        <Button isPending={update.isPending} onPress={() => update.mutate({ stationId: station.id, archived: true })}>
          Archive
        </Button>
        <Button variant="secondary" onPress={onClose}>
          Cancel
        </Button>
      </div>
    </ModalDialog>
  );
}
