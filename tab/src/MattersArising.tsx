import { useEffect, useState } from 'react';
import { Badge, Button, Card, Field, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { api, download, query, REPORT_FIELD_LABELS, type MattersArising } from './api';
import type { Session } from './session';
import { ErrorBar, RagBadge, Section, formatDate } from './ui';

const useStyles = makeStyles({
  bar: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end', marginBlock: '12px' },
  list: { display: 'flex', flexDirection: 'column', gap: '8px' },
  top: { display: 'flex', justifyContent: 'space-between', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  changes: { margin: '4px 0 0', paddingInlineStart: '18px' },
});

const REPORT_SECTIONS = ['progress', 'asks', 'risks', 'data'] as const;
const REPORT_STATE_COLOURS = { submitted: 'success', late: 'warning', missing: 'danger', 'not-in-yet': 'informative', 'no-lead': 'subtle' } as const;

/** The next Exec meeting on or after today, else the latest one. */
function defaultMeeting(session: Session): string {
  const today = new Date().toISOString().slice(0, 10);
  const exec = session.meetings.filter((m) => m.groupId === 'grp-exec').sort((a, b) => a.date.localeCompare(b.date));
  return (exec.find((m) => m.date >= today) ?? exec.at(-1))?.id ?? '';
}

export function MattersArisingView({ session }: { session: Session }) {
  const styles = useStyles();
  const [meetingId, setMeetingId] = useState(() => defaultMeeting(session));
  const [view, setView] = useState<MattersArising | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!meetingId) return;
    setView(null);
    setError(null);
    api<MattersArising>(session.identity, `/api/tab/matters-arising${query({ meeting: meetingId })}`).then(setView, setError);
  }, [session.identity, meetingId]);

  const exportAs = (format: 'docx' | 'csv') => download(session.identity, `/api/tab/exports/matters-arising.${format}${query({ meeting: meetingId })}`).catch(setError);
  const meetings = session.meetings.filter((m) => m.groupId === 'grp-exec');

  return (
    <div>
      <div className={styles.bar}>
        <Field label="Meeting">
          <Select aria-label="Matters arising for meeting" value={meetingId} onChange={(_, d) => setMeetingId(d.value)}>
            {meetings.map((m) => (
              <option key={m.id} value={m.id}>
                {formatDate(m.date)} – {m.title}
              </option>
            ))}
          </Select>
        </Field>
        <Button onClick={() => void exportAs('docx')}>Export to Word</Button>
        <Button onClick={() => void exportAs('csv')}>Export to CSV</Button>
      </div>
      <ErrorBar error={error} />
      {!view ? (
        error ? null : <Spinner label="Loading matters arising…" />
      ) : (
        <>
          <Section title={view.previousMeeting ? `Actions from the meeting of ${formatDate(view.previousMeeting.date)}` : 'Actions from the previous meeting'}>
            {view.fromPreviousMeeting.length === 0 ? <Text>None.</Text> : null}
            <div className={styles.list}>
              {view.fromPreviousMeeting.map(({ action, changesSince, arrivalLabel }) => (
                <Card key={action.id} data-action-id={action.id}>
                  <div className={styles.top}>
                    <Text weight="semibold">
                      Minute {action.minuteRef}
                      {action.meetingDate && action.meetingDate !== view.previousMeeting?.date ? ` of ${formatDate(action.meetingDate)}` : ''} · {arrivalLabel} ·{' '}
                      {action.owners.map((o) => o.label).join(', ') || 'Unassigned'}
                    </Text>
                    <span>
                      <Text>{action.statusLabel}{action.overdue ? ' (overdue)' : ''} </Text>
                      <RagBadge rag={action.rag} />
                    </span>
                  </div>
                  <Text>{action.text}</Text>
                  {changesSince.length ? (
                    <ul className={styles.changes} aria-label="What changed since">
                      {changesSince.map((h) => (
                        <li key={h.id}>
                          <Text size={200}>
                            {formatDate(h.at)} {h.byLabel ?? 'System'}: {h.summary}
                          </Text>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <Text size={200} className={styles.muted}>
                      No change recorded since the previous meeting.
                    </Text>
                  )}
                </Card>
              ))}
            </div>
          </Section>
          <Section title="Theme reports">
            {view.deadline ? <Text size={200}>Papers deadline {formatDate(view.deadline)}</Text> : null}
            {view.reports.length === 0 ? <Text as="p">No reports were requested for this meeting.</Text> : null}
            <div className={styles.list}>
              {view.reports.map((r) => (
                <Card key={r.reportId} data-report={r.themeName}>
                  <div className={styles.top}>
                    <Text weight="semibold">
                      {r.themeName} ({r.leadLabel ?? 'no lead'})
                    </Text>
                    <span>
                      <Badge appearance="tint" color={REPORT_STATE_COLOURS[r.state]}>
                        {r.stateLabel}
                      </Badge>{' '}
                      {r.rag ? <RagBadge rag={r.rag} /> : null}
                    </span>
                  </div>
                  {r.content ? (
                    <>
                      {/* Every section the lead filled in, under the labels the Word paper prints (exports.ts). */}
                      {REPORT_SECTIONS.filter((key) => r.content![key]).map((key) => (
                        <Text key={key} size={200} data-report-section={key}>
                          <b>{REPORT_FIELD_LABELS[key]}:</b> {r.content![key]}
                        </Text>
                      ))}
                    </>
                  ) : (
                    <Text size={200} className={styles.muted}>
                      Not received yet.
                    </Text>
                  )}
                </Card>
              ))}
            </div>
          </Section>
          <Section title="Actions rolled over more than once">
            {view.rolledOverMoreThanOnce.length === 0 ? <Text>None.</Text> : null}
            <div className={styles.list}>
              {view.rolledOverMoreThanOnce.map((a) => (
                <Card key={a.id} data-action-id={a.id}>
                  <Text weight="semibold">
                    {formatDate(a.meetingDate)} minute {a.minuteRef} · rolled over {a.rolloverCount} times
                  </Text>
                  <Text>{a.text}</Text>
                </Card>
              ))}
            </div>
          </Section>
        </>
      )}
    </div>
  );
}
