import { useState } from 'react';
import { Dropdown, Field, Input, Option, Select, Text, makeStyles } from '@fluentui/react-components';
import {
  api,
  AUTHORITY_LABELS,
  GROUP_KIND_LABELS,
  GROUP_KINDS,
  GROUP_REMIND_VIA_LABELS,
  MEMBERSHIP_ROLE_LABELS,
  MEMBERSHIP_ROLES,
  newRequestId,
  RESPONSIBLE_AUTHORITY_KINDS,
  type BoardRecordsView,
  type GroupKind,
  type GroupView,
  type MembershipRole,
} from './api';
import type { Session } from './session';
import { FormDialog, useSubmission } from './FormDialog';
import { formatLongDate } from './ui';
import { DateInput } from './DateInput';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px', '& > *': { flex: '1 1 200px' } },
});

export type Person = BoardRecordsView['people'][number];
export type OrganisationRecord = BoardRecordsView['organisations'][number];
export type ThemeRecord = BoardRecordsView['themes'][number];

const NO_GROUP = '';

/** The first seat a new person takes: without a current membership they cannot sign in or own actions. */
export interface Seat {
  readonly groupId: string;
  readonly role: MembershipRole;
}

export function SeatFields({ records, groups, seat, onChange }: { records: BoardRecordsView; groups: readonly GroupView[]; seat: Seat; onChange: (seat: Seat) => void }) {
  const styles = useStyles();
  return (
    <div className={styles.row}>
      <Field label="Add to group" hint={`From ${formatLongDate(records.today)}; only members can sign in.`}>
        <Select value={seat.groupId} onChange={(_, d) => onChange({ ...seat, groupId: d.value })}>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
          <option value={NO_GROUP}>Not yet</option>
        </Select>
      </Field>
      <Field label="Role">
        <Select value={seat.role} onChange={(_, d) => onChange({ ...seat, role: d.value as MembershipRole })} disabled={seat.groupId === NO_GROUP}>
          {MEMBERSHIP_ROLES.map((r) => (
            <option key={r} value={r}>
              {MEMBERSHIP_ROLE_LABELS[r]}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );
}

/**
 * Gives a person just added their seat, named from the form's request id: pressing Save again
 * after a failure here adds the seat once. Answers the notice to show.
 */
export async function addSeat(session: Session, records: BoardRecordsView, groups: readonly GroupView[], seat: Seat, person: { id: string; name: string; initials: string }, requestId: string): Promise<string> {
  const group = groups.find((g) => g.id === seat.groupId);
  if (group) {
    await api(session.identity, '/api/tab/memberships', {
      method: 'POST',
      body: JSON.stringify({ membershipId: `ms-${requestId}`, groupId: group.id, memberId: person.id, role: seat.role, decisionMaker: false, deputyForMemberId: null, startDate: records.today, endDate: null }),
    });
  }
  return `Added ${person.name} (${person.initials})${group ? ` to ${group.name}` : ''}.`;
}

/**
 * Adds a person (and, usually, their seat on a group, so they can sign in and be owners), or
 * edits one. Initials are how the minutes name people: the server refuses a clash and says with whom.
 */
export function PersonDialog({ session, records, groups, existing, onClose, onSaved }: { session: Session; records: BoardRecordsView; groups: readonly GroupView[]; existing: Person | null; onClose: () => void; onSaved: (message: string) => void }) {
  const styles = useStyles();
  const [requestId] = useState(newRequestId);
  const [name, setName] = useState(existing?.name ?? '');
  const [initials, setInitials] = useState(existing?.initials ?? '');
  const [jobTitle, setJobTitle] = useState(existing?.jobTitle ?? '');
  const [organisationId, setOrganisationId] = useState(existing?.organisationId ?? '');
  const [email, setEmail] = useState(existing?.email ?? '');
  const [aadObjectId, setAadObjectId] = useState(existing?.entraObjectId ?? '');
  const [seat, setSeat] = useState<Seat>({ groupId: session.me.execGroupId, role: 'member' });
  const submission = useSubmission();

  const submit = () =>
    submission.run(async () => {
      const fields = { name, initials, jobTitle, organisationId: organisationId || null, email: email.trim() || null, aadObjectId: aadObjectId.trim() || null };
      if (existing) {
        await api(session.identity, `/api/tab/members/${encodeURIComponent(existing.id)}`, { method: 'PUT', body: JSON.stringify({ version: existing.version, ...fields }) });
        onSaved(`Saved ${name.trim()}.`);
        return;
      }
      const person = await api<Person>(session.identity, '/api/tab/members', { method: 'POST', body: JSON.stringify({ ...fields, requestId }) });
      onSaved(await addSeat(session, records, groups, seat, person, requestId));
    });

  return (
    <FormDialog title={existing ? `Edit ${existing.name}` : 'Add a person'} submitLabel={existing ? 'Save person' : 'Add person'} busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose} wide>
      <div className={styles.row}>
        <Field label="Name" required>
          <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={200} required />
        </Field>
        <Field label="Initials" hint="As the minutes print them: 1 to 4 letters" required>
          <Input value={initials} onChange={(_, d) => setInitials(d.value.toUpperCase())} maxLength={4} required />
        </Field>
      </div>
      <div className={styles.row}>
        <Field label="Job title">
          <Input value={jobTitle} onChange={(_, d) => setJobTitle(d.value)} maxLength={200} />
        </Field>
        <Field label="Organisation">
          <Select value={organisationId} onChange={(_, d) => setOrganisationId(d.value)}>
            <option value="">None recorded</option>
            {records.organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className={styles.row}>
        <Field label="Email / UPN" hint="How they sign in to Teams: links their first sign-in to this record.">
          <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} maxLength={320} />
        </Field>
        <Field label="Entra object id (optional)">
          <Input value={aadObjectId} onChange={(_, d) => setAadObjectId(d.value)} maxLength={64} />
        </Field>
      </div>
      {existing ? null : <SeatFields records={records} groups={groups} seat={seat} onChange={setSeat} />}
    </FormDialog>
  );
}

export function OrganisationDialog({ session, existing, onClose, onSaved }: { session: Session; existing: OrganisationRecord | null; onClose: () => void; onSaved: (message: string) => void }) {
  const [requestId] = useState(newRequestId);
  const [name, setName] = useState(existing?.name ?? '');
  const [authorityKind, setAuthorityKind] = useState<string>(existing?.authorityKind ?? '');
  const submission = useSubmission();
  const submit = () =>
    submission.run(async () => {
      const fields = { name, authorityKind: authorityKind || null };
      if (existing) await api(session.identity, `/api/tab/organisations/${encodeURIComponent(existing.id)}`, { method: 'PUT', body: JSON.stringify({ version: existing.version, ...fields }) });
      else await api(session.identity, '/api/tab/organisations', { method: 'POST', body: JSON.stringify({ ...fields, requestId }) });
      onSaved(`${existing ? 'Saved' : 'Added'} ${name.trim()}.`);
    });
  return (
    <FormDialog title={existing ? `Edit ${existing.name}` : 'Add an organisation'} submitLabel={existing ? 'Save organisation' : 'Add organisation'} busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose}>
      <Field label="Name" required>
        <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={200} required />
      </Field>
      <Field label="Responsible authority" hint="The five statutory partners whose absence the board tracks.">
        <Select value={authorityKind} onChange={(_, d) => setAuthorityKind(d.value)}>
          <option value="">Not a responsible authority</option>
          {RESPONSIBLE_AUTHORITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {AUTHORITY_LABELS[k]}
            </option>
          ))}
        </Select>
      </Field>
    </FormDialog>
  );
}

