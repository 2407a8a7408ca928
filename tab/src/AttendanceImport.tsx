import { useRef, useState } from 'react';
import { Button, Checkbox, Field, Input, Radio, RadioGroup, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { decodeReportBytes } from '../../bot/domain/attendance-report.js';
import { checkTeamsJoinLink } from '../../bot/domain/teams-join-link.js';
import type { AbsentAs, AttendanceImportPreview, AttendanceImportResult } from '../../bot/services/attendance-import.js';
import { api, type Meeting } from './api';
import type { Session } from './session';
import { FormDialog, useSubmission } from './FormDialog';
import { formatLongDate } from './ui';

const useStyles = makeStyles({
  source: { display: 'flex', flexDirection: 'column', gap: '8px' },
  scroll: { overflowX: 'auto' },
  row: { display: 'grid', gridTemplateColumns: 'minmax(10em, 1fr) 1fr 1fr', gap: '8px', alignItems: 'end', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, paddingBlock: '6px', '@media (max-width: 600px)': { gridTemplateColumns: '1fr' } },
  note: { color: tokens.colorNeutralForeground2 },
});

/** The server's limit for the file as base64 (bot/http/attendance-import-api.ts): a larger file is sent as its text. */
const MAX_BASE64_CHARS = 240_000;

/** The report as the server takes it, sent again with the confirm: a file, pasted text, or which Teams meeting (and report) to fetch. */
type TeamsSource = { readonly joinWebUrl: string; readonly organizerMemberId: string; readonly reportId?: string };
type Source = { readonly fileBase64: string } | { readonly text: string } | { readonly teams: TeamsSource };

/** Where the report comes from, when the server can fetch it from Teams (GET /api/tab/me's canFetchAttendanceFromTeams). */
type Way = 'teams' | 'upload';

interface SubstituteChoice {
  readonly record: boolean;
  readonly organisationId: string;
  readonly forMemberId: string;
}

const ABSENT_CHOICES: readonly { value: AbsentAs; label: string }[] = [
  { value: 'absent', label: 'Absent' },
  { value: 'apologies', label: 'Apologies' },
  { value: 'present', label: 'Present (not in the Teams report)' },
];

/** Said when Teams cannot be asked about anyone: nobody listed has used Safer Exec in Teams yet. */
const NOBODY_IN_TEAMS = 'Nobody on the list has used Safer Exec in Teams yet, so Teams cannot be asked for their meetings: upload the report instead.';

/** The members Teams can be asked about (GET /api/tab/me's teamsOrganiserMemberIds), by name. */
function organiserChoices(session: Session): readonly { readonly id: string; readonly name: string; readonly initials: string }[] {
  const linked = new Set(session.me.teamsOrganiserMemberIds);
  return session.directory.members.filter((m) => linked.has(m.id)).sort((a, b) => a.name.localeCompare(b.name));
}

async function readFile(file: File): Promise<Source> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const fileBase64 = btoa(binary);
  if (fileBase64.length <= MAX_BASE64_CHARS) return { fileBase64 };
  // UTF-16 doubles the size: as text a large report still fits. What cannot be read is refused here, in the same words.
  const text = decodeReportBytes(bytes);
  if (!text.ok) throw new Error(text.error.message);
  return { text: text.value };
}

/**
 * Imports a meeting's attendance from the report Teams gives the organiser (the meeting's
 * Attendance tab, "Download"): upload it or paste it, review who matched, who did not and who is
 * missing, choose organisations for substitutes, and record it. Nothing is saved before that.
 * When the server can fetch reports through Graph, the report can instead be fetched from Teams by
 * the meeting's join link; the review and the record are the same either way.
 */
