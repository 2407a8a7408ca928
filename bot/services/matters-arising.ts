import {
  ARRIVAL_LABELS,
  arrivalFrom,
  changesSince,
  type ArrivalKind,
  currentContent,
  fail,
  isMatterArisingFrom,
  isRepeatedlyRolledOver,
  londonDate,
  ok,
  previousMeeting,
  REPORT_STATE_LABELS,
  reportState,
  reportStatus,
  type ActionUpdate,
  type LocalDate,
  type Rag,
  type ReportState,
  type ReportStatus,
  type Result,
  type ThemeReportContent,
} from '../domain/index.js';
import { listAll, type Store } from '../store/store.js';
import { historyLine, toActionView, type ActionView, type HistoryLineView } from './action-log.js';
import type { RequestContext } from './request-context.js';

export interface MeetingRef {
  readonly id: string;
  readonly date: LocalDate;
  readonly title: string;
}

export interface MatterArisingView {
  readonly action: ActionView;
  /** Agreed at the previous meeting, or rolled over (or deferred) there from an earlier one. */
  readonly arrival: ArrivalKind;
  readonly arrivalLabel: string;
  /** History lines after the previous meeting, up to this one (or today, if sooner). */
  readonly changesSince: readonly HistoryLineView[];
}

export interface ReportReceivedView {
  readonly reportId: string;
  readonly themeId: string;
  readonly themeName: string;
  readonly leadLabel: string | null;
  readonly status: ReportStatus;
  /** Where the report stands, and its label: "Not in yet", "Submitted", "Submitted late", "Missing". */
  readonly state: ReportState;
  readonly stateLabel: string;
  readonly submittedAt: string | null;
  readonly rag: Rag | null;
  /** The current version's text; the tab API serves it only to current members. */
  readonly content: ThemeReportContent | null;
}

export interface MattersArisingView {
  readonly meeting: MeetingRef;
  readonly previousMeeting: MeetingRef | null;
  readonly deadline: LocalDate | null;
  readonly fromPreviousMeeting: readonly MatterArisingView[];
  readonly reports: readonly ReportReceivedView[];
  readonly rolledOverMoreThanOnce: readonly ActionView[];
}

const ref = (m: { id: string; date: LocalDate; title: string }): MeetingRef => ({ id: m.id, date: m.date, title: m.title });

/** Matters arising for one meeting: what the previous meeting asked for and what came of it. */
export async function getMattersArising(store: Store, meetingId: string, context: RequestContext): Promise<Result<MattersArisingView>> {
  const { directory, today, actor } = context;
  const meeting = directory.meetings.find((m) => m.id === meetingId);
  if (!meeting) return fail('MEETING.NOT_FOUND', 'There is no meeting with this id.');
  const previous = previousMeeting(directory.meetings, meeting) ?? null;
  const upTo = meeting.date < today ? meeting.date : today;
  const groupMeetingIds = new Set(directory.meetings.filter((m) => m.groupId === meeting.groupId).map((m) => m.id));
  const actions = (await listAll(store.actions, {})).filter((a) => groupMeetingIds.has(a.meetingId));
  const history = (line: ActionUpdate): HistoryLineView => historyLine(line, directory);
  const fromPrevious: MatterArisingView[] = previous
    ? actions
        .filter((a) => isMatterArisingFrom(a, previous))
        .map((a) => {
          const arrival = arrivalFrom(a, previous);
          return { action: toActionView(a, directory, today, actor), arrival, arrivalLabel: ARRIVAL_LABELS[arrival], changesSince: changesSince(a, previous, upTo).map(history) };
        })
        .sort((x, y) => x.action.minuteRef.localeCompare(y.action.minuteRef, 'en', { numeric: true }) || x.action.id.localeCompare(y.action.id))
    : [];
  const rounds = await listAll(store.reportRounds, { meetingId: meeting.id });
  const reports: ReportReceivedView[] = [];
  for (const round of rounds) {
    for (const report of await listAll(store.themeReports, { roundId: round.id })) {
      const theme = directory.themes.find((t) => t.id === report.themeId);
      const lead = report.leadMemberId ? directory.members.find((x) => x.id === report.leadMemberId) : undefined;
      const content = currentContent(report);
      const state = reportState(report, round, today);
      reports.push({
        reportId: report.id,
        themeId: report.themeId,
        themeName: theme?.name ?? report.themeId,
        leadLabel: lead?.initials ?? null,
        status: reportStatus(report, round, today),
        state,
        stateLabel: REPORT_STATE_LABELS[state],
        submittedAt: report.versions[0]?.submittedAt ?? null,
        rag: content?.rag ?? null,
        content,
      });
    }
  }
  reports.sort((a, b) => a.themeName.localeCompare(b.themeName));
  const rolled = actions
    .filter(isRepeatedlyRolledOver)
    .map((a) => toActionView(a, directory, today, actor))
    .sort((a, b) => b.rolloverCount - a.rolloverCount || a.id.localeCompare(b.id));
  return ok({
    meeting: ref(meeting),
    previousMeeting: previous ? ref(previous) : null,
    deadline: rounds[0]?.deadline ?? meeting.paperDeadline,
    fromPreviousMeeting: fromPrevious,
    reports,
    rolledOverMoreThanOnce: rolled,
  });
}
