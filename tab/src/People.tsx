import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Spinner,
  Text,
  makeStyles,
} from '@fluentui/react-components';
import { api, AUTHORITY_LABELS, GROUP_KIND_LABELS, GROUP_REMIND_VIA_LABELS, MEMBERSHIP_ROLE_LABELS, type AuditEntryView, type BoardRecordsView, type GroupView } from './api';
import type { Session } from './session';
import { AuditTrail } from './AuditTrail';
import { RecordTable } from './RecordTable';
import { TeamRoster } from './TeamRoster';
import { EndMembershipDialog, GroupDialog, OrganisationDialog, PersonDialog, ThemeDialog, type GroupRecord, type OrganisationRecord, type Person, type ThemeRecord } from './PeopleForms';
import { ErrorBar, Section, formatLongDate, useNarrow } from './ui';

const useStyles = makeStyles({
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
        <RecordTable
          label="People"
          rows={people}
          rowKey={(p) => p.id}
          rowData={(p) => ({ 'data-member-id': p.id })}
          narrow={narrow}
          columns={[
            { header: 'Person', cell: (p) => `${p.initials} – ${p.name}${former(p) ? ' (former member)' : p.current ? '' : ' (not on any group yet)'}` },
            { header: 'Job title', cell: (p) => p.jobTitle || '—', wideOnly: true },
            { header: 'Organisation', cell: (p) => organisation(p.organisationId) },
            { header: 'Email / UPN', cell: (p) => p.email ?? '—', wideOnly: true },
          ]}
          action={{ header: 'Edit', text: 'Edit', label: (p) => `Edit ${p.initials}`, onClick: (p) => setDialog({ kind: 'person', existing: p }) }}
        />
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
          <RecordTable
            label={`Current members of ${group.name}`}
            rows={group.members.filter((m) => m.current)}
            rowKey={(m) => m.membershipId}
            narrow={narrow}
            columns={[
              { header: 'Member', cell: (m) => `${m.initials} – ${m.name}` },
              { header: 'Role', cell: (m) => MEMBERSHIP_ROLE_LABELS[m.role] },
              { header: 'Since', cell: (m) => formatLongDate(m.startDate), wideOnly: true },
            ]}
            action={{ header: 'End', text: 'End membership', label: (m) => `End membership: ${m.initials}`, onClick: (m) => setDialog({ kind: 'end', group, membership: m }) }}
          />
        ) : null}
      </Section>

      <Section title="Organisations">
        <div className={styles.bar}>
          <Button onClick={() => setDialog({ kind: 'organisation', existing: null })}>Add organisation</Button>
        </div>
        <RecordTable
          label="Organisations"
          rows={records.organisations}
          rowKey={(o) => o.id}
          narrow={narrow}
          columns={[
            { header: 'Organisation', cell: (o) => o.name },
            { header: 'Responsible authority', cell: (o) => (o.authorityKind ? AUTHORITY_LABELS[o.authorityKind] : 'No') },
          ]}
          action={{ header: 'Edit', text: 'Edit', label: (o) => `Edit ${o.name}`, onClick: (o) => setDialog({ kind: 'organisation', existing: o }) }}
        />
      </Section>

      <Section title="Themes">
        <div className={styles.bar}>
          <Button onClick={() => setDialog({ kind: 'theme', existing: null })}>Add theme</Button>
        </div>
        <RecordTable
          label="Themes"
          rows={themes}
          rowKey={(t) => t.id}
          rowData={(t) => ({ 'data-theme-id': t.id })}
          narrow={narrow}
          columns={[
            { header: 'Theme', cell: (t) => `${t.priorityNumber ? `${t.priorityNumber}. ` : ''}${t.name}` },
            { header: 'Leads', cell: (t) => t.leadMemberIds.map(initials).join(', ') || t.leadNote || 'No lead yet' },
            { header: 'Active until', cell: (t) => (t.activeUntil ? formatLongDate(t.activeUntil) : 'Active'), wideOnly: true },
          ]}
          action={{ header: 'Edit', text: 'Edit', label: (t) => `Edit the theme ${t.name}`, onClick: (t) => setDialog({ kind: 'theme', existing: t }) }}
        />
      </Section>

      <Section title="Groups">
        <div className={styles.bar}>
          <Button onClick={() => setDialog({ kind: 'group', existing: null })}>Add group</Button>
        </div>
        <RecordTable
          label="Groups"
          rows={records.groups}
          rowKey={(g) => g.id}
          rowData={(g) => ({ 'data-group-id': g.id })}
          narrow={narrow}
          columns={[
            { header: 'Group', cell: (g) => g.name },
            { header: 'Kind', cell: (g) => GROUP_KIND_LABELS[g.kind] },
            { header: 'Reports to', cell: (g) => records.groups.find((p) => p.id === g.parentGroupId)?.name ?? '—', wideOnly: true },
            { header: 'Theme', cell: (g) => records.themes.find((t) => t.id === g.themeId)?.name ?? '—', wideOnly: true },
            { header: 'Reminders reach', cell: (g) => GROUP_REMIND_VIA_LABELS[g.remindVia ?? 'members'], wideOnly: true },
          ]}
          action={{ header: 'Edit', text: 'Edit', label: (g) => `Edit the group ${g.name}`, onClick: (g) => setDialog({ kind: 'group', existing: g }) }}
        />
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
