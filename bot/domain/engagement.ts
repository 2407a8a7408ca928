import type { AuditLine } from './audit.js';
import type { LocalDate } from './dates.js';
import { meetingStatus, type Meeting } from './meetings.js';

/**
 * Does a responsible authority engage with the partnership? The chair's letter (issue 12, item 3)
 * goes to one that has no current decision-making member on the group, or whose attendance is
 * poor over the group's last N meetings. Both rules are here, in words the README repeats.
 */

/** How many of the group's latest meetings are looked at when the caller does not say. */
export const DEFAULT_ENGAGEMENT_MEETINGS = 4;
export const MAX_ENGAGEMENT_MEETINGS = 12;

export type LetterReason = 'no-decision-maker' | 'poor-attendance';

/**
 * Poor attendance, plainly: the organisation was represented (at least one of its people attended)
 * at fewer than half of the meetings counted. Apologies are shown in the letter but do not count as
 * attending. With no meeting counted there is no evidence, so attendance is never poor.
 */
export function isPoorAttendance(meetingsAttended: number, meetingsCounted: number): boolean {
  return meetingsCounted > 0 && meetingsAttended * 2 < meetingsCounted;
}

export const POOR_ATTENDANCE_RULE = 'represented at fewer than half of the meetings counted (apologies do not count as attending)';

/**
 * The meetings that count: the group's meetings on or before today that were not cancelled and have
 * attendance recorded (a meeting with nobody recorded proves nothing about anyone), newest first.
 */
export function meetingsCounted(meetings: readonly Meeting[], groupId: string, today: LocalDate, count: number): Meeting[] {
  return meetings
    .filter((m) => m.groupId === groupId && m.date <= today && meetingStatus(m) !== 'cancelled' && m.attendeeIds.length > 0)
    .sort((a, b) => b.date.localeCompare(a.date))
    .slice(0, count);
}

export type AttendanceOutcome = 'attended' | 'apologies' | 'absent';

export const ATTENDANCE_OUTCOME_LABELS: Record<AttendanceOutcome, string> = {
  attended: 'Attended',
  apologies: 'Apologies sent, nobody attended',
  absent: 'Not represented, no apologies',
};

/** How one organisation's people did at one meeting: anyone attending beats apologies. */
export function attendanceOutcome(meeting: Pick<Meeting, 'attendeeIds' | 'apologyIds'>, organisationMemberIds: ReadonlySet<string>): AttendanceOutcome {
  if (meeting.attendeeIds.some((id) => organisationMemberIds.has(id))) return 'attended';
  if (meeting.apologyIds.some((id) => organisationMemberIds.has(id))) return 'apologies';
  return 'absent';
}

export const LETTER_REASON_LABELS: Record<LetterReason, string> = {
  'no-decision-maker': 'No current decision-making member',
  'poor-attendance': 'Poor attendance',
};

/** How the drafting of a letter reads on the organisation's audit trail; also how it is found again. */
export const LETTER_AUDIT_PREFIX = 'Chair\u2019s letter drafted';

export function letterAuditSummary(groupName: string, reasons: readonly LetterReason[]): string {
  return `${LETTER_AUDIT_PREFIX} (${groupName}): ${reasons.map((r) => LETTER_REASON_LABELS[r].toLowerCase()).join('; ')}`;
}

/** The latest letter drafted to an organisation, from its audit lines. */
export function lastLetterLine(audit: readonly AuditLine[] | undefined): AuditLine | undefined {
  return [...(audit ?? [])].reverse().find((line) => line.summary.startsWith(LETTER_AUDIT_PREFIX));
}
