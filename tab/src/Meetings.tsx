import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { api, type GroupView, type Meeting } from './api';
import type { Session } from './session';
import { MeetingDetail, type MeetingDialog } from './MeetingDetail';
import { CancelMeetingDialog, HeldDialog, ScheduleMeetingDialog } from './MeetingForms';
import { AttendanceDialog } from './AttendanceForm';
import { AttendanceImportDialog } from './AttendanceImport';
import { MinutesImportDialog } from './MinutesImport';
import { AddActionDialog } from './ActionForm';
import { ErrorBar, formatLongDate, useNarrow } from './ui';

const useStyles = makeStyles({
  bar: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'end', marginBlock: '12px' },
  scroll: { overflowX: 'auto' },
  // The open meeting is marked by a bar at its start and bold text, not by a background: a
  // selected background meets text contrast in the light theme only (axe: dark and high contrast).
  selected: { boxShadow: `inset 4px 0 0 ${tokens.colorCompoundBrandStroke}`, fontWeight: tokens.fontWeightSemibold },
});


const STATUS_COLOURS = { scheduled: 'brand', held: 'success', cancelled: 'danger' } as const;

/** The next meeting still to hold, else the latest one: where the secretariat usually starts. */
function defaultMeetingId(meetings: readonly Meeting[], today: string): string {
  const byDate = [...meetings].sort((a, b) => a.date.localeCompare(b.date));
  const scheduled = byDate.filter((m) => m.status === 'scheduled');
  return (scheduled.find((m) => m.date >= today) ?? scheduled.at(-1) ?? byDate.at(-1))?.id ?? '';
}

/**
 * The chair's and secretariat's meetings: schedule, reschedule and cancel them, record who came,
 * record a meeting as held (which carries its open actions on), add the actions it agreed, and
 * follow its round of theme reports.
 */
