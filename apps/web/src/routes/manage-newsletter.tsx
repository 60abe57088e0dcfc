import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createLazyRoute } from '@tanstack/react-router';
import { bistroFieldErrors, type RouterInputs, type RouterOutputs } from '@bistro/client';
import { campaignCreateInput } from '@bistro/domain';
import { PageTitle } from '../components/Layout';
import type { StaffLocation } from '../components/StaffGate';
import { Console } from '../manage/Console';
import { Alert, Button, Loading, ModalDialog, TextField } from '../components/ui';
import { formatDayTime } from '../lib/format';
import { errorMessage } from '../lib/messages';
import { useTRPC } from '../lib/trpc';
import styles from '../manage/newsletter.module.css';

type Campaign = RouterOutputs['newsletter']['campaigns']['list']['campaigns'][number];
type Errors = Partial<Record<string, string[]>>;

export const Route = createLazyRoute('/manage/newsletter')({ component: ManageNewsletterPage });

/** The manager's newsletter: write a campaign in Markdown, preview it to yourself, send it, follow its progress. */
function ManageNewsletterPage() {
  return (
    <Console>
      {({ location }) => (
        <section>
          <PageTitle title={`Newsletter · ${location.name}`}>Newsletter</PageTitle>
          <Campaigns key={location.id} location={location} />
        </section>
      )}
    </Console>
  );
}

