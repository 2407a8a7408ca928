import { useCallback, useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { api, AUTHORITY_LABELS, MEMBERSHIP_ROLES, MEMBERSHIP_ROLE_LABELS, type MembershipRole, type Attendance, type Governance, type GroupGovernance, type GroupMember } from './api';
import type { Session } from './session';
import { ErrorBar, Section, formatDate, useNarrow } from './ui';
import { DateInput } from './DateInput';
import { ChairsLetters } from './ChairsLetters';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  badges: { display: 'flex', flexWrap: 'wrap', gap: '4px', marginBlock: '4px' },
  form: { display: 'flex', flexDirection: 'column', gap: '8px' },
});

interface Editing {
  readonly groupId: string;
  readonly existing: GroupMember | null;
}

function MembershipDialog({ session, editing, onClose, onSaved }: { session: Session; editing: Editing; onClose: () => void; onSaved: () => void }) {
  const styles = useStyles();
  const e = editing.existing;
  const [memberId, setMemberId] = useState(e?.memberId ?? '');
  const [role, setRole] = useState(e?.role ?? 'member');
  const [decisionMaker, setDecisionMaker] = useState(e?.decisionMaker ?? false);
  const [deputyFor, setDeputyFor] = useState(e?.deputyFor ? (session.directory.members.find((m) => m.initials === e.deputyFor)?.id ?? '') : '');
  const [startDate, setStartDate] = useState(e?.startDate ?? new Date().toISOString().slice(0, 10));
  const [endDate, setEndDate] = useState(e?.endDate ?? '');
  const [error, setError] = useState<unknown>(null);
  const save = async () => {
    setError(null);
    const fields = { groupId: editing.groupId, memberId, role, decisionMaker, deputyForMemberId: deputyFor || null, startDate, endDate: endDate || null };
    try {
      if (e) await api(session.identity, `/api/tab/memberships/${encodeURIComponent(e.membershipId)}`, { method: 'PUT', body: JSON.stringify({ ...fields, version: e.version }) });
      else await api(session.identity, '/api/tab/memberships', { method: 'POST', body: JSON.stringify(fields) });
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-label="Membership">
        <DialogBody>
          <DialogTitle>{e ? `Change ${e.initials}'s membership` : 'Add a member to this group'}</DialogTitle>
          <DialogContent className={styles.form}>
            <ErrorBar error={error} onReload={onSaved} />
            <Field label="Member">
              <Select aria-label="Member" value={memberId} disabled={!!e} onChange={(_, d) => setMemberId(d.value)}>
                <option value="">Choose…</option>
                {session.directory.members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.initials} – {m.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Role">
              <Select aria-label="Role" value={role} onChange={(_, d) => setRole(d.value as MembershipRole)}>
                {MEMBERSHIP_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {MEMBERSHIP_ROLE_LABELS[r]}
                  </option>
                ))}
              </Select>
            </Field>
            <Checkbox label="Decision-maker for their organisation" checked={decisionMaker} onChange={(_, d) => setDecisionMaker(d.checked === true)} />
            <Field label="Deputy for">
              <Select aria-label="Deputy for" value={deputyFor} onChange={(_, d) => setDeputyFor(d.value)}>
                <option value="">Nobody</option>
                {session.directory.members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.initials} – {m.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Start">
              <DateInput value={startDate} onChange={setStartDate} aria-label="Start date" />
            </Field>
            <Field label="End (empty = current)">
              <DateInput value={endDate} onChange={setEndDate} aria-label="End date" />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button appearance="primary" disabled={!memberId} onClick={() => void save()}>
              Save
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function GroupCard({ group, canEdit, onEdit, showEnded }: { group: GroupGovernance; canEdit: boolean; onEdit: (e: Editing) => void; showEnded: boolean }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const members = group.members.filter((m) => showEnded || m.current);
  return (
    <Section title={group.name}>
      <div className={styles.badges}>
        {group.missingAuthorities.map((k) => (
          <Badge key={`m-${k}`} color="danger" appearance="tint">
            No {AUTHORITY_LABELS[k] ?? k} member
          </Badge>
        ))}
        {group.absentAuthorities.map((k) => (
          <Badge key={`a-${k}`} color="warning" appearance="tint">
            {AUTHORITY_LABELS[k] ?? k}: nobody at the last {group.recentMeetingIds.length} meeting{group.recentMeetingIds.length === 1 ? '' : 's'}
          </Badge>
        ))}
      </div>
      {members.length === 0 ? <Text>No current members.</Text> : null}
      {members.length ? (
        <div className={styles.scroll}>
          <Table size="small" aria-label={`Members of ${group.name}`}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Member</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Organisation</TableHeaderCell>}
                <TableHeaderCell>Role</TableHeaderCell>
                <TableHeaderCell>Decision-maker</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Deputy for</TableHeaderCell>}
                {narrow ? null : <TableHeaderCell>Term</TableHeaderCell>}
                {canEdit ? <TableHeaderCell>Edit</TableHeaderCell> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.map((m) => (
                <TableRow key={m.membershipId}>
                  <TableCell>
                    {m.initials} – {m.name}
                  </TableCell>
                  {narrow ? null : <TableCell>{m.organisation ?? '—'}</TableCell>}
                  <TableCell>{m.roleLabel}</TableCell>
                  <TableCell>{m.decisionMaker ? 'Yes' : 'No'}</TableCell>
                  {narrow ? null : <TableCell>{m.deputyFor ?? ''}</TableCell>}
                  {narrow ? null : (
                    <TableCell>
                      {formatDate(m.startDate)} – {m.endDate ? formatDate(m.endDate) : 'now'}
                    </TableCell>
                  )}
                  {canEdit ? (
                    <TableCell>
                      <Button size="small" onClick={() => onEdit({ groupId: group.id, existing: m })} aria-label={`Edit ${m.initials} in ${group.name}`}>
                        Edit
                      </Button>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
      {canEdit ? (
        <Button size="small" onClick={() => onEdit({ groupId: group.id, existing: null })} style={{ marginTop: 4 }}>
          Add member to {group.name}
        </Button>
      ) : null}
    </Section>
  );
}

export function GovernanceView({ session }: { session: Session }) {
  const styles = useStyles();
  const [governance, setGovernance] = useState<Governance | null>(null);
  const [attendance, setAttendance] = useState<Attendance | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [showEnded, setShowEnded] = useState(false);
  const canEdit = session.me.roles.secretariat || session.me.roles.chair;

  const load = useCallback(async () => {
    setError(null);
    try {
      const [g, a] = await Promise.all([
        api<Governance>(session.identity, '/api/tab/governance'),
        api<Attendance>(session.identity, '/api/tab/governance/attendance'),
      ]);
      setGovernance(g);
      setAttendance(a);
    } catch (e) {
      setError(e);
    }
  }, [session.identity]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div>
      <ErrorBar error={error} />
      {!governance || !attendance ? (
        error ? null : <Spinner label="Loading the membership lists…" />
      ) : (
        <>
          <Checkbox label="Show past memberships" checked={showEnded} onChange={(_, d) => setShowEnded(d.checked === true)} />
          {canEdit ? <ChairsLetters session={session} /> : null}
          {governance.groups.map((g) => (
            <GroupCard key={g.id} group={g} canEdit={canEdit} onEdit={setEditing} showEnded={showEnded} />
          ))}
          <Section title={`Attendance by meeting, ${formatDate(attendance.from)} – ${formatDate(attendance.to)}`}>
            <div className={styles.scroll}>
              <Table size="small" aria-label="Attendance by meeting">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Meeting</TableHeaderCell>
                    <TableHeaderCell>Attended</TableHeaderCell>
                    <TableHeaderCell>Apologies</TableHeaderCell>
                    <TableHeaderCell>Authorities present</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {attendance.byMeeting.map((m) => (
                    <TableRow key={m.meetingId}>
                      <TableCell>
                        {formatDate(m.date)} {m.groupName}
                      </TableCell>
                      <TableCell>{m.attendees.length}: {m.attendees.join(', ')}</TableCell>
                      <TableCell>{m.apologies.join(', ') || '—'}</TableCell>
                      <TableCell>{m.authoritiesPresent.map((k) => AUTHORITY_LABELS[k] ?? k).join(', ')}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          </Section>
          <Section title="Attendance by organisation">
            <div className={styles.scroll}>
              <Table size="small" aria-label="Attendance by organisation">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Organisation</TableHeaderCell>
                    <TableHeaderCell>Meetings attended (of {attendance.meetingsHeld})</TableHeaderCell>
                    <TableHeaderCell>Apologies only</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {attendance.byOrganisation.map((o) => (
                    <TableRow key={o.organisationId ?? 'none'}>
                      <TableCell>
                        {o.organisation}
                        {o.authorityKind ? ` (${AUTHORITY_LABELS[o.authorityKind] ?? o.authorityKind})` : ''}
                      </TableCell>
                      <TableCell>{o.meetingsAttended}</TableCell>
                      <TableCell>{o.meetingsWithApologiesOnly}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          </Section>
        </>
      )}
      {editing ? (
        <MembershipDialog
          session={session}
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      ) : null}
    </div>
  );
}
