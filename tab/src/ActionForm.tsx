import { useState } from 'react';
import { Dropdown, Field, Input, MessageBar, MessageBarBody, Radio, RadioGroup, Select, Textarea, makeStyles } from '@fluentui/react-components';
import { api, newRequestId, type ActionDetail, type GroupView, type Meeting } from './api';
import type { Session } from './session';
import { FormDialog, useSubmission } from './FormDialog';
import { OwnerOptions, ownerChoices, type OwnerKey } from './OwnerChoices';
import { formatLongDate } from './ui';
import { DateInput } from './DateInput';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px', '& > *': { flex: '1 1 200px' } },
});

const OTHER_MINUTE = '__other';


/**
 * Records the actions a meeting agreed, one after another: after each, the form clears for the
 * next, and a new request id is made, so the one just saved can never be created twice.
 */
export function AddActionDialog({ session, meeting, groups, onClose }: { session: Session; meeting: Meeting; groups: readonly GroupView[]; onClose: (added: number) => void }) {
  const styles = useStyles();
  const [requestId, setRequestId] = useState(newRequestId);
  const [minuteChoice, setMinuteChoice] = useState(meeting.agenda[0]?.minute ?? OTHER_MINUTE);
  const [otherMinute, setOtherMinute] = useState('');
  const [text, setText] = useState('');
  const [owners, setOwners] = useState<OwnerKey[]>([]);
  const [dueKind, setDueKind] = useState<'next-meeting' | 'date'>('next-meeting');
  const [dueDate, setDueDate] = useState('');
  const [themeId, setThemeId] = useState('');
  const [added, setAdded] = useState<ActionDetail[]>([]);
  const submission = useSubmission();

  const { people, ownerLabel } = ownerChoices(session, groups);
  const themes = session.directory.themes.filter((t) => t.activeUntil === null || t.activeUntil >= meeting.date);
  const minuteRef = minuteChoice === OTHER_MINUTE ? otherMinute.trim() : minuteChoice;

  const submit = () =>
    submission.run(async () => {
      const created = await api<ActionDetail>(session.identity, '/api/tab/actions', {
        method: 'POST',
        body: JSON.stringify({
          meetingId: meeting.id,
          minuteRef,
          text,
          owners: owners.map((k) => (k.startsWith('m:') ? { kind: 'member', memberId: k.slice(2) } : { kind: 'group', groupId: k.slice(2) })),
          due: dueKind === 'date' ? { kind: 'date', date: dueDate } : { kind: 'next-meeting' },
          themeId: themeId || null,
          requestId,
        }),
      });
      setAdded((list) => [...list, created]);
      setRequestId(newRequestId());
      setText('');
      setOwners([]);
    });

  return (
    <FormDialog
      title={`Add an action agreed at the meeting of ${formatLongDate(meeting.date)}`}
      submitLabel="Add action"
      dismissLabel={added.length ? 'Done' : 'Cancel'}
      busy={submission.busy}
      error={submission.error}
      onSubmit={() => void submit()}
      onClose={() => onClose(added.length)}
      wide
    >
      {added.length ? (
        <MessageBar intent="success" role="status" data-testid="action-added">
          <MessageBarBody>
            Added minute {added.at(-1)!.minuteRef}: {added.at(-1)!.text} ({added.length} added so far). Add the next, or press Done.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.row}>
        <Field label="Minute" required>
          <Select value={minuteChoice} onChange={(_, d) => setMinuteChoice(d.value)}>
            {meeting.agenda.map((a) => (
              <option key={a.minute} value={a.minute}>
                {a.minute}. {a.title}
              </option>
            ))}
            <option value={OTHER_MINUTE}>Another minute number…</option>
          </Select>
        </Field>
        {minuteChoice === OTHER_MINUTE ? (
          <Field label="Minute number" hint="As printed in the minutes: 8 or 8.3" required>
            <Input value={otherMinute} onChange={(_, d) => setOtherMinute(d.value)} maxLength={20} required />
          </Field>
        ) : null}
      </div>
      <Field label="What was agreed" required>
        <Textarea value={text} onChange={(_, d) => setText(d.value)} maxLength={2000} required resize="vertical" />
      </Field>
      <Field label="Owners" hint="People or groups; leave empty if nobody owns it yet.">
        <Dropdown
          multiselect
          placeholder="Nobody yet"
          value={owners.map(ownerLabel).join(', ')}
          selectedOptions={owners}
          onOptionSelect={(_, d) => setOwners(d.selectedOptions as OwnerKey[])}
        >
          <OwnerOptions people={people} groups={groups} />
        </Dropdown>
      </Field>
      <div className={styles.row}>
        <Field label="Due">
          <RadioGroup value={dueKind} onChange={(_, d) => setDueKind(d.value as 'next-meeting' | 'date')}>
            <Radio value="next-meeting" label="At the next meeting" />
            <Radio value="date" label="By a date" />
          </RadioGroup>
        </Field>
        {dueKind === 'date' ? (
          <Field label="Due date" required>
            <DateInput value={dueDate} onChange={setDueDate} required />
          </Field>
        ) : null}
        <Field label="Theme">
          <Select value={themeId} onChange={(_, d) => setThemeId(d.value)}>
            <option value="">No theme</option>
            {themes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
    </FormDialog>
  );
}
