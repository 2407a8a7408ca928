import { useState } from 'react';
import { Button, Field, Input, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles } from '@fluentui/react-components';
import { api, newRequestId, type BoardRecordsView, type GroupView, type RosterEntryView, type RosterImportResult } from './api';
import type { Session } from './session';
import { FormDialog, useSubmission } from './FormDialog';
import { addSeat, SeatFields, type Seat } from './PeopleForms';
import { ErrorBar, Section, useNarrow } from './ui';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px', '& > *': { flex: '1 1 200px' } },
});

/** "Priya Newcombe" → "PN": a first guess the secretariat corrects to what the minutes print. */
function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w.replace(/[^A-Za-z]/g, '')[0] ?? '')
    .join('')
    .slice(0, 4)
    .toUpperCase();
}

/**
 * Adds a member of the board's team in Teams as a person. The server takes the object id, UPN
 * and Teams id from Teams' own roster, so their first sign-in and their reminders just work.
 */
function RosterPersonDialog({ session, records, groups, entry, onClose, onSaved }: { session: Session; records: BoardRecordsView; groups: readonly GroupView[]; entry: RosterEntryView; onClose: () => void; onSaved: (message: string) => void }) {
  const styles = useStyles();
  const [requestId] = useState(newRequestId);
  const [name, setName] = useState(entry.name);
  const [initials, setInitials] = useState(initialsOf(entry.name));
  const [jobTitle, setJobTitle] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [seat, setSeat] = useState<Seat>({ groupId: session.me.execGroupId, role: 'member' });
  const submission = useSubmission();
  const submit = () =>
    submission.run(async () => {
      const imported = await api<{ people: RosterImportResult[] }>(session.identity, '/api/tab/bot/roster/import', {
        method: 'POST',
        body: JSON.stringify({ people: [{ teamsUserId: entry.teamsUserId, name, initials, jobTitle, organisationId: organisationId || null }] }),
      });
      const person = imported.people[0]!.person;
      onSaved(await addSeat(session, records, groups, seat, person, requestId));
    });
  return (
    <FormDialog title={`Add ${entry.name} from the team`} submitLabel="Add person" busy={submission.busy} error={submission.error} onSubmit={() => void submit()} onClose={onClose} wide>
      <Text>Their sign-in ({entry.userPrincipalName ?? entry.email ?? 'no address listed'}) and Teams account come from the team&rsquo;s list in Teams.</Text>
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
      <SeatFields records={records} groups={groups} seat={seat} onChange={setSeat} />
    </FormDialog>
  );
}

/** The members of the board's team in Teams, read only when asked (it is a call to Teams), and who of them is not a person here yet. */
export function TeamRoster({ session, records, groups, onSaved }: { session: Session; records: BoardRecordsView; groups: readonly GroupView[]; onSaved: (message: string) => void }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const [roster, setRoster] = useState<readonly RosterEntryView[] | null>(null);
  const [adding, setAdding] = useState<RosterEntryView | null>(null);
  const listing = useSubmission();
  const list = () =>
    listing.run(async () => {
      setRoster((await api<{ members: RosterEntryView[] }>(session.identity, '/api/tab/bot/roster')).members);
    });

  return (
    <Section title="From the Teams team">
      <Text as="p" size={200}>
        People in the board&rsquo;s team can be added with their Teams sign-in already linked, and the bot can message them without a personal install.
      </Text>
      <Button onClick={() => void list()} disabled={listing.busy}>
        {roster ? 'List the team\u2019s members again' : 'List the team\u2019s members'}
      </Button>
      <ErrorBar error={listing.error} />
      {roster ? (
        <div className={styles.scroll}>
          <Table size="small" aria-label="Members of the board’s team in Teams">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>In Teams</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Sign-in</TableHeaderCell>}
                <TableHeaderCell>Here</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {roster.map((entry) => (
                <TableRow key={entry.teamsUserId}>
                  <TableCell>{entry.name}</TableCell>
                  {narrow ? null : <TableCell>{entry.userPrincipalName ?? entry.email ?? '—'}</TableCell>}
                  <TableCell>
                    {entry.person ? (
                      `Already here as ${entry.person.initials}`
                    ) : (
                      <Button size="small" aria-label={`Add ${entry.name}`} onClick={() => setAdding(entry)}>
                        Add
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
      {adding ? (
        <RosterPersonDialog
          session={session}
          records={records}
          groups={groups}
          entry={adding}
          onClose={() => setAdding(null)}
          onSaved={(message) => {
            setAdding(null);
            onSaved(message);
            void list();
          }}
        />
      ) : null}
    </Section>
  );
}
