import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
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
import { api, AUTHORITY_LABELS, GROUP_KIND_LABELS, GROUP_REMIND_VIA_LABELS, MEMBERSHIP_ROLE_LABELS, type AuditEntryView, type BoardRecordsView, type GroupView } from './api';
import type { Session } from './App';
import { AuditTrail } from './AuditTrail';
import { TeamRoster } from './TeamRoster';
import { EndMembershipDialog, GroupDialog, OrganisationDialog, PersonDialog, ThemeDialog, type GroupRecord, type OrganisationRecord, type Person, type ThemeRecord } from './PeopleForms';
import { ErrorBar, Section, formatLongDate, useNarrow } from './ui';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  bar: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end', marginBlock: '8px' },
});

type Dialog =
  | { readonly kind: 'person'; readonly existing: Person | null }
  | { readonly kind: 'organisation'; readonly existing: OrganisationRecord | null }
  | { readonly kind: 'theme'; readonly existing: ThemeRecord | null }
  | { readonly kind: 'group'; readonly existing: GroupRecord | null }
  | { readonly kind: 'end'; readonly group: GroupView; readonly membership: GroupView['members'][number] };

interface Loaded {
  readonly records: BoardRecordsView;
  readonly groups: readonly GroupView[];
  readonly audit: readonly AuditEntryView[];
}

