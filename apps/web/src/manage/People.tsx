import { useId, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AUDIT_ACTIONS, inviteStaffInput, type AuditAction } from '@bistro/domain';
import type { StaffLocation } from '../components/StaffGate';
import { Alert, Button, Loading, TextField } from '../components/ui';
import { formatDayTime } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC, useTRPCClient } from '../lib/trpc';
import { check, serverErrors, type Errors } from './forms';
import styles from './manage.module.css';

type Role = 'staff' | 'manager';
const ROLE_TEXT: Record<Role, string> = { staff: 'Staff (kitchen)', manager: 'Manager' };

/** The location's team, and an invitation by email to join it. */
export function Staff({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roleId = useId();
  const team = useQuery(trpc.locations.staff.list.queryOptions({ locationId: location.id }));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('staff');
  const [errors, setErrors] = useState<Errors>({});
  const [sent, setSent] = useState<string | null>(null);
  const invite = useMutation(
    trpc.locations.staff.invite.mutationOptions({
      onSuccess: async (result) => {
        setSent(`Invitation sent to ${result.email}.`);
        setEmail('');
        await queryClient.invalidateQueries({ queryKey: trpc.locations.staff.list.queryKey({ locationId: location.id }) });
      },
      onError: (error) => setErrors(serverErrors(error)),
    }),
  );
  return (
    <>
      <section className={styles.section} aria-labelledby="team">
        <h2 id="team">Team</h2>
        {team.isPending ? <Loading label="Loading the team…" /> : null}
        {team.isError ? <Alert>{errorMessage(team.error)}</Alert> : null}
        <ul className={styles.list} aria-label="Team">
          {team.data?.map((member) => (
            <li key={member.userId} className={styles.row}>
              <span className={styles.rowMain}>
                <strong>{member.name}</strong> <span className={styles.muted}>{member.email}</span>
              </span>
              <span className={styles.badge}>{ROLE_TEXT[member.role]}</span>
            </li>
          ))}
        </ul>
      </section>
      <form
        className={styles.section}
        aria-label="Invite someone"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setSent(null);
          const input = { locationId: location.id, email: email.trim(), role };
          const found = check(inviteStaffInput, input);
          setErrors(found);
          if (Object.keys(found).length === 0) invite.mutate(input);
        }}
      >
        <h2>Invite someone</h2>
        <TextField label="Email" name="email" type="email" value={email} onChange={setEmail} isRequired errors={errors.email} />
        <div className={styles.field}>
          <label htmlFor={roleId} className={styles.label}>
            Role
          </label>
          <select id={roleId} className={styles.select} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            <option value="staff">{ROLE_TEXT.staff}</option>
            <option value="manager">{ROLE_TEXT.manager}</option>
          </select>
        </div>
        {invite.isError && Object.keys(errors).length === 0 ? <Alert>{errorMessage(invite.error)}</Alert> : null}
        {sent ? <Alert tone="info">{sent}</Alert> : null}
        <Button type="submit" isPending={invite.isPending}>
          Send invitation
        </Button>
      </form>
    </>
  );
}

/** Every account (admins): search, a role at the chosen location, disable or enable. */
export function Users({ location, meId }: { location: StaffLocation; meId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const users = useInfiniteQuery({
    queryKey: [...trpc.admin.users.list.pathKey(), search, 'pages'],
    queryFn: ({ pageParam }) => client.admin.users.list.query({ ...(search ? { query: search } : {}), ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.pathKey() });
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSettled: refresh }));
  const setDisabled = useMutation(trpc.admin.users.setDisabled.mutationOptions({ onSettled: refresh }));
  const rows = users.data?.pages.flatMap((p) => p.users) ?? [];
  return (
    <>
      <form
        className={styles.bar}
        aria-label="Find users"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(query.trim());
        }}
      >
        <TextField label="Name or email" name="query" value={query} onChange={setQuery} />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {setRole.isError ? <Alert>{errorMessage(setRole.error)}</Alert> : null}
      {setDisabled.isError ? <Alert>{errorMessage(setDisabled.error)}</Alert> : null}
      {users.isPending ? <Loading label="Loading users…" /> : null}
      {users.isError ? <Alert>{errorMessage(users.error)}</Alert> : null}
      <ul className={styles.list} aria-label="Users">
        {rows.map((user) => {
          const here = user.roles.find((r) => r.locationId === location.id)?.role ?? '';
          return (
            <li key={user.id} className={styles.row} aria-label={user.name}>
              <span className={styles.rowMain}>
                <strong>{user.name}</strong> <span className={styles.muted}>{user.email}</span>
                {user.isAdmin ? <span className={styles.badge}> Admin</span> : null}
                {user.disabled ? <span className={styles.badge}> Disabled</span> : null}
              </span>
              <label className={styles.check}>
                Role at {location.name}
                <select
                  className={styles.select}
                  value={here}
                  onChange={(event) => setRole.mutate({ userId: user.id, locationId: location.id, role: (event.target.value || null) as Role | null })}
                >
                  <option value="">None</option>
                  <option value="staff">{ROLE_TEXT.staff}</option>
                  <option value="manager">{ROLE_TEXT.manager}</option>
                </select>
              </label>
              {user.id === meId ? null : (
                <Button
                  variant={user.disabled ? 'secondary' : 'danger'}
                  aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.name}`}
                  onPress={() => setDisabled.mutate({ userId: user.id, disabled: !user.disabled })}
                >
                  {user.disabled ? 'Enable' : 'Disable'}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      {users.hasNextPage ? (
        <Button variant="secondary" isPending={users.isFetchingNextPage} onPress={() => void users.fetchNextPage()}>
          Show more
        </Button>
      ) : null}
    </>
  );
}

/** The audit log (admins), newest first, by action. */
export function AuditLog({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const actionId = useId();
  const [action, setAction] = useState<AuditAction | ''>('');
  const entries = useInfiniteQuery({
    queryKey: [...trpc.admin.audit.list.pathKey(), action, 'pages'],
    queryFn: ({ pageParam }) => client.admin.audit.list.query({ ...(action ? { action } : {}), ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <>
      <div className={styles.picker}>
        <label htmlFor={actionId}>Action</label>
        <select id={actionId} className={styles.select} value={action} onChange={(event) => setAction(event.target.value as AuditAction | '')}>
          <option value="">All</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      {entries.isPending ? <Loading label="Loading the log…" /> : null}
      {entries.isError ? <Alert>{errorMessage(entries.error)}</Alert> : null}
      {entries.isSuccess && rows.length === 0 ? <p>Nothing logged{action ? ` as ${action}` : ''}.</p> : null}
      <ul className={styles.list} aria-label="Audit entries">
        {rows.map((e) => (
          <li key={e.id} className={styles.row}>
            <span className={styles.rowMain}>
              <strong>{e.action}</strong> <span className={styles.muted}>{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : ''}</span>
            </span>
            <span className={styles.muted}>{formatDayTime(e.at, location.timeZone)}</span>
          </li>
        ))}
      </ul>
      {entries.hasNextPage ? (
        <Button variant="secondary" isPending={entries.isFetchingNextPage} onPress={() => void entries.fetchNextPage()}>
          Show older entries
        </Button>
      ) : null}
    </>
  );
}
