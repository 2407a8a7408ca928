import { useState } from 'react';
import { Button, Field, Input, Select, Text, Textarea, makeStyles } from '@fluentui/react-components';
import { api, DEFAULT_PAPER_DEADLINE_WORKING_DAYS, defaultPaperDeadline, MEETING_KINDS, newRequestId, type GroupView, type HeldResult, type Meeting, type MeetingKind } from './api';
import type { Session } from './session';
import { FormDialog, useSubmission } from './FormDialog';
import { MEETING_KIND_LABELS } from '../../bot/domain/meetings.js';
import { formatLongDate } from './ui';
import { DateInput } from './DateInput';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px', '& > *': { flex: '1 1 160px' } },
  agendaItem: { display: 'grid', gridTemplateColumns: '90px 1fr auto', gap: '8px', alignItems: 'end' },
  agenda: { display: 'flex', flexDirection: 'column', gap: '8px', border: 'none', padding: 0, margin: 0 },
  legend: { fontWeight: 600, marginBottom: '4px' },
});

interface AgendaRow {
  readonly key: number;
  readonly minute: string;
  readonly title: string;
}

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/**
 * Schedules a meeting, or reschedules one: the same fields, all sent every time, so a reschedule
 * never drops the agenda or the title it did not mention.
 */
export function ScheduleMeetingDialog({ session, groups, existing, onClose, onSaved }: { session: Session; groups: readonly GroupView[]; existing: Meeting | null; onClose: () => void; onSaved: (m: Meeting) => void }) {
  const styles = useStyles();
  const [requestId] = useState(newRequestId);
  const [groupId, setGroupId] = useState(existing?.groupId ?? session.me.execGroupId);
  const [date, setDate] = useState(existing?.date ?? '');
  const [startTime, setStartTime] = useState(existing?.startTime ?? '');
  const [title, setTitle] = useState(existing?.title ?? '');
  const [kind, setKind] = useState<MeetingKind>(existing?.kind ?? 'exec');
  // A deadline that was left to default follows the meeting when it moves.
  const [paperDeadline, setPaperDeadline] = useState(existing?.paperDeadline && existing.paperDeadline !== defaultPaperDeadline(existing.date) ? existing.paperDeadline : '');
  const [agenda, setAgenda] = useState<AgendaRow[]>(() => (existing?.agenda ?? []).map((a, i) => ({ key: i, minute: a.minute, title: a.title })));
  const [nextKey, setNextKey] = useState(() => (existing?.agenda.length ?? 0) + 1);
  const submission = useSubmission();

  const setItem = (key: number, change: Partial<AgendaRow>) => setAgenda((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const addItem = () => {
    const last = agenda.at(-1);
    const minute = last && /^\d+$/.test(last.minute) ? String(Number(last.minute) + 1) : agenda.length ? '' : '1';
    setAgenda((rows) => [...rows, { key: nextKey, minute, title: '' }]);
    setNextKey((k) => k + 1);
  };

  const submit = () =>
    submission.run(async () => {
      const plan = {
        date,
        startTime: startTime || null,
        ...(title.trim() ? { title: title.trim() } : {}),
        kind,
        paperDeadline: paperDeadline || null,
        agenda: agenda.filter((a) => a.minute.trim() || a.title.trim()).map((a) => ({ minute: a.minute.trim(), title: a.title.trim() })),
      };
      const saved = existing
        ? await api<Meeting>(session.identity, `/api/tab/meetings/${encodeURIComponent(existing.id)}`, { method: 'PUT', body: JSON.stringify({ version: existing.version, ...plan }) })
        : await api<Meeting>(session.identity, '/api/tab/meetings', { method: 'POST', body: JSON.stringify({ groupId, ...plan, requestId }) });
      onSaved(saved);
    });

  const defaultDeadline = isDate(date) ? formatLongDate(defaultPaperDeadline(date)) : null;
  return (
    <FormDialog
      title={existing ? `Reschedule the meeting of ${formatLongDate(existing.date)}` : 'Schedule a meeting'}
      submitLabel={existing ? 'Save changes' : 'Schedule meeting'}
      busy={submission.busy}
      error={submission.error}
      onSubmit={() => void submit()}
      onClose={onClose}
      wide
    >
      {existing ? null : (
        <Field label="Group" required>
          <Select value={groupId} onChange={(_, d) => setGroupId(d.value)}>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <div className={styles.row}>
        <Field label="Date" required>
          <DateInput value={date} onChange={setDate} required />
        </Field>
        <Field label="Start time" hint="24-hour, London time">
          <Input type="time" value={startTime} onChange={(_, d) => setStartTime(d.value)} />
        </Field>
        <Field label="Kind">
          <Select value={kind} onChange={(_, d) => setKind(d.value as MeetingKind)}>
            {MEETING_KINDS.map((k) => (
              <option key={k} value={k}>
                {MEETING_KIND_LABELS[k]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Title" hint="Leave empty to use the group's name.">
        <Input value={title} onChange={(_, d) => setTitle(d.value)} maxLength={200} />
      </Field>
      <Field
        label="Paper deadline (optional)"
        hint={`Leave empty: papers are due ${DEFAULT_PAPER_DEADLINE_WORKING_DAYS} working days before the meeting${defaultDeadline ? `, ${defaultDeadline}` : ''}.`}
      >
        <DateInput value={paperDeadline} onChange={setPaperDeadline} />
      </Field>
      <fieldset className={styles.agenda}>
        <legend className={styles.legend}>Agenda</legend>
        {agenda.length === 0 ? <Text size={200}>No items yet.</Text> : null}
        {agenda.map((item, index) => (
          <div key={item.key} className={styles.agendaItem} role="group" aria-label={`Agenda item ${index + 1}`}>
            <Field label="Minute">
              <Input value={item.minute} onChange={(_, d) => setItem(item.key, { minute: d.value })} maxLength={20} placeholder="8.3" />
            </Field>
            <Field label="Item title">
              <Input value={item.title} onChange={(_, d) => setItem(item.key, { title: d.value })} maxLength={200} />
            </Field>
            <Button aria-label={`Remove agenda item ${index + 1}`} onClick={() => setAgenda((rows) => rows.filter((r) => r.key !== item.key))}>
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button onClick={addItem}>Add agenda item</Button>
        </div>
      </fieldset>
    </FormDialog>
  );
}

export function CancelMeetingDialog({ session, meeting, onClose, onSaved }: { session: Session; meeting: Meeting; onClose: () => void; onSaved: () => void }) {
  const [reason, setReason] = useState('');
  const submission = useSubmission();
  const submit = () =>
    submission.run(async () => {
      await api(session.identity, `/api/tab/meetings/${encodeURIComponent(meeting.id)}/cancel`, { method: 'POST', body: JSON.stringify({ version: meeting.version, reason }) });
      onSaved();
    });
  return (
    <FormDialog title={`Cancel the meeting of ${formatLongDate(meeting.date)}`} submitLabel="Cancel the meeting" dismissLabel="Keep it" busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose}>
      <Text>Members read the reason. The meeting&rsquo;s report round closes, so nobody is chased for papers.</Text>
      <Field label="Why it is cancelled" required>
        <Textarea value={reason} onChange={(_, d) => setReason(d.value)} maxLength={500} required />
      </Field>
    </FormDialog>
  );
}

/** Asks before recording a meeting held: it carries every open action due at it on to the next meeting. */
export function HeldDialog({ session, meeting, onClose, onSaved }: { session: Session; meeting: Meeting; onClose: () => void; onSaved: (result: HeldResult) => void }) {
  const submission = useSubmission();
  const submit = () =>
    submission.run(async () => {
      onSaved(await api<HeldResult>(session.identity, `/api/tab/meetings/${encodeURIComponent(meeting.id)}/held`, { method: 'POST', body: JSON.stringify({ version: meeting.version }) }));
    });
  return (
    <FormDialog title="Record the meeting as held" submitLabel="Record as held" busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose}>
      <Text>
        Record {meeting.title} of {formatLongDate(meeting.date)} as held? Every action still open that was due at it is carried over to the next meeting, once, and its report round
        closes.
      </Text>
    </FormDialog>
  );
}
