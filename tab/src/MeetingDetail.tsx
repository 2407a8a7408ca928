import { useEffect, useState } from 'react';
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { api, query, type ActionPage, type Meeting } from './api';
import type { Session } from './session';
import { MEETING_KIND_LABELS } from '../../bot/domain/meetings.js';
import { ReportRound } from './ReportRound';
import { PapersPackButtons } from './PapersPack';
import { ErrorBar, Section, formatLongDate, formatWhen } from './ui';

const useStyles = makeStyles({
  card: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, padding: '12px 16px', marginBlock: '16px', backgroundColor: tokens.colorNeutralBackground1 },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 12px', marginBlock: '8px' },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: '8px', marginBlock: '8px' },
  scroll: { overflowX: 'auto' },
  list: { margin: 0, paddingInlineStart: '20px' },
});

/** What the detail asks its view to open. */
export type MeetingDialog =
  | { readonly kind: 'schedule' }
  | { readonly kind: 'reschedule' | 'cancel' | 'attendance' | 'attendance-import' | 'held' | 'action' | 'minutes-import'; readonly meeting: Meeting };

/** One meeting, open: its facts, what the secretariat can do to it, and what it produced. */
export function MeetingDetail({ session, meeting, revision, onOpen }: { session: Session; meeting: Meeting; revision: number; onOpen: (d: MeetingDialog) => void }) {
  const styles = useStyles();
  const [loaded, setLoaded] = useState<{ readonly meetingId: string; readonly page: ActionPage } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // A slower answer for the meeting shown before must not land on this one.
    let current = true;
    setError(null);
    api<ActionPage>(session.identity, `/api/tab/actions${query({ meeting: meeting.id, sort: 'meeting', limit: '500' })}`).then(
      (page) => current && setLoaded({ meetingId: meeting.id, page }),
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [session.identity, meeting.id, revision]);
  const actions = loaded?.meetingId === meeting.id ? loaded.page : null;

  const name = (id: string) => {
    const m = session.directory.members.find((x) => x.id === id);
    return m ? `${m.name} (${m.initials})` : 'A former member';
  };
  const organisation = (id: string | null) => session.directory.organisations.find((o) => o.id === id)?.name ?? null;
  const scheduled = meeting.status === 'scheduled';
  const open = meeting.status !== 'cancelled';
  // The server refuses attendance and "held" before the meeting's day: the buttons wait for it too.
  const dayHasCome = meeting.date <= session.me.today;
  const title = `${meeting.title}, ${formatLongDate(meeting.date)}`;

  return (
    <section aria-label={title} className={styles.card} data-testid="meeting-detail" data-meeting-id={meeting.id}>
      <h2 style={{ fontSize: 18, margin: '4px 0' }}>{title}</h2>
      <div className={styles.facts}>
        <Text weight="semibold">Status</Text>
        <Text data-testid="meeting-status">
          {meeting.statusLabel}
          {meeting.heldAt ? ` (recorded ${formatWhen(meeting.heldAt)})` : ''}
          {meeting.cancelledReason ? `: ${meeting.cancelledReason}` : ''}
        </Text>
        <Text weight="semibold">Group</Text>
        <Text>{meeting.groupName}</Text>
        <Text weight="semibold">Kind</Text>
        <Text>{MEETING_KIND_LABELS[meeting.kind]}</Text>
        <Text weight="semibold">Starts</Text>
        <Text>{meeting.startTime ?? 'Time not set'}</Text>
        <Text weight="semibold">Papers due</Text>
        <Text>{formatLongDate(meeting.paperDeadline) || 'No deadline'}</Text>
      </div>
      <div className={styles.buttons}>
        {scheduled ? <Button onClick={() => onOpen({ kind: 'reschedule', meeting })}>Reschedule</Button> : null}
        {scheduled ? <Button onClick={() => onOpen({ kind: 'cancel', meeting })}>Cancel meeting</Button> : null}
        {open && dayHasCome ? <Button onClick={() => onOpen({ kind: 'attendance', meeting })}>Record attendance</Button> : null}
        {open && dayHasCome ? <Button onClick={() => onOpen({ kind: 'attendance-import', meeting })}>Import attendance from Teams</Button> : null}
        {open ? <Button onClick={() => onOpen({ kind: 'action', meeting })}>Add action</Button> : null}
        {open ? <Button onClick={() => onOpen({ kind: 'minutes-import', meeting })}>Import actions from minutes</Button> : null}
        {scheduled && dayHasCome ? (
          <Button appearance="primary" onClick={() => onOpen({ kind: 'held', meeting })}>
            Record as held
          </Button>
        ) : null}
        {scheduled ? <PapersPackButtons session={session} meeting={meeting} /> : null}
      </div>
      {scheduled && !dayHasCome ? (
        <Text size={200} as="p">
          Attendance and &ldquo;held&rdquo; can be recorded from the day of the meeting.
        </Text>
      ) : null}

      <Section title="Agenda">
        {meeting.agenda.length === 0 ? (
          <Text>No agenda items yet.</Text>
        ) : (
          <ul className={styles.list} aria-label="Agenda">
            {meeting.agenda.map((item) => (
              <li key={item.minute}>
                {item.minute}. {item.title}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Attendance">
        <div className={styles.facts} data-testid="meeting-attendance">
          <Text weight="semibold">Present</Text>
          <Text>{meeting.attendeeIds.map(name).join(', ') || 'Not recorded'}</Text>
          <Text weight="semibold">Apologies</Text>
          <Text>{meeting.apologyIds.map(name).join(', ') || '—'}</Text>
          <Text weight="semibold">Substitutes</Text>
          <Text>
            {meeting.substitutes
              .map((s) => `${s.name}${organisation(s.organisationId) ? ` (${organisation(s.organisationId)})` : ''}${s.forMemberId ? ` for ${name(s.forMemberId)}` : ''}`)
              .join(', ') || '—'}
          </Text>
        </div>
      </Section>

      <Section title="Actions agreed at this meeting">
        <ErrorBar error={error} />
        {actions && actions.items.length === 0 ? <Text>None recorded yet.</Text> : null}
        {actions && actions.items.length ? (
          <div className={styles.scroll}>
            <Table size="small" aria-label="Actions agreed at this meeting">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Minute</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                  <TableHeaderCell>Owners</TableHeaderCell>
                  <TableHeaderCell>Due</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {actions.items.map((a) => (
                  <TableRow key={a.id} data-action-id={a.id}>
                    <TableCell>{a.minuteRef}</TableCell>
                    <TableCell>{a.text}</TableCell>
                    <TableCell>{a.owners.map((o) => o.label).join(', ') || 'Nobody yet'}</TableCell>
                    <TableCell>{a.due.kind === 'next-meeting' ? `Next meeting${a.dueDate ? ` (${formatLongDate(a.dueDate)})` : ''}` : formatLongDate(a.dueDate)}</TableCell>
                    <TableCell>{a.statusLabel}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ) : null}
      </Section>

      <ReportRound session={session} meetingId={meeting.id} revision={revision} />
    </section>
  );
}
