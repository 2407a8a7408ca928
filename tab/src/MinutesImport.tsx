import { useState } from 'react';
import { Button, Checkbox, Dropdown, Field, Input, MessageBar, MessageBarBody, Select, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { MINUTES_TEXT_MAX } from '../../bot/domain/minutes-import.js';
import type { ImportPreview, ImportResult, ProposedAction } from '../../bot/services/minutes-import.js';
import { api, type GroupView, type Meeting } from './api';
import type { Session } from './session';
import { FormDialog, useSubmission } from './FormDialog';
import { OwnerOptions, ownerChoices, type OwnerKey } from './OwnerChoices';
import { DateInput } from './DateInput';
import { formatLongDate } from './ui';

const useStyles = makeStyles({
  // A fieldset is at least as wide as its content by default: without minInlineSize 0 a long doubt
  // pushed the proposal past the dialog's edge and cut it off.
  proposal: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '8px 12px', margin: 0, minInlineSize: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  legend: { fontWeight: tokens.fontWeightSemibold, paddingInline: '4px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px', '& > *': { flex: '1 1 180px' } },
  doubts: { margin: 0, paddingInlineStart: '20px' },
});


interface Choice {
  readonly key: string;
  readonly include: boolean;
  readonly minuteRef: string;
  readonly text: string;
  readonly owners: OwnerKey[];
  readonly dueKind: 'next-meeting' | 'date';
  readonly dueDate: string;
  readonly doubts: ProposedAction['doubts'];
}

const choiceOf = (p: ProposedAction): Choice => ({
  key: p.key,
  include: true,
  minuteRef: p.minuteRef,
  text: p.text,
  owners: p.owners.map((o): OwnerKey => (o.owner.kind === 'member' ? `m:${o.owner.memberId}` : `g:${o.owner.groupId}`)),
  dueKind: p.due.kind,
  dueDate: p.due.kind === 'date' ? p.due.date : '',
  doubts: p.doubts,
});

/**
 * Imports the actions of a meeting from its minutes, pasted as text (out of Word or a PDF): the
 * proposed actions come back with their minute, words, owners and due date and every doubt in
 * words; the secretariat corrects what needs it, unticks what is not an action, and imports.
 * Nothing is saved before that, and importing the same minutes twice adds nothing the second time.
 */
export function MinutesImportDialog({ session, meeting, groups, onClose, onSaved }: { session: Session; meeting: Meeting; groups: readonly GroupView[]; onClose: () => void; onSaved: (message: string) => void }) {
  const styles = useStyles();
  const [pasted, setPasted] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [choices, setChoices] = useState<Choice[]>([]);
  const submission = useSubmission();
  const base = `/api/tab/meetings/${encodeURIComponent(meeting.id)}/minutes-import`;

  const { people, ownerLabel } = ownerChoices(session, groups);
  const change = (key: string, patch: Partial<Choice>) => setChoices((all) => all.map((c) => (c.key === key ? { ...c, ...patch } : c)));

  const runPreview = () =>
    submission.run(async () => {
      if (!pasted.trim()) throw new Error('Paste the text of the minutes first.');
      // Said here, before up to a megabyte or so is sent only to be refused, with how long the paste is.
      if (pasted.length > MINUTES_TEXT_MAX) {
        throw new Error(`The minutes pasted are ${pasted.length.toLocaleString('en-GB')} characters long; one import reads at most ${MINUTES_TEXT_MAX.toLocaleString('en-GB')}: import long minutes a section at a time.`);
      }
      const answer = await api<ImportPreview>(session.identity, `${base}/preview`, { method: 'POST', body: JSON.stringify({ text: pasted }) });
      setPreview(answer);
      setChoices(answer.proposals.map(choiceOf));
    });

  const runConfirm = () =>
    submission.run(async () => {
      if (!preview) return;
      const chosen = choices.filter((c) => c.include);
      if (chosen.length === 0) throw new Error('Tick at least one action to import.');
      const result = await api<ImportResult>(session.identity, `${base}/confirm`, {
        method: 'POST',
        body: JSON.stringify({
          importId: preview.importId,
          actions: chosen.map((c) => ({
            key: c.key,
            minuteRef: c.minuteRef,
            text: c.text,
            owners: c.owners.map((k) => (k.startsWith('m:') ? { kind: 'member', memberId: k.slice(2) } : { kind: 'group', groupId: k.slice(2) })),
            due: c.dueKind === 'date' ? { kind: 'date', date: c.dueDate } : { kind: 'next-meeting' },
          })),
        }),
      });
      onSaved(result.message);
    });

  const title = `Import actions from the minutes of ${formatLongDate(meeting.date)}`;
  if (!preview) {
    return (
      <FormDialog title={title} submitLabel={submission.busy ? 'Reading the minutes…' : 'Preview'} busy={submission.busy} error={submission.error} onSubmit={() => void runPreview()} onClose={onClose} wide>
        <Text>
          Copy the minutes out of Word or the PDF and paste them here: a discussion-and-actions table, numbered minutes with &ldquo;Action:&rdquo; lines, or a table of actions (Ref, Action, Owner, Due). You will see the actions found, and anything to check, before anything is saved.
        </Text>
        <Field label="Minutes text" required>
          <Textarea value={pasted} onChange={(_, d) => setPasted(d.value)} resize="vertical" rows={10} />
        </Field>
      </FormDialog>
    );
  }

  const included = choices.filter((c) => c.include).length;
  return (
    <FormDialog
      title={title}
      submitLabel={included === 1 ? 'Import 1 action' : `Import ${included} actions`}
      busy={submission.busy}
      error={submission.error}
      onSubmit={() => void runConfirm()}
      onClose={onClose}
      wide
      extraActions={<Button onClick={() => setPreview(null)}>Paste other minutes</Button>}
    >
      <Text role="status">
        {preview.styleLabel}: {preview.summary}
      </Text>
      {choices.map((c, i) => {
        const name = `Action ${i + 1}${c.minuteRef ? `, minute ${c.minuteRef}` : ''}`;
        return (
          <fieldset key={c.key} className={styles.proposal} aria-label={name} data-testid="minutes-import-proposal">
            <legend className={styles.legend}>{name}</legend>
            <Checkbox checked={c.include} onChange={(_, d) => change(c.key, { include: d.checked === true })} label="Import this action" />
            {c.doubts.length ? (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <ul className={styles.doubts} aria-label={`To check for action ${i + 1}`}>
                    {c.doubts.map((d) => (
                      <li key={d.message}>{d.message}</li>
                    ))}
                  </ul>
                </MessageBarBody>
              </MessageBar>
            ) : null}
            <div className={styles.row}>
              <Field label="Minute" hint="8 or 8.3">
                <Input value={c.minuteRef} onChange={(_, d) => change(c.key, { minuteRef: d.value })} maxLength={20} disabled={!c.include} />
              </Field>
              <Field label="Owners">
                <Dropdown
                  multiselect
                  placeholder="Nobody yet"
                  disabled={!c.include}
                  value={c.owners.map(ownerLabel).join(', ')}
                  selectedOptions={c.owners}
                  onOptionSelect={(_, d) => change(c.key, { owners: d.selectedOptions as OwnerKey[] })}
                >
                  <OwnerOptions people={people} groups={groups} />
                </Dropdown>
              </Field>
              <Field label="Due">
                <Select value={c.dueKind} disabled={!c.include} onChange={(_, d) => change(c.key, { dueKind: d.value as Choice['dueKind'] })}>
                  <option value="next-meeting">At the next meeting</option>
                  <option value="date">By a date</option>
                </Select>
              </Field>
              {c.dueKind === 'date' ? (
                <Field label="Due date" required>
                  <DateInput value={c.dueDate} onChange={(v) => change(c.key, { dueDate: v })} disabled={!c.include} required={c.include} />
                </Field>
              ) : null}
            </div>
            <Field label="What was agreed">
              <Textarea value={c.text} onChange={(_, d) => change(c.key, { text: d.value })} maxLength={2000} resize="vertical" disabled={!c.include} />
            </Field>
          </fieldset>
        );
      })}
      {choices.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>{preview.summary}</MessageBarBody>
        </MessageBar>
      ) : null}
    </FormDialog>
  );
}