/** The secretariat's reference records: people, organisations, themes and their leads, memberships, and who changed what. */
export function PeopleView({ session }: { session: Session }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [showFormer, setShowFormer] = useState(false);
  const [groupId, setGroupId] = useState(session.me.execGroupId);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [records, groups, audit] = await Promise.all([
        api<BoardRecordsView>(session.identity, '/api/tab/records'),
        api<{ groups: GroupView[] }>(session.identity, '/api/tab/groups'),
        api<{ entries: AuditEntryView[] }>(session.identity, '/api/tab/audit'),
      ]);
      setLoaded({ records, groups: groups.groups, audit: audit.entries });
    } catch (e) {
      setError(e);
    }
  }, [session.identity]);
  useEffect(() => {
    void load();
  }, [load]);

  /** The notice shows once the lists are read again, so what it announces is on the screen. */
  const saved = async (message: string) => {
    setDialog(null);
    setNotice(null);
    await Promise.all([load(), session.refresh()]);
    setNotice(message);
  };

  if (!loaded) return error ? <ErrorBar error={error} /> : <Spinner label="Loading people…" />;
  const { records, groups, audit } = loaded;
  const organisation = (id: string | null) => records.organisations.find((o) => o.id === id)?.name ?? '—';
  const initials = (id: string) => records.people.find((p) => p.id === id)?.initials ?? '?';
  const former = (p: Person) => !p.current && groups.some((g) => g.members.some((m) => m.memberId === p.id));
  const people = records.people.filter((p) => showFormer || !former(p)).sort((a, b) => a.name.localeCompare(b.name));
  const group = groups.find((g) => g.id === groupId) ?? groups[0];
  // The themes reports are asked for come first; those that ended stay listed below them.
  const active = (t: ThemeRecord) => t.activeUntil === null || t.activeUntil >= records.today;
  const themes = [...records.themes].sort((a, b) => Number(active(b)) - Number(active(a)) || (a.priorityNumber ?? 99) - (b.priorityNumber ?? 99) || a.name.localeCompare(b.name));

  return (
    <div>
      <ErrorBar error={error} />
      {notice ? (
        <MessageBar intent="success" role="status" data-testid="people-notice">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}

      <Section title="People">
        <div className={styles.bar}>
          <Button appearance="primary" onClick={() => setDialog({ kind: 'person', existing: null })}>
            Add person
          </Button>
          <Checkbox label="Show former members" checked={showFormer} onChange={(_, d) => setShowFormer(d.checked === true)} />
        </div>
        <div className={styles.scroll}>
          <Table size="small" aria-label="People">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Person</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Job title</TableHeaderCell>}
                <TableHeaderCell>Organisation</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Email / UPN</TableHeaderCell>}
                <TableHeaderCell>Edit</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {people.map((p) => (
                <TableRow key={p.id} data-member-id={p.id}>
                  <TableCell>
                    {p.initials} – {p.name}
                    {former(p) ? ' (former member)' : p.current ? '' : ' (not on any group yet)'}
                  </TableCell>
                  {narrow ? null : <TableCell>{p.jobTitle || '—'}</TableCell>}
                  <TableCell>{organisation(p.organisationId)}</TableCell>
                  {narrow ? null : <TableCell>{p.email ?? '—'}</TableCell>}
                  <TableCell>
                    <Button size="small" aria-label={`Edit ${p.initials}`} onClick={() => setDialog({ kind: 'person', existing: p })}>
                      Edit
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </Section>

      <TeamRoster session={session} records={records} groups={groups} onSaved={(m) => void saved(m)} />

      <Section title="Memberships">
        <div className={styles.bar}>
          <Field label="Group">
            <Select value={group?.id ?? ''} onChange={(_, d) => setGroupId(d.value)}>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </Select>
          </Field>
          <Text size={200}>Add members and change roles on the Governance tab.</Text>
        </div>
        {group ? (
          <div className={styles.scroll}>
            <Table size="small" aria-label={`Current members of ${group.name}`}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Member</TableHeaderCell>
                  <TableHeaderCell>Role</TableHeaderCell>
                  {narrow ? null : <TableHeaderCell>Since</TableHeaderCell>}
                  <TableHeaderCell>End</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {group.members
                  .filter((m) => m.current)
                  .map((m) => (
                    <TableRow key={m.membershipId}>
                      <TableCell>
                        {m.initials} – {m.name}
                      </TableCell>
                      <TableCell>{MEMBERSHIP_ROLE_LABELS[m.role]}</TableCell>
                      {narrow ? null : <TableCell>{formatLongDate(m.startDate)}</TableCell>}
                      <TableCell>
                        <Button size="small" aria-label={`End membership: ${m.initials}`} onClick={() => setDialog({ kind: 'end', group, membership: m })}>
                          End membership
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
              </TableBody>
            </Table>
          </div>
        ) : null}
      </Section>

      <Section title="Organisations">
        <div className={styles.bar}>
          <Button onClick={() => setDialog({ kind: 'organisation', existing: null })}>Add organisation</Button>
        </div>
        <div className={styles.scroll}>
          <Table size="small" aria-label="Organisations">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Organisation</TableHeaderCell>
                <TableHeaderCell>Responsible authority</TableHeaderCell>
                <TableHeaderCell>Edit</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {records.organisations.map((o) => (
                <TableRow key={o.id}>
                  <TableCell>{o.name}</TableCell>
                  <TableCell>{o.authorityKind ? AUTHORITY_LABELS[o.authorityKind] : 'No'}</TableCell>
                  <TableCell>
                    <Button size="small" aria-label={`Edit ${o.name}`} onClick={() => setDialog({ kind: 'organisation', existing: o })}>
                      Edit
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </Section>

      <Section title="Themes">
        <div className={styles.bar}>
          <Button onClick={() => setDialog({ kind: 'theme', existing: null })}>Add theme</Button>
        </div>
        <div className={styles.scroll}>
          <Table size="small" aria-label="Themes">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Theme</TableHeaderCell>
                <TableHeaderCell>Leads</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Active until</TableHeaderCell>}
                <TableHeaderCell>Edit</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {themes.map((t) => (
                <TableRow key={t.id} data-theme-id={t.id}>
                  <TableCell>
                    {t.priorityNumber ? `${t.priorityNumber}. ` : ''}
                    {t.name}
                  </TableCell>
                  <TableCell>{t.leadMemberIds.map(initials).join(', ') || t.leadNote || 'No lead yet'}</TableCell>
                  {narrow ? null : <TableCell>{t.activeUntil ? formatLongDate(t.activeUntil) : 'Active'}</TableCell>}
                  <TableCell>
                    <Button size="small" aria-label={`Edit the theme ${t.name}`} onClick={() => setDialog({ kind: 'theme', existing: t })}>
                      Edit
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </Section>

      <Section title="Groups">
        <div className={styles.bar}>
          <Button onClick={() => setDialog({ kind: 'group', existing: null })}>Add group</Button>
        </div>
        <div className={styles.scroll}>
          <Table size="small" aria-label="Groups">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Group</TableHeaderCell>
                <TableHeaderCell>Kind</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Reports to</TableHeaderCell>}
                {narrow ? null : <TableHeaderCell>Theme</TableHeaderCell>}
                {narrow ? null : <TableHeaderCell>Reminders reach</TableHeaderCell>}
                <TableHeaderCell>Edit</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {records.groups.map((g) => (
                <TableRow key={g.id} data-group-id={g.id}>
                  <TableCell>{g.name}</TableCell>
                  <TableCell>{GROUP_KIND_LABELS[g.kind]}</TableCell>
                  {narrow ? null : <TableCell>{records.groups.find((p) => p.id === g.parentGroupId)?.name ?? '—'}</TableCell>}
                  {narrow ? null : <TableCell>{records.themes.find((t) => t.id === g.themeId)?.name ?? '—'}</TableCell>}
                  {narrow ? null : <TableCell>{GROUP_REMIND_VIA_LABELS[g.remindVia ?? 'members']}</TableCell>}
                  <TableCell>
                    <Button size="small" aria-label={`Edit the group ${g.name}`} onClick={() => setDialog({ kind: 'group', existing: g })}>
                      Edit
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </Section>

      <AuditTrail entries={audit} />

      {dialog?.kind === 'person' ? <PersonDialog session={session} records={records} groups={groups} existing={dialog.existing} onClose={() => setDialog(null)} onSaved={(m) => void saved(m)} /> : null}
      {dialog?.kind === 'organisation' ? <OrganisationDialog session={session} existing={dialog.existing} onClose={() => setDialog(null)} onSaved={(m) => void saved(m)} /> : null}
      {dialog?.kind === 'theme' ? <ThemeDialog session={session} records={records} existing={dialog.existing} onClose={() => setDialog(null)} onSaved={(m) => void saved(m)} /> : null}
      {dialog?.kind === 'group' ? <GroupDialog session={session} records={records} existing={dialog.existing} onClose={() => setDialog(null)} onSaved={(m) => void saved(m)} /> : null}
      {dialog?.kind === 'end' ? <EndMembershipDialog session={session} group={dialog.group} membership={dialog.membership} records={records} onClose={() => setDialog(null)} onSaved={(m) => void saved(m)} /> : null}
    </div>
  );
}
