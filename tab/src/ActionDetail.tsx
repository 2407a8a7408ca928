import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  Button,
  Divider,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  OverlayDrawer,
  Select,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { api, newChangeId, STATUS_LABELS, type ActionDetail, type ActionStatus } from './api';
import type { Session } from './session';
import { ActionManagerForms, type ManagerChange } from './ActionManagerForms';
import { ErrorBar, RagBadge, formatDate, useNarrow } from './ui';
import { DateInput } from './DateInput';

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 12px', marginBlock: '8px' },
  form: { display: 'flex', flexDirection: 'column', gap: '8px', marginBlock: '12px' },
  buttons: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
  history: { listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  when: { color: tokens.colorNeutralForeground3 },
});

type Change =
  | { kind: 'set-status'; status: ActionStatus; note?: string }
  | { kind: 'add-note'; note: string }
  | { kind: 'request-date-change'; proposedDate: string; reason: string }
  | { kind: 'decide-date-change'; approve: boolean; note?: string }
  | { kind: 'set-owners'; owners: ({ kind: 'member'; memberId: string } | { kind: 'group'; groupId: string })[] }
  | { kind: 'set-due'; due: { kind: 'date'; date: string } | { kind: 'next-meeting' } }
  | ManagerChange;

export function ActionDetailPanel({ session, actionId, onClose, onChanged }: { session: Session; actionId: string; onClose: () => void; onChanged: () => void }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const [detail, setDetail] = useState<ActionDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const [proposedDate, setProposedDate] = useState('');
  const [reason, setReason] = useState('');
  const [decisionNote, setDecisionNote] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [owners, setOwners] = useState('');

  const load = useCallback(async () => {
    setError(null);
    try {
      const d = await api<ActionDetail>(session.identity, `/api/tab/actions/${encodeURIComponent(actionId)}`);
      setDetail(d);
      setOwners(d.owners.map((o) => o.label).join(', '));
      setDueDate(d.due.kind === 'date' ? d.due.date : '');
    } catch (e) {
      setError(e);
    }
  }, [session.identity, actionId]);
  useEffect(() => {
    void load();
  }, [load]);

  const submit = async (change: Change, what: string): Promise<boolean> => {
    if (!detail) return false;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const updated = await api<ActionDetail>(session.identity, `/api/tab/actions/${encodeURIComponent(detail.id)}/changes`, {
        method: 'POST',
        body: JSON.stringify({ version: detail.version, changeId: newChangeId(), change }),
      });
      setDetail(updated);
      setDone(what);
      setNote('');
      setReason('');
      setDecisionNote('');
      setStatus('');
      onChanged();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  // What this person may do with the action is the server's decision (the domain's rule), sent with it: drawn here, never worked out again.
  const allowed = detail?.allowed;
  // Dropping needs a reason: it has its own form below.
  const statusChoices: ActionStatus[] = allowed ? allowed.status.filter((s) => s !== 'dropped') : [];
  const mayChangeAnything = allowed ? allowed.addNote || allowed.status.length > 0 : false;

  const parseOwners = (): Change | string => {
    const names = owners.split(',').map((s) => s.trim()).filter(Boolean);
    const result: Extract<Change, { kind: 'set-owners' }>['owners'] = [];
    const unknown: string[] = [];
    for (const name of names) {
      const member = session.directory.members.find((m) => m.initials === name.toUpperCase());
      const group = detail?.owners.find((o) => o.kind === 'group' && o.label.toLowerCase() === name.toLowerCase());
      if (member) result.push({ kind: 'member', memberId: member.id });
      else if (group) result.push({ kind: 'group', groupId: group.id });
      else unknown.push(name);
    }
    return unknown.length ? `Not a member's initials: ${unknown.join(', ')}` : { kind: 'set-owners', owners: result };
  };

  const onSubmit = (handler: () => void) => (e: FormEvent) => {
    e.preventDefault();
    handler();
  };

  return (
    <OverlayDrawer open position="end" size={narrow ? 'full' : 'medium'} onOpenChange={(_, d) => !d.open && onClose()} aria-label="Action">
      <DrawerHeader>
        <DrawerHeaderTitle action={<Button appearance="subtle" aria-label="Close" onClick={onClose}>Close</Button>}>
          {detail ? `Minute ${detail.minuteRef}, ${formatDate(detail.meetingDate)}` : 'Action'}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody>
        <ErrorBar error={error} onReload={() => void load()} />
        {done ? (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{done}</MessageBarBody>
          </MessageBar>
        ) : null}
        {!detail ? (
          error ? null : <Spinner label="Loading the action…" />
        ) : (
          <div data-testid="action-detail" data-version={detail.version}>
            <Text as="p" size={400}>
              {detail.text}
            </Text>
            <div className={styles.facts}>
              <Text weight="semibold">Owners</Text>
              <Text data-testid="detail-owners">{detail.owners.map((o) => `${o.label}${o.kind === 'member' ? ` (${o.name})` : ''}`).join(', ') || 'Unassigned'}</Text>
              <Text weight="semibold">Due</Text>
              <Text data-testid="detail-due">{detail.dueDate ? formatDate(detail.dueDate) : 'Next meeting'}{detail.due.kind === 'next-meeting' ? ' (next meeting)' : ''}</Text>
              <Text weight="semibold">Status</Text>
              <Text data-testid="detail-status">
                {detail.statusLabel}
                {detail.overdue ? ' (overdue)' : ''}
              </Text>
              <Text weight="semibold">RAG</Text>
              <span>
                <RagBadge rag={detail.rag} />
              </span>
              <Text weight="semibold">Theme</Text>
              <Text>{detail.themeName ?? '—'}</Text>
              <Text weight="semibold">Rolled over</Text>
              <Text>{detail.rolloverCount} time{detail.rolloverCount === 1 ? '' : 's'}</Text>
            </div>
            {detail.dateChangeRequest ? (
              <MessageBar intent="info">
                <MessageBarBody>
                  New date requested: {formatDate(detail.dateChangeRequest.proposedDate)} — {detail.dateChangeRequest.reason}
                </MessageBarBody>
              </MessageBar>
            ) : null}

            {!mayChangeAnything ? (
              <Text as="p" italic>
                You can read this action. Only its owners, the chair or the secretariat can change it.
              </Text>
            ) : null}

            {detail.allowed.addNote ? (
              <form className={styles.form} onSubmit={onSubmit(() => void submit({ kind: 'add-note', note }, 'Update added.'))} aria-label="Add an update">
                <Field label="Add an update">
                  <Textarea value={note} onChange={(_, d) => setNote(d.value)} maxLength={2000} aria-label="Update" />
                </Field>
                <div className={styles.buttons}>
                  {/* disabledFocusable throughout the panel: a button that greys out after a save keeps the focus (and Escape still closes the panel) instead of dropping it to the page. */}
                  <Button type="submit" appearance="primary" disabledFocusable={busy || !note.trim()}>
                    Add update
                  </Button>
                </div>
              </form>
            ) : null}

            {statusChoices.length ? (
              <form className={styles.form} onSubmit={onSubmit(() => status && void submit({ kind: 'set-status', status: status as ActionStatus }, 'Status changed.'))} aria-label="Change the status">
                <Field label="Change the status">
                  <Select aria-label="New status" value={status} onChange={(_, d) => setStatus(d.value)}>
                    <option value="">Choose…</option>
                    {statusChoices.map((s) => (
                      <option key={s} value={s}>
                        {STATUS_LABELS[s]}
                      </option>
                    ))}
                  </Select>
                </Field>
                <div className={styles.buttons}>
                  <Button type="submit" disabledFocusable={busy || !status}>
                    Set status
                  </Button>
                  {detail.allowed.close ? (
                    <Button disabledFocusable={busy} onClick={() => void submit({ kind: 'set-status', status: 'closed' }, 'Action closed.')}>
                      Close action
                    </Button>
                  ) : null}
                </div>
              </form>
            ) : null}

            {detail.allowed.decideDate && detail.dateChangeRequest ? (
              <form className={styles.form} onSubmit={(e) => e.preventDefault()} aria-label="Decide the date change">
                <Field label="Note on the decision (optional)">
                  <Input value={decisionNote} onChange={(_, d) => setDecisionNote(d.value)} />
                </Field>
                <div className={styles.buttons}>
                  <Button appearance="primary" disabledFocusable={busy} onClick={() => void submit({ kind: 'decide-date-change', approve: true, ...(decisionNote.trim() ? { note: decisionNote } : {}) }, 'New date approved.')}>
                    Approve new date
                  </Button>
                  <Button disabledFocusable={busy} onClick={() => void submit({ kind: 'decide-date-change', approve: false, ...(decisionNote.trim() ? { note: decisionNote } : {}) }, 'New date refused.')}>
                    Refuse new date
                  </Button>
                </div>
              </form>
            ) : null}

            {detail.allowed.requestDate ? (
              <form
                className={styles.form}
                aria-label="Ask for a new date"
                onSubmit={onSubmit(() => void submit({ kind: 'request-date-change', proposedDate, reason }, 'New date requested: the chair will decide.'))}
              >
                <Field label="Ask for a new date">
                  <DateInput value={proposedDate} onChange={setProposedDate} aria-label="Proposed date" />
                </Field>
                <Field label="Why">
                  <Input value={reason} onChange={(_, d) => setReason(d.value)} aria-label="Reason" />
                </Field>
                <div className={styles.buttons}>
                  <Button type="submit" disabledFocusable={busy || !proposedDate || !reason.trim()}>
                    Request new date
                  </Button>
                </div>
              </form>
            ) : null}

            <ActionManagerForms detail={detail} busy={busy} submit={submit} />

            {detail.allowed.setDue ? (
              <form
                className={styles.form}
                aria-label="Change the due date"
                onSubmit={onSubmit(() => void submit({ kind: 'set-due', due: dueDate ? { kind: 'date', date: dueDate } : { kind: 'next-meeting' } }, 'Due date changed.'))}
              >
                <Field label="Due date (empty = next meeting)">
                  <DateInput value={dueDate} onChange={setDueDate} aria-label="Due date" />
                </Field>
                <div className={styles.buttons}>
                  <Button type="submit" disabledFocusable={busy}>
                    Set due date
                  </Button>
                </div>
              </form>
            ) : null}
            {detail.allowed.setOwners ? (
              <form
                className={styles.form}
                aria-label="Change the owners"
                onSubmit={onSubmit(() => {
                  const change = parseOwners();
                  if (typeof change === 'string') setError(new Error(change));
                  else void submit(change, 'Owners changed.');
                })}
              >
                <Field label="Owners (initials, comma separated)">
                  <Input value={owners} onChange={(_, d) => setOwners(d.value)} aria-label="Owners" />
                </Field>
                <div className={styles.buttons}>
                  <Button type="submit" disabledFocusable={busy}>
                    Set owners
                  </Button>
                </div>
              </form>
            ) : null}

            <Divider />
            <h3>History</h3>
            <ol className={styles.history} aria-label="History">
              {[...detail.history].reverse().map((h) => (
                <li key={h.id} data-kind={h.kind}>
                  <Text size={200} className={styles.when}>
                    {new Date(h.at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' })} · {h.byLabel ?? 'System'}
                  </Text>
                  <br />
                  <Text>{h.summary}</Text>
                </li>
              ))}
            </ol>
          </div>
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}