export function MeetingsView({ session }: { session: Session }) {
  const styles = useStyles();
  const narrow = useNarrow();
  const [groups, setGroups] = useState<GroupView[] | null>(null);
  const [groupFilter, setGroupFilter] = useState('');
  const [selectedId, setSelectedId] = useState(() => defaultMeetingId(session.meetings, session.me.today));
  const [dialog, setDialog] = useState<MeetingDialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const [error, setError] = useState<unknown>(null);

  const loadGroups = useCallback(async () => {
    try {
      setGroups((await api<{ groups: GroupView[] }>(session.identity, '/api/tab/groups')).groups);
    } catch (e) {
      setError(e);
    }
  }, [session.identity]);
  useEffect(() => {
    void loadGroups();
  }, [loadGroups]);

  const meetings = useMemo(
    () => session.meetings.filter((m) => !groupFilter || m.groupId === groupFilter).sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title)),
    [session.meetings, groupFilter],
  );
  const selected = session.meetings.find((m) => m.id === selectedId) ?? null;

  /** After any change: the meetings, people and groups again, and the open meeting's actions and round. */
  const changed = async (message: string | null, select?: string) => {
    setDialog(null);
    setNotice(null);
    await Promise.all([session.refresh(), loadGroups()]);
    if (select) setSelectedId(select);
    setRevision((r) => r + 1);
    setNotice(message);
  };

  return (
    <div>
      <div className={styles.bar}>
        <Field label="Group">
          <Select value={groupFilter} onChange={(_, d) => setGroupFilter(d.value)}>
            <option value="">All groups</option>
            {(groups ?? []).map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        </Field>
        <Button appearance="primary" onClick={() => setDialog({ kind: 'schedule' })}>
          Schedule a meeting
        </Button>
      </div>
      <ErrorBar error={error} />
      {notice ? (
        <MessageBar intent="success" role="status" data-testid="meeting-notice">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      {meetings.length === 0 ? (
        <Text as="p">No meetings yet. Schedule the board&rsquo;s next meeting to start its action log and report round.</Text>
      ) : (
        <div className={styles.scroll}>
          <Table size="small" aria-label="Meetings">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Date</TableHeaderCell>
                <TableHeaderCell>Meeting</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Group</TableHeaderCell>}
                <TableHeaderCell>Status</TableHeaderCell>
                {narrow ? null : <TableHeaderCell>Papers due</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {meetings.map((m) => (
                <TableRow key={m.id} data-meeting-id={m.id} aria-selected={m.id === selectedId} className={m.id === selectedId ? styles.selected : undefined}>
                  <TableCell>
                    {/* Subtle, not transparent: a transparent button's hover text is the brand colour, 3.7:1 on a hovered row in the dark theme; and the row's text colour, which Fluent turns dark on a hovered row in high contrast (axe). */}
                    <Button appearance="subtle" style={{ color: 'inherit' }} onClick={() => setSelectedId(m.id)} aria-pressed={m.id === selectedId}>
                      {formatLongDate(m.date)}
                    </Button>
                  </TableCell>
                  <TableCell>
                    {m.title}
                    {m.startTime ? ` · ${m.startTime}` : null}
                  </TableCell>
                  {narrow ? null : <TableCell>{m.groupName}</TableCell>}
                  <TableCell>
                    <Badge appearance="tint" color={STATUS_COLOURS[m.status]}>
                      {m.statusLabel}
                    </Badge>
                  </TableCell>
                  {narrow ? null : <TableCell>{formatLongDate(m.paperDeadline) || '—'}</TableCell>}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {selected ? <MeetingDetail key={selected.id} session={session} meeting={selected} revision={revision} onOpen={setDialog} /> : null}

      {dialog?.kind === 'schedule' ? (
        <ScheduleMeetingDialog session={session} groups={groups ?? []} existing={null} onClose={() => setDialog(null)} onSaved={(m) => void changed(`Scheduled: ${m.title}, ${formatLongDate(m.date)}.`, m.id)} />
      ) : null}
      {dialog?.kind === 'reschedule' ? (
        <ScheduleMeetingDialog session={session} groups={groups ?? []} existing={dialog.meeting} onClose={() => setDialog(null)} onSaved={(m) => void changed(`Saved: ${m.title}, ${formatLongDate(m.date)}.`, m.id)} />
      ) : null}
      {dialog?.kind === 'cancel' ? <CancelMeetingDialog session={session} meeting={dialog.meeting} onClose={() => setDialog(null)} onSaved={() => void changed(`The meeting of ${formatLongDate(dialog.meeting.date)} is cancelled.`)} /> : null}
      {dialog?.kind === 'attendance' ? (
        <AttendanceDialog session={session} meeting={dialog.meeting} groups={groups ?? []} onClose={() => setDialog(null)} onSaved={(m) => void changed(`Attendance recorded for ${formatLongDate(m.date)}: ${m.attendeeIds.length} present, ${m.apologyIds.length} apologies.`)} />
      ) : null}
      {dialog?.kind === 'attendance-import' ? <AttendanceImportDialog session={session} meeting={dialog.meeting} onClose={() => setDialog(null)} onSaved={(result) => void changed(result.message)} /> : null}
      {dialog?.kind === 'minutes-import' ? <MinutesImportDialog session={session} meeting={dialog.meeting} groups={groups ?? []} onClose={() => setDialog(null)} onSaved={(message) => void changed(message)} /> : null}
      {dialog?.kind === 'held' ? <HeldDialog session={session} meeting={dialog.meeting} onClose={() => setDialog(null)} onSaved={(result) => void changed(result.message)} /> : null}
      {dialog?.kind === 'action' ? <AddActionDialog session={session} meeting={dialog.meeting} groups={groups ?? []} onClose={(added) => void changed(added ? `${added} action${added === 1 ? '' : 's'} added to the meeting of ${formatLongDate(dialog.meeting.date)}.` : null)} /> : null}
    </div>
  );
}
