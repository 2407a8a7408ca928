import { addDays, type LocalDate } from './dates.js';
import type { Meeting } from './meetings.js';
import type { Member } from './members.js';
import { RESPONSIBLE_AUTHORITY_KINDS, type Organisation, type ResponsibleAuthorityKind } from './organisations.js';

/**
 * The governance review's questions: is every responsible authority at the table, and
 * who actually comes? Attendance is by person; an organisation "sent someone" to a
 * meeting when at least one of its people attended.
 */

/** Meetings of a group that have happened (on or before today), newest first. */
export function heldMeetings(meetings: readonly Meeting[], groupId: string, today: LocalDate): Meeting[] {
  return meetings.filter((m) => m.groupId === groupId && m.date <= today).sort((a, b) => b.date.localeCompare(a.date));
}

function organisationOf(memberId: string, members: readonly Member[], organisations: readonly Organisation[]): Organisation | undefined {
  const member = members.find((m) => m.id === memberId);
  return member?.organisationId ? organisations.find((o) => o.id === member.organisationId) : undefined;
}

export function authoritiesAttending(meeting: Meeting, members: readonly Member[], organisations: readonly Organisation[]): Set<ResponsibleAuthorityKind> {
  const kinds = new Set<ResponsibleAuthorityKind>();
  for (const id of meeting.attendeeIds) {
    const kind = organisationOf(id, members, organisations)?.authorityKind;
    if (kind) kinds.add(kind);
  }
  return kinds;
}

/**
 * Responsible authorities that sent no one to any of the given meetings. Empty when
 * there were no meetings: absence from nothing proves nothing.
 */
export function authoritiesAbsentFromAll(meetings: readonly Meeting[], members: readonly Member[], organisations: readonly Organisation[]): ResponsibleAuthorityKind[] {
  if (meetings.length === 0) return [];
  const seen = new Set<ResponsibleAuthorityKind>();
  for (const meeting of meetings) for (const kind of authoritiesAttending(meeting, members, organisations)) seen.add(kind);
  return RESPONSIBLE_AUTHORITY_KINDS.filter((k) => !seen.has(k));
}

/** The window "over the last year" covers: the day a year before today, up to today. */
export function yearWindowStart(today: LocalDate): LocalDate {
  return addDays(today, -365);
}

export interface OrganisationAttendance {
  readonly organisationId: string | null;
  /** Meetings at which at least one of its people attended. */
  readonly meetingsAttended: number;
  /** Meetings at which nobody attended but someone sent apologies. */
  readonly meetingsWithApologiesOnly: number;
  readonly attendances: number;
  readonly apologies: number;
}

/** Per organisation (null = people with no organisation on record), over the given meetings. */
export function attendanceByOrganisation(meetings: readonly Meeting[], members: readonly Member[], organisations: readonly Organisation[]): OrganisationAttendance[] {
  const rows = new Map<string | null, { attended: number; apologiesOnly: number; attendances: number; apologies: number }>();
  const row = (id: string | null) => {
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { attended: 0, apologiesOnly: 0, attendances: 0, apologies: 0 }));
    return r;
  };
  for (const meeting of meetings) {
    const attendedOrgs = new Set<string | null>();
    const apologisedOrgs = new Set<string | null>();
    for (const id of meeting.attendeeIds) {
      const orgId = organisationOf(id, members, organisations)?.id ?? null;
      row(orgId).attendances++;
      attendedOrgs.add(orgId);
    }
    for (const id of meeting.apologyIds) {
      const orgId = organisationOf(id, members, organisations)?.id ?? null;
      row(orgId).apologies++;
      apologisedOrgs.add(orgId);
    }
    for (const orgId of attendedOrgs) row(orgId).attended++;
    for (const orgId of apologisedOrgs) if (!attendedOrgs.has(orgId)) row(orgId).apologiesOnly++;
  }
  return [...rows.entries()].map(([organisationId, r]) => ({
    organisationId,
    meetingsAttended: r.attended,
    meetingsWithApologiesOnly: r.apologiesOnly,
    attendances: r.attendances,
    apologies: r.apologies,
  }));
}
