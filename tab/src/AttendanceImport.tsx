import { useState } from 'react';
import { Button, Checkbox, Field, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { decodeReportBytes } from '../../bot/domain/attendance-report.js';
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

type Source = { readonly fileBase64: string } | { readonly text: string };

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
 */
export function AttendanceImportDialog({ session, meeting, onClose, onSaved }: { session: Session; meeting: Meeting; onClose: () => void; onSaved: (result: AttendanceImportResult) => void }) {
  const styles = useStyles();
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<AttendanceImportPreview | null>(null);
  const [substitutes, setSubstitutes] = useState<Record<number, SubstituteChoice>>({});
  const [absent, setAbsent] = useState<Record<string, AbsentAs>>({});
  const submission = useSubmission();
  const base = `/api/tab/meetings/${encodeURIComponent(meeting.id)}/attendance-import`;

  const runPreview = () =>
    submission.run(async () => {
      const chosen: Source | null = file ? await readFile(file) : pasted.trim() ? { text: pasted } : null;
      if (!chosen) throw new Error('Choose the downloaded attendance report, or paste its text.');
      const answer = await api<AttendanceImportPreview>(session.identity, `${base}/preview`, { method: 'POST', body: JSON.stringify(chosen) });
      setSource(chosen);
      setPreview(answer);
      setSubstitutes(Object.fromEntries(answer.substitutes.map((s) => [s.row, { record: s.record, organisationId: s.organisationId ?? '', forMemberId: s.forMemberId ?? '' }])));
      setAbsent(Object.fromEntries(answer.absent.map((a) => [a.memberId, a.proposed])));
    });

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

  const setSubstitute = (row: number, change: Partial<SubstituteChoice>) => setSubstitutes((all) => ({ ...all, [row]: { ...all[row]!, ...change } }));
  const title = `Import attendance from Teams: the meeting of ${formatLongDate(meeting.date)}`;

  if (!preview) {
    return (
      <FormDialog title={title} submitLabel={submission.busy ? 'Reading the report…' : 'Preview'} busy={submission.busy} error={submission.error} onSubmit={() => void runPreview()} onClose={onClose} wide>
        <Text>
          In Teams, open the meeting&rsquo;s <strong>Attendance</strong> tab and download the report. Upload that file as it is, or paste its text. You will see who it matches before anything is saved.
        </Text>
        <div className={styles.source}>
          <label htmlFor="attendance-report-file">
            <Text weight="semibold">Attendance report file</Text>
          </label>
          <input id="attendance-report-file" type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <Field label="Or paste the report">
            <Textarea value={pasted} onChange={(_, d) => setPasted(d.value)} disabled={file !== null} resize="vertical" rows={5} />
          </Field>
        </div>
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
