import type { LocalDate } from './dates.js';

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
}

/** The first meeting of the same group strictly after `after`, or undefined when none is scheduled. */
export function nextMeetingAfter(meetings: readonly Meeting[], groupId: string, after: LocalDate): Meeting | undefined {
  return meetings
    .filter((m) => m.groupId === groupId && m.date > after)
    .sort((a, b) => a.date.localeCompare(b.date))[0];
}

/** The last meeting of the group on or before `onOrBefore`. */
export function lastMeetingOnOrBefore(
  meetings: readonly Meeting[],
  groupId: string,
  onOrBefore: LocalDate,
): Meeting | undefined {
  return meetings
    .filter((m) => m.groupId === groupId && m.date <= onOrBefore)
    .sort((a, b) => b.date.localeCompare(a.date))[0];
}

export function previousMeeting(meetings: readonly Meeting[], meeting: Meeting): Meeting | undefined {
  return meetings
    .filter((m) => m.groupId === meeting.groupId && m.date < meeting.date)
    .sort((a, b) => b.date.localeCompare(a.date))[0];
}