/** A theme and its leads: the leads are asked for the theme's report before each meeting. */
export function ThemeDialog({ session, records, existing, onClose, onSaved }: { session: Session; records: BoardRecordsView; existing: ThemeRecord | null; onClose: () => void; onSaved: (message: string) => void }) {
  const styles = useStyles();
  const [requestId] = useState(newRequestId);
  const [name, setName] = useState(existing?.name ?? '');
  const [leadMemberIds, setLeadMemberIds] = useState<string[]>(() => [...(existing?.leadMemberIds ?? [])]);
  const [priority, setPriority] = useState(existing?.priorityNumber?.toString() ?? '');
  const [activeUntil, setActiveUntil] = useState(existing?.activeUntil ?? '');
  const submission = useSubmission();
  const candidates = records.people.filter((p) => p.current || leadMemberIds.includes(p.id)).sort((a, b) => a.initials.localeCompare(b.initials));
  const initialsOf = (id: string) => records.people.find((p) => p.id === id)?.initials ?? '?';

  const submit = () =>
    submission.run(async () => {
      const fields = { name, leadMemberIds, priorityNumber: priority.trim() ? Number(priority) : null };
      if (existing) {
        await api(session.identity, `/api/tab/themes/${encodeURIComponent(existing.id)}`, { method: 'PUT', body: JSON.stringify({ version: existing.version, ...fields, activeUntil: activeUntil || null }) });
      } else {
        await api(session.identity, '/api/tab/themes', { method: 'POST', body: JSON.stringify({ ...fields, requestId }) });
      }
      onSaved(`${existing ? 'Saved' : 'Added'} the theme ${name.trim()}.`);
    });

  return (
    <FormDialog title={existing ? `Edit the theme ${existing.name}` : 'Add a theme'} submitLabel={existing ? 'Save theme' : 'Add theme'} busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose}>
      <Field label="Name" required>
        <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={200} required />
      </Field>
      <Field label="Leads" hint="Up to four current members; the first is asked for the report.">
        <Dropdown multiselect placeholder="No lead yet" value={leadMemberIds.map(initialsOf).join(', ')} selectedOptions={leadMemberIds} onOptionSelect={(_, d) => setLeadMemberIds(d.selectedOptions)}>
          {candidates.map((p) => (
            <Option key={p.id} value={p.id} text={`${p.initials} – ${p.name}`}>
              {p.initials} – {p.name}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <div className={styles.row}>
        <Field label="Priority number (optional)">
          <Input type="number" min={1} max={99} value={priority} onChange={(_, d) => setPriority(d.value)} />
        </Field>
        {existing ? (
          <Field label="Active until (optional)" hint="After this date no report is asked for.">
            <DateInput value={activeUntil} onChange={setActiveUntil} />
          </Field>
        ) : null}
      </div>
    </FormDialog>
  );
}

/** Ends a seat on a group: the record and its history stay, and the person stops being reminded. */
export function EndMembershipDialog({ session, group, membership, records, onClose, onSaved }: { session: Session; group: GroupView; membership: GroupView['members'][number]; records: BoardRecordsView; onClose: () => void; onSaved: (message: string) => void }) {
  const [endDate, setEndDate] = useState('');
  const submission = useSubmission();
  const submit = () =>
    submission.run(async () => {
      await api(session.identity, `/api/tab/memberships/${encodeURIComponent(membership.membershipId)}/end`, { method: 'POST', body: JSON.stringify({ version: membership.version, ...(endDate ? { endDate } : {}) }) });
      onSaved(`${membership.name}'s membership of ${group.name} ends on ${formatLongDate(endDate || records.today)}.`);
    });
  return (
    <FormDialog title={`End ${membership.name}'s membership of ${group.name}`} submitLabel="End membership" busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose}>
      <Text>Their past attendance and actions stay on the record.</Text>
      <Field label="Last day (optional)" hint={`Leave empty to end it today, ${formatLongDate(records.today)}.`}>
        <DateInput value={endDate} onChange={setEndDate} />
      </Field>
    </FormDialog>
  );
}

export type GroupRecord = BoardRecordsView['groups'][number];

/**
 * Adds a group or edits one: its kind, the group it reports to, the theme it delivers, and who
 * a group-owned action's reminders reach (every member, or only its chair).
 */
export function GroupDialog({ session, records, existing, onClose, onSaved }: { session: Session; records: BoardRecordsView; existing: GroupRecord | null; onClose: () => void; onSaved: (message: string) => void }) {
  const styles = useStyles();
  const [requestId] = useState(newRequestId);
  const [name, setName] = useState(existing?.name ?? '');
  const [kind, setKind] = useState<GroupKind>(existing?.kind ?? 'theme-group');
  const [parentGroupId, setParentGroupId] = useState(existing?.parentGroupId ?? '');
  const [themeId, setThemeId] = useState(existing?.themeId ?? '');
  const [remindVia, setRemindVia] = useState<'members' | 'chair'>(existing?.remindVia ?? 'members');
  const submission = useSubmission();
  const parents = records.groups.filter((g) => g.id !== existing?.id);
  const submit = () =>
    submission.run(async () => {
      const fields = { name, kind, parentGroupId: parentGroupId || null, themeId: themeId || null, remindVia };
      if (existing) await api(session.identity, `/api/tab/groups/${encodeURIComponent(existing.id)}`, { method: 'PUT', body: JSON.stringify({ version: existing.version, ...fields }) });
      else await api(session.identity, '/api/tab/groups', { method: 'POST', body: JSON.stringify({ ...fields, requestId }) });
      onSaved(`${existing ? 'Saved' : 'Added'} the group ${name.trim()}.`);
    });
  return (
    <FormDialog title={existing ? `Edit the group ${existing.name}` : 'Add a group'} submitLabel={existing ? 'Save group' : 'Add group'} busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose} wide>
      <div className={styles.row}>
        <Field label="Name" required>
          <Input value={name} onChange={(_, d) => setName(d.value)} maxLength={200} required />
        </Field>
        <Field label="Kind">
          <Select value={kind} onChange={(_, d) => setKind(d.value as GroupKind)}>
            {GROUP_KINDS.map((k) => (
              <option key={k} value={k}>
                {GROUP_KIND_LABELS[k]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className={styles.row}>
        <Field label="Reports to">
          <Select value={parentGroupId} onChange={(_, d) => setParentGroupId(d.value)}>
            <option value="">No other group</option>
            {parents.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Theme it delivers">
          <Select value={themeId} onChange={(_, d) => setThemeId(d.value)}>
            <option value="">No theme</option>
            {records.themes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Reminders for the group's actions reach" hint="A large group may prefer its chair to hand the work out.">
        <Select value={remindVia} onChange={(_, d) => setRemindVia(d.value as 'members' | 'chair')}>
          {(['members', 'chair'] as const).map((v) => (
            <option key={v} value={v}>
              {GROUP_REMIND_VIA_LABELS[v]}
            </option>
          ))}
        </Select>
      </Field>
    </FormDialog>
  );
}
