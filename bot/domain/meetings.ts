import { addDays, formatLongDate, isLocalDate, type LocalDate } from './dates.js';
import { isWorkingDay } from './bank-holidays.js';
import type { AuditLine } from './audit.js';
import { fail, ok, type Result } from './result.js';

export const MEETING_KINDS = ['exec', 'public'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export interface AgendaItem {
  /** As printed in the minutes: "8", "8.3", "11". */
  readonly minute: string;
  readonly title: string;
}

export interface Meeting {
  readonly id: string;
  readonly groupId: string;
  readonly date: LocalDate;
  readonly kind: MeetingKind;
  readonly title: string;
  readonly attendeeIds: readonly string[];
  readonly apologyIds: readonly string[];
  readonly agenda: readonly AgendaItem[];
  /** Papers (theme-lead reports) are due by this date; null until the secretariat sets it. */
  readonly paperDeadline: LocalDate | null;
  /** 24-hour HH:MM, London time; absent on meetings recorded before times were kept. */
  readonly startTime?: string | null;
  /** Absent on records written before meetings had a status: read with meetingStatus(). */
  readonly status?: MeetingStatus;
  /** When it was recorded as held (the roll-over ran then). */
  readonly heldAt?: string | null;
  readonly cancelledReason?: string | null;
  readonly substitutes?: readonly Substitute[];
  readonly audit?: readonly AuditLine[];
}

/** The first meeting of the same group strictly after `after`, or undefined when none is scheduled. */
export function nextMeetingAfter(meetings: readonly Meeting[], groupId: string, after: LocalDate): Meeting | undefined {
  return meetings
    .filter((m) => m.groupId === groupId && m.date > after && meetingStatus(m) !== 'cancelled')
    .sort((a, b) => a.date.localeCompare(b.date))[0];
}

/** The last meeting of the group on or before `onOrBefore`. */
export function lastMeetingOnOrBefore(
  meetings: readonly Meeting[],
  groupId: string,
  onOrBefore: LocalDate,
): Meeting | undefined {
  return meetings
    .filter((m) => m.groupId === groupId && m.date <= onOrBefore && meetingStatus(m) !== 'cancelled')
    .sort((a, b) => b.date.localeCompare(a.date))[0];
}

export function previousMeeting(meetings: readonly Meeting[], meeting: Meeting): Meeting | undefined {
  return meetings
    .filter((m) => m.groupId === meeting.groupId && m.date < meeting.date && meetingStatus(m) !== 'cancelled')
    .sort((a, b) => b.date.localeCompare(a.date))[0];
}

export const MEETING_KIND_LABELS: Record<MeetingKind, string> = { exec: 'Exec meeting', public: 'Public meeting' };

export const MEETING_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = {
  scheduled: 'Scheduled',
  held: 'Held',
  cancelled: 'Cancelled',
};

/** Someone an organisation sent in a member's place, named as the minutes name them. */
export interface Substitute {
  readonly name: string;
  readonly organisationId: string | null;
  /** The member they stood in for, where there was one. */
  readonly forMemberId: string | null;
}

/** Records written before meetings had a status were all of the demo's past and next meetings. */
export function meetingStatus(meeting: Meeting): MeetingStatus {
  return meeting.status ?? 'scheduled';
}

/** Working days before the meeting that papers are due, unless the secretariat sets a date. */
export const DEFAULT_PAPER_DEADLINE_WORKING_DAYS = 7;

export const MEETING_TITLE_MAX = 200;
export const AGENDA_ITEMS_MAX = 60;
export const START_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const MINUTE_REF_PATTERN = /^\d{1,3}(\.\d{1,3}){0,3}\.?$/;

/** The paper deadline a set number of working days (England and Wales) before the meeting. */
export function defaultPaperDeadline(date: LocalDate, workingDays = DEFAULT_PAPER_DEADLINE_WORKING_DAYS): LocalDate {
  let day = date;
  for (let counted = 0; counted < workingDays; ) {
    day = addDays(day, -1);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}

export interface MeetingPlan {
  readonly groupId: string;
  readonly date: LocalDate;
  readonly startTime: string | null;
  readonly title: string;
  readonly kind: MeetingKind;
  readonly paperDeadline: LocalDate | null;
  readonly agenda: readonly AgendaItem[];
}

/**
 * The checks a meeting's date, time, deadline and agenda pass whenever the secretariat
 * schedules or reschedules it. A meeting is planned for today or later: a past meeting is
 * recorded by holding it, not by scheduling it after the fact.
 */
export function validateMeetingPlan(plan: MeetingPlan, today: LocalDate): Result<MeetingPlan> {
  if (!isLocalDate(plan.date)) return fail('MEETING.INVALID', 'The meeting date must be a real date (YYYY-MM-DD).');
  if (plan.date < today) return fail('MEETING.INVALID', `The meeting date ${formatLongDate(plan.date)} is in the past: choose today or a later date.`);
  if (plan.startTime !== null && !START_TIME_PATTERN.test(plan.startTime)) return fail('MEETING.INVALID', 'The start time must be a 24-hour time, HH:MM (for example 10:00).');
  const title = plan.title.trim();
  if (!title) return fail('MEETING.INVALID', 'Give the meeting a title.');
  if (title.length > MEETING_TITLE_MAX) return fail('MEETING.INVALID', `The title can be at most ${MEETING_TITLE_MAX} characters.`);
  if (!MEETING_KINDS.includes(plan.kind)) return fail('MEETING.INVALID', `The kind must be one of: ${MEETING_KINDS.join(', ')}.`);
  const paperDeadline = plan.paperDeadline ?? defaultPaperDeadline(plan.date);
  if (!isLocalDate(paperDeadline)) return fail('MEETING.INVALID', 'The paper deadline must be a real date (YYYY-MM-DD).');
  if (paperDeadline >= plan.date) return fail('MEETING.INVALID', 'The paper deadline must be before the meeting date.');
  if (plan.agenda.length > AGENDA_ITEMS_MAX) return fail('MEETING.INVALID', `An agenda can have at most ${AGENDA_ITEMS_MAX} items.`);
  const seen = new Set<string>();
  const agenda: AgendaItem[] = [];
  for (const item of plan.agenda) {
    const minute = item.minute.trim();
    const itemTitle = item.title.trim();
    if (!MINUTE_REF_PATTERN.test(minute)) return fail('MEETING.INVALID', `Agenda item "${minute.slice(0, 20)}": a minute number is digits with dots, like 8 or 8.3.`);
    if (!itemTitle) return fail('MEETING.INVALID', `Agenda item ${minute} has no title.`);
    if (itemTitle.length > MEETING_TITLE_MAX) return fail('MEETING.INVALID', `Agenda item ${minute}: a title can be at most ${MEETING_TITLE_MAX} characters.`);
    if (seen.has(minute)) return fail('MEETING.INVALID', `Minute ${minute} appears twice on the agenda.`);
    seen.add(minute);
    agenda.push({ minute, title: itemTitle });
  }
  return ok({ ...plan, title, paperDeadline, agenda });
}

export function isValidMinuteRef(minuteRef: string): boolean {
  return MINUTE_REF_PATTERN.test(minuteRef.trim());
}

/** Attendance is recorded for members of the meeting's group; nobody is both present and apologising. */
export function validateAttendance(attendeeIds: readonly string[], apologyIds: readonly string[], substitutes: readonly Substitute[]): Result<true> {
  if (new Set(attendeeIds).size !== attendeeIds.length) return fail('MEETING.INVALID', 'Someone is listed twice as attending.');
  if (new Set(apologyIds).size !== apologyIds.length) return fail('MEETING.INVALID', 'Someone is listed twice as sending apologies.');
  const both = attendeeIds.filter((id) => apologyIds.includes(id));
  if (both.length) return fail('MEETING.INVALID', 'A person cannot both attend and send apologies: choose one for each.');
  for (const s of substitutes) {
    if (!s.name.trim()) return fail('MEETING.INVALID', 'A substitute needs a name.');
    if (s.name.length > 200) return fail('MEETING.INVALID', 'A substitute\u2019s name can be at most 200 characters.');
    if (s.forMemberId && attendeeIds.includes(s.forMemberId)) return fail('MEETING.INVALID', 'A substitute stands in for someone who is not there: that member is marked as attending.');
  }
  return ok(true);
}

/** Whether a meeting can still change: a held or cancelled meeting is part of the record. */
export function isMeetingOpen(meeting: Meeting): boolean {
  return meetingStatus(meeting) === 'scheduled';
}