function Campaigns({ location }: { location: StaffLocation }) {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.newsletter.campaigns.list.queryOptions({ locationId: location.id }),
    // While a campaign goes out its counts move: ask again every 2 s until none is sending.
    refetchInterval: (query) => (query.state.data?.campaigns.some((c) => c.status === 'sending') ? 2000 : false),
  });
  const [editing, setEditing] = useState<Campaign | null>(null);
  // A new editor (fresh fields) only when the manager picks another draft or starts anew, not when a save answers.
  const [editorKey, setEditorKey] = useState(0);
  const open = (campaign: Campaign | null) => {
    setEditing(campaign);
    setEditorKey((k) => k + 1);
  };
  const current = editing;
  return (
    <div className={styles.layout}>
      <div className={styles.panel}>
        <h2>{current ? 'Edit the draft' : 'New campaign'}</h2>
        <p className={styles.audience}>
          {list.data ? `${list.data.confirmedSubscribers} confirmed ${list.data.confirmedSubscribers === 1 ? 'subscriber' : 'subscribers'} would receive it.` : ' '}
        </p>
        <Editor key={editorKey} location={location} campaign={current} audience={list.data?.confirmedSubscribers ?? 0} onSaved={setEditing} onSent={() => open(null)} />
      </div>
      <div className={styles.panel}>
        <h2>Campaigns</h2>
        {list.isPending ? <Loading label="Loading campaigns…" /> : null}
        {list.isError ? <Alert>{errorMessage(list.error)}</Alert> : null}
        {list.data?.campaigns.length === 0 ? <p>No campaign yet.</p> : null}
        <ul className={styles.campaigns}>
          {list.data?.campaigns.map((c) => (
            <li key={c.id} className={styles.campaign}>
              <div className={styles.campaignTitle}>
                <strong>{c.subject}</strong>
                <span className={styles.status}>{c.status === 'draft' ? 'Draft' : c.status === 'sending' ? 'Sending' : 'Sent'}</span>
              </div>
              <p>{progress(c, location.timeZone)}</p>
              {c.status === 'draft' && editing?.id !== c.id ? (
                <Button variant="quiet" onPress={() => open(c)}>
                  Edit “{c.subject}”
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        {editing ? (
          <Button variant="secondary" onPress={() => open(null)}>
            Start a new campaign
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function progress(c: Campaign, timeZone: string): string {
  if (c.status === 'draft') return `Last edited ${formatDayTime(c.updatedAt, timeZone)}`;
  const { recipients, sent, skipped, failed, pending } = c.counts;
  const parts = [`${sent} of ${recipients} sent`];
  if (pending > 0) parts.push(`${pending} to go`);
  if (skipped > 0) parts.push(`${skipped} unsubscribed meanwhile`);
  if (failed > 0) parts.push(`${failed} failed`);
  return `${parts.join(', ')}${c.sentAt ? ` · finished ${formatDayTime(c.sentAt, timeZone)}` : ''}`;
}

function Editor({
  location,
  campaign,
  audience,
  onSaved,
  onSent,
}: {
  location: StaffLocation;
  campaign: Campaign | null;
  audience: number;
  onSaved: (c: Campaign) => void;
  onSent: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState(campaign?.subject ?? '');
  const [body, setBody] = useState(campaign?.bodyMarkdown ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.newsletter.campaigns.list.queryKey({ locationId: location.id }) });
  const onError = (error: Parameters<typeof bistroFieldErrors>[0]) => setErrors(bistroFieldErrors<RouterInputs['newsletter']['campaigns']['create']>(error));
  const create = useMutation(trpc.newsletter.campaigns.create.mutationOptions({ onError }));
  const update = useMutation(trpc.newsletter.campaigns.update.mutationOptions({ onError }));
  const preview = useMutation(trpc.newsletter.campaigns.preview.mutationOptions());
  const send = useMutation(trpc.newsletter.campaigns.send.mutationOptions());
  const failed = [create, update, preview, send].find((m) => m.isError)?.error;

  /** Saves what is on screen (creating the draft the first time); answers the saved campaign, or null when refused. */
  const save = async (): Promise<Campaign | null> => {
    const input = { locationId: location.id, subject: subject.trim(), bodyMarkdown: body };
    const checked = campaignCreateInput.safeParse(input);
    if (!checked.success) {
      const found: Errors = {};
      for (const issue of checked.error.issues) (found[issue.path.map(String).join('.')] ??= []).push(issue.message);
      setErrors(found);
      return null;
    }
    setErrors({});
    try {
      const saved = campaign
        ? await update.mutateAsync({ campaignId: campaign.id, version: campaign.version, subject: checked.data.subject, bodyMarkdown: checked.data.bodyMarkdown })
        : await create.mutateAsync(checked.data);
      onSaved(saved);
      await refresh();
      return saved;
    } catch {
      return null;
    }
  };

  return (
    <form
      noValidate
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        void save().then((saved) => saved && setNotice('Draft saved.'));
      }}
    >
      <TextField label="Subject" name="subject" value={subject} onChange={setSubject} isRequired errors={errors.subject} />
      <TextField
        label="Message"
        name="body"
        value={body}
        onChange={setBody}
        isRequired
        multiline
        description="Markdown: **bold**, *italic*, [a link](https://…), lists with -. Each email ends with an unsubscribe link."
        errors={errors.bodyMarkdown}
      />
      {failed ? <Alert>{errorMessage(failed)}</Alert> : null}
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      <div className={styles.actions}>
        <Button type="submit" variant="secondary" isPending={create.isPending || update.isPending}>
          Save draft
        </Button>
        <Button
          variant="secondary"
          isPending={preview.isPending}
          onPress={() =>
            void save().then(async (saved) => {
              if (!saved) return;
              const sent = await preview.mutateAsync({ campaignId: saved.id }).catch(() => null);
              if (sent) setNotice(`Preview sent to ${sent.to}.`);
            })
          }
        >
          Preview to me
        </Button>
        <Button isDisabled={audience === 0} onPress={() => setConfirming(true)}>
          Send…
        </Button>
      </div>
      <ModalDialog isOpen={confirming} onOpenChange={setConfirming} title="Send this campaign?">
        <p>
          “{subject.trim() || 'Untitled'}” goes to {audience} confirmed {audience === 1 ? 'subscriber' : 'subscribers'} of {location.name}. It can’t be changed or taken back once sent.
        </p>
        <div className={styles.actions}>
          <Button
            isPending={send.isPending}
            onPress={() =>
              void save().then(async (saved) => {
                if (!saved) return setConfirming(false);
                const started = await send.mutateAsync({ campaignId: saved.id }).catch(() => null);
                setConfirming(false);
                await refresh();
                if (started) {
                  setNotice(null);
                  onSent();
                }
              })
            }
          >
            Send now
          </Button>
          <Button variant="secondary" onPress={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      </ModalDialog>
    </form>
  );
}
