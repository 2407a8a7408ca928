import { useState } from 'react';
import { Button, Checkbox, Field, Input, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import { api, type GroupView, type Meeting } from './api';
import type { Session } from './session';
import { FormDialog, useSubmission } from './FormDialog';
import { formatLongDate } from './ui';

const useStyles = makeStyles({
  people: { display: 'flex', flexDirection: 'column', gap: '2px', border: 'none', padding: 0, margin: 0 },
  person: { display: 'grid', gridTemplateColumns: '1fr auto auto', alignItems: 'center', gap: '8px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  substitute: { display: 'grid', gridTemplateColumns: '1fr 1fr 1fr auto', gap: '8px', alignItems: 'end', '@media (max-width: 600px)': { gridTemplateColumns: '1fr' } },
  legend: { fontWeight: 600, marginBottom: '4px' },
});

type Presence = 'present' | 'apologies' | null;

interface SubstituteRow {
  readonly key: number;
  readonly name: string;
  readonly organisationId: string;
  readonly forMemberId: string;
}

/** Who came and who sent apologies, from the group's current members, and who stood in for whom. */
export function AttendanceDialog({ session, meeting, groups, onClose, onSaved }: { session: Session; meeting: Meeting; groups: readonly GroupView[]; onClose: () => void; onSaved: (m: Meeting) => void }) {
  const styles = useStyles();
  const group = groups.find((g) => g.id === meeting.groupId);
  // The current members, and anyone already recorded, so an edit never silently drops them.
  const recorded = new Set([...meeting.attendeeIds, ...meeting.apologyIds]);
  const people = (group?.members ?? []).filter((m) => m.current || recorded.has(m.memberId)).filter((m, i, all) => all.findIndex((x) => x.memberId === m.memberId) === i)
    .sort((a, b) => a.name.localeCompare(b.name));
  const [presence, setPresence] = useState<Record<string, Presence>>(() =>
    Object.fromEntries([...meeting.attendeeIds.map((id) => [id, 'present']), ...meeting.apologyIds.map((id) => [id, 'apologies'])]),
  );
  const [substitutes, setSubstitutes] = useState<SubstituteRow[]>(() => meeting.substitutes.map((s, i) => ({ key: i, name: s.name, organisationId: s.organisationId ?? '', forMemberId: s.forMemberId ?? '' })));
  const [nextKey, setNextKey] = useState(meeting.substitutes.length + 1);
  const submission = useSubmission();

  const mark = (memberId: string, value: Exclude<Presence, null>, checked: boolean) => setPresence((p) => ({ ...p, [memberId]: checked ? value : null }));
  const setSubstitute = (key: number, change: Partial<SubstituteRow>) => setSubstitutes((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));

  const submit = () =>
    submission.run(async () => {
      const ids = (value: Presence) => Object.entries(presence).filter(([, p]) => p === value).map(([id]) => id);
      const saved = await api<Meeting>(session.identity, `/api/tab/meetings/${encodeURIComponent(meeting.id)}/attendance`, {
        method: 'PUT',
        body: JSON.stringify({
          version: meeting.version,
          attendeeIds: ids('present'),
          apologyIds: ids('apologies'),
          substitutes: substitutes.filter((s) => s.name.trim()).map((s) => ({ name: s.name.trim(), organisationId: s.organisationId || null, forMemberId: s.forMemberId || null })),
        }),
      });
      onSaved(saved);
    });

  return (
    <FormDialog title={`Attendance at the meeting of ${formatLongDate(meeting.date)}`} submitLabel="Save attendance" busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose} wide>
      <fieldset className={styles.people}>
        <legend className={styles.legend}>Members of {group?.name ?? 'the group'}</legend>
        {people.length === 0 ? <Text>The group has no current members: add them on the Governance tab.</Text> : null}
        {people.map((m) => (
          <div key={m.memberId} className={styles.person} role="group" aria-label={`${m.name} (${m.initials})`} data-member-id={m.memberId}>
            <Text>
              {m.name} ({m.initials})
            </Text>
            <Checkbox label="Present" checked={presence[m.memberId] === 'present'} onChange={(_, d) => mark(m.memberId, 'present', d.checked === true)} />
            <Checkbox label="Apologies" checked={presence[m.memberId] === 'apologies'} onChange={(_, d) => mark(m.memberId, 'apologies', d.checked === true)} />
          </div>
        ))}
      </fieldset>
      <fieldset className={styles.people}>
        <legend className={styles.legend}>Substitutes</legend>
        {substitutes.map((s, index) => (
          <div key={s.key} className={styles.substitute} role="group" aria-label={`Substitute ${index + 1}`}>
            <Field label="Substitute's name">
              <Input value={s.name} onChange={(_, d) => setSubstitute(s.key, { name: d.value })} maxLength={200} />
            </Field>
            <Field label="Organisation">
              <Select value={s.organisationId} onChange={(_, d) => setSubstitute(s.key, { organisationId: d.value })}>
                <option value="">Not recorded</option>
                {session.directory.organisations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Standing in for">
              <Select value={s.forMemberId} onChange={(_, d) => setSubstitute(s.key, { forMemberId: d.value })}>
                <option value="">Nobody in particular</option>
                {people.map((m) => (
                  <option key={m.memberId} value={m.memberId}>
                    {m.initials} – {m.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Button aria-label={`Remove substitute ${index + 1}`} onClick={() => setSubstitutes((rows) => rows.filter((r) => r.key !== s.key))}>
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button
            onClick={() => {
              setSubstitutes((rows) => [...rows, { key: nextKey, name: '', organisationId: '', forMemberId: '' }]);
              setNextKey((k) => k + 1);
            }}
          >
            Add a substitute
          </Button>
        </div>
      </fieldset>
    </FormDialog>
  );
}