export function AttendanceImportDialog({ session, meeting, onClose, onSaved }: { session: Session; meeting: Meeting; onClose: () => void; onSaved: (result: AttendanceImportResult) => void }) {
  const styles = useStyles();
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const canFetch = session.me.canFetchAttendanceFromTeams;
  const [way, setWay] = useState<Way>(canFetch ? 'teams' : 'upload');
  const [joinLink, setJoinLink] = useState('');
  // The people Teams can be asked about (the server knows whose Teams account it has): the caller first when they are one of them.
  const organisers = organiserChoices(session);
  const [organiser, setOrganiser] = useState(organisers.some((m) => m.id === session.me.member.id) ? session.me.member.id : '');
  const [joinLinkProblem, setJoinLinkProblem] = useState<string | null>(null);
  const [organiserProblem, setOrganiserProblem] = useState<string | null>(null);
  const joinLinkInput = useRef<HTMLInputElement>(null);
  const organiserSelect = useRef<HTMLSelectElement>(null);
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<AttendanceImportPreview | null>(null);
  const [substitutes, setSubstitutes] = useState<Record<number, SubstituteChoice>>({});
  const [absent, setAbsent] = useState<Record<string, AbsentAs>>({});
  const submission = useSubmission();
  const base = `/api/tab/meetings/${encodeURIComponent(meeting.id)}/attendance-import`;

  const showPreview = (chosen: Source, answer: AttendanceImportPreview) => {
    setSource(chosen);
    setPreview(answer);
    setSubstitutes(Object.fromEntries(answer.substitutes.map((s) => [s.row, { record: s.record, organisationId: s.organisationId ?? '', forMemberId: s.forMemberId ?? '' }])));
    setAbsent(Object.fromEntries(answer.absent.map((a) => [a.memberId, a.proposed])));
  };

  const runPreview = () =>
    submission.run(async () => {
      const chosen: Source | null = file ? await readFile(file) : pasted.trim() ? { text: pasted } : null;
      if (!chosen) throw new Error('Choose the downloaded attendance report, or paste its text.');
      showPreview(chosen, await api<AttendanceImportPreview>(session.identity, `${base}/preview`, { method: 'POST', body: JSON.stringify(chosen) }));
    });

  /** Checked here first, so a wrong paste is explained before anything goes to Teams. */
  const runFetch = () => {
    const link = checkTeamsJoinLink(joinLink);
    const byProblem = organiser ? null : organisers.length ? 'Choose who organised the meeting in Teams: Teams keeps its attendance reports with them.' : NOBODY_IN_TEAMS;
    setJoinLinkProblem(link.ok ? null : link.problem);
    setOrganiserProblem(byProblem);
    if (!link.ok || byProblem) {
      submission.setError(null);
      // Focus on the field to correct: its message is read out with it.
      (link.ok ? organiserSelect : joinLinkInput).current?.focus();
      return;
    }
    const asked: TeamsSource = { joinWebUrl: link.joinWebUrl, organizerMemberId: organiser };
    return submission.run(async () => {
      const answer = await api<AttendanceImportPreview>(session.identity, `${base}/teams`, { method: 'POST', body: JSON.stringify(asked) });
      // The confirm names the report this preview came from, so a report Teams adds meanwhile is not recorded unseen.
      showPreview({ teams: { ...asked, ...(answer.report.reportId ? { reportId: answer.report.reportId } : {}) } }, answer);
    });
  };

  const runConfirm = () =>
    submission.run(async () => {
      if (!preview || !source) return;
      const result = await api<AttendanceImportResult>(session.identity, `${base}/confirm`, {
        method: 'POST',
        body: JSON.stringify({
          version: preview.meeting.version,
          ...source,
          decisions: {
            substitutes: preview.substitutes.map((s) => {
              const c = substitutes[s.row]!;
              return { row: s.row, record: c.record, organisationId: c.organisationId || null, forMemberId: c.forMemberId || null };
            }),
            members: preview.absent.map((a) => ({ memberId: a.memberId, as: absent[a.memberId] ?? a.proposed })),
          },
        }),
      });
      onSaved(result);
    });

  // The upload as it always was; with the Teams way on it is the second choice, the same fields.
  const uploadFields = (
    <div className={styles.source}>
      <label htmlFor="attendance-report-file">
        <Text weight="semibold">Attendance report file</Text>
      </label>
      <input id="attendance-report-file" type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      <Field label="Or paste the report">
        <Textarea value={pasted} onChange={(_, d) => setPasted(d.value)} disabled={file !== null} resize="vertical" rows={5} />
      </Field>
    </div>
  );

  const setSubstitute = (row: number, change: Partial<SubstituteChoice>) => setSubstitutes((all) => ({ ...all, [row]: { ...all[row]!, ...change } }));
  const title = `Import attendance from Teams: the meeting of ${formatLongDate(meeting.date)}`;

  if (!preview && canFetch) {
    const fromTeams = way === 'teams';
    return (
      <FormDialog
        title={title}
        submitLabel={fromTeams ? (submission.busy ? 'Fetching from Teams…' : 'Fetch from Teams') : submission.busy ? 'Reading the report…' : 'Preview'}
        busy={submission.busy}
        error={submission.error}
        onSubmit={() => void (fromTeams ? runFetch() : runPreview())}
        onClose={onClose}
        wide
      >
        <Text>Fetch the meeting&rsquo;s attendance report straight from Teams, or upload the report downloaded from its <strong>Attendance</strong> tab. You will see who it matches before anything is saved.</Text>
        <Field label="Where the report comes from">
          <RadioGroup
            value={way}
            onChange={(_, d) => {
              setWay(d.value as Way);
              // The file input is made afresh when it shows again: forget the file it no longer shows, and the last refusal.
              setFile(null);
              submission.setError(null);
            }}
          >
            <Radio value="teams" label="Fetch it from Teams with the meeting’s join link" />
            <Radio value="upload" label="Upload or paste the downloaded report" />
          </RadioGroup>
        </Field>
        {fromTeams ? (
          <div className={styles.source}>
            <Field
              label="Teams join link"
              // A problem says how to copy the link itself: the hint would repeat it.
              hint={joinLinkProblem ? undefined : 'In Outlook or the Teams calendar, open the meeting and copy the link behind “Join the meeting now”.'}
              validationState={joinLinkProblem ? 'error' : 'none'}
              validationMessage={joinLinkProblem ?? undefined}
            >
              <Input
                ref={joinLinkInput}
                value={joinLink}
                inputMode="url"
                autoComplete="off"
                onChange={(_, d) => {
                  setJoinLink(d.value);
                  setJoinLinkProblem(null);
                }}
              />
            </Field>
            <Field
              label="Who organised the meeting in Teams"
              hint={organiserProblem ? undefined : organisers.length ? 'Teams keeps a meeting’s attendance reports with its organiser, for a year. Listed are the people who have used Safer Exec in Teams.' : NOBODY_IN_TEAMS}
              validationState={organiserProblem ? 'error' : 'none'}
              validationMessage={organiserProblem ?? undefined}
            >
              <Select
                ref={organiserSelect}
                value={organiser}
                onChange={(_, d) => {
                  setOrganiser(d.value);
                  setOrganiserProblem(null);
                }}
              >
                {organiser ? null : <option value="">Choose the organiser</option>}
                {organisers.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name} ({m.initials}){m.id === session.me.member.id ? ', you' : ''}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ) : (
          uploadFields
        )}
      </FormDialog>
    );
  }

  if (!preview) {
    return (
      <FormDialog title={title} submitLabel={submission.busy ? 'Reading the report…' : 'Preview'} busy={submission.busy} error={submission.error} onSubmit={() => void runPreview()} onClose={onClose} wide>
        <Text>
          In Teams, open the meeting&rsquo;s <strong>Attendance</strong> tab and download the report. Upload that file as it is, or paste its text. You will see who it matches before anything is saved.
        </Text>
        {uploadFields}
      </FormDialog>
    );
  }

  const others = preview.absent.filter((a) => (absent[a.memberId] ?? a.proposed) !== 'present');
  return (
    <FormDialog
      title={title}
      submitLabel="Record attendance"
      busy={submission.busy}
      error={submission.error}
      onSubmit={() => void runConfirm()}
      onClose={onClose}
      wide
      extraActions={
        <Button
          onClick={() => {
            setPreview(null);
            setSource(null);
          }}
        >
          Choose another report
        </Button>
      }
    >
      <Text>{preview.message}</Text>
      <section aria-label="Present">
        <Text weight="semibold" as="h3">
          Present ({preview.present.length})
        </Text>
        {preview.present.length === 0 ? (
          <Text as="p">Nobody in the report is a member of {preview.meeting.groupName}.</Text>
        ) : (
          <div className={styles.scroll}>
            <Table size="small" aria-label="Members present">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Member</TableHeaderCell>
                  <TableHeaderCell>In the report as</TableHeaderCell>
                  <TableHeaderCell>Matched by</TableHeaderCell>
                  <TableHeaderCell>Minutes</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {preview.present.map((p) => (
                  <TableRow key={p.memberId}>
                    <TableCell>
                      {p.name} ({p.initials})
                    </TableCell>
                    <TableCell>{p.reportName}</TableCell>
                    <TableCell>{p.matchedByLabel}</TableCell>
                    <TableCell>{p.minutes ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>

      <section aria-label="Not members of the group">
        <Text weight="semibold" as="h3">
          Not members of {preview.meeting.groupName} ({preview.substitutes.length})
        </Text>
        {preview.substitutes.length === 0 ? <Text as="p">Everyone in the report is a member.</Text> : null}
        {preview.substitutes.map((s) => {
          const choice = substitutes[s.row]!;
          return (
            <div key={s.row} className={styles.row} role="group" aria-label={`${s.name}${s.guest ? ' (guest)' : ''}`}>
              <div>
                <Checkbox label={`Record ${s.name}${s.guest ? ' (guest)' : ''} as a substitute`} checked={choice.record} onChange={(_, d) => setSubstitute(s.row, { record: d.checked === true })} />
                <Text size={200} className={styles.note} as="p">
                  {s.note}
                  {s.organisationReason ? ` Organisation proposed: ${s.organisationReason.toLowerCase()}.` : ''}
                </Text>
              </div>
              <Field label="Organisation">
                <Select value={choice.organisationId} disabled={!choice.record} onChange={(_, d) => setSubstitute(s.row, { organisationId: d.value })}>
                  <option value="">Not recorded</option>
                  {session.directory.organisations.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label="Standing in for">
                <Select value={choice.forMemberId} disabled={!choice.record} onChange={(_, d) => setSubstitute(s.row, { forMemberId: d.value })}>
                  <option value="">Nobody in particular</option>
                  {others.map((a) => (
                    <option key={a.memberId} value={a.memberId}>
                      {a.initials} – {a.name}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
          );
        })}
      </section>

      <section aria-label="Members not in the report">
        <Text weight="semibold" as="h3">
          Members not in the report ({preview.absent.length})
        </Text>
        {preview.absent.length === 0 ? <Text as="p">Every member attended.</Text> : null}
        {preview.absent.map((a) => (
          <div key={a.memberId} className={styles.row}>
            <Text>
              {a.name} ({a.initials})
              {a.apologiesRecorded ? ' – apologies already recorded' : ''}
              {a.recordedPresentBefore ? ' – recorded as present before: choose Present if they were in the room' : ''}
            </Text>
            <Field label={`${a.name}: record as`}>
              <Select value={absent[a.memberId] ?? a.proposed} onChange={(_, d) => setAbsent((all) => ({ ...all, [a.memberId]: d.value as AbsentAs }))}>
                {ABSENT_CHOICES.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ))}
      </section>
    </FormDialog>
  );
}
