import {
  attendanceByOrganisation,
  authoritiesAbsentFromAll,
  heldMeetings,
  RESPONSIBLE_AUTHORITY_KINDS,
  yearWindowStart,
  type LocalDate,
  type ResponsibleAuthorityKind,
} from '../domain/index.js';
import { listGroupViews, type GroupView } from './memberships.js';
import type { RequestContext } from './request-context.js';

export const DEFAULT_ABSENCE_MEETINGS = 3;

/** The Exec first, then the old board, theme groups, sub-groups: the order of the governance paper. */
const KIND_ORDER = ['exec', 'board', 'theme-group', 'sub-group'];

export interface GroupGovernanceView extends GroupView {
  /** The last N held meetings of this group that the absence check looked at (newest first). */
  readonly recentMeetingIds: readonly string[];
  /** Responsible authorities that sent nobody to any of those meetings. */
  readonly absentAuthorities: readonly ResponsibleAuthorityKind[];
}

export interface MeetingAttendanceView {
  readonly meetingId: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly date: LocalDate;
  readonly title: string;
  readonly attendees: readonly string[];
  readonly apologies: readonly string[];
  readonly authoritiesPresent: readonly ResponsibleAuthorityKind[];
}

export interface OrganisationAttendanceView {
  readonly organisationId: string | null;
  readonly organisation: string;
  readonly authorityKind: ResponsibleAuthorityKind | null;
  readonly meetingsAttended: number;
  readonly meetingsWithApologiesOnly: number;
  readonly attendances: number;
  readonly apologies: number;
}

export interface GovernanceView {
  readonly asOf: LocalDate;
  readonly absenceMeetings: number;
  readonly groups: readonly GroupGovernanceView[];
}

export interface AttendanceView {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupId: string | null;
  readonly meetingsHeld: number;
  readonly byMeeting: readonly MeetingAttendanceView[];
  readonly byOrganisation: readonly OrganisationAttendanceView[];
}

/** Each group with its members, who is missing from it, and who has stopped coming. */
export function getGovernance(context: Pick<RequestContext, 'directory' | 'today'>, absenceMeetings = DEFAULT_ABSENCE_MEETINGS): GovernanceView {
  const { directory, today } = context;
  const groups = listGroupViews(context);
  return {
    asOf: today,
    absenceMeetings,
    groups: [...groups].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name)).map((g) => {
      const recent = heldMeetings(directory.meetings, g.id, today).slice(0, absenceMeetings);
      return {
        ...g,
        recentMeetingIds: recent.map((m) => m.id),
        absentAuthorities: authoritiesAbsentFromAll(recent, directory.members, directory.organisations),
      };
    }),
  };
}

/** Attendance and apologies over the last year, by meeting and by organisation. */
export function getAttendance(context: Pick<RequestContext, 'directory' | 'today'>, groupId: string | null): AttendanceView {
  const { directory, today } = context;
  const from = yearWindowStart(today);
  const meetings = directory.meetings
    .filter((m) => m.date >= from && m.date <= today && (groupId === null || m.groupId === groupId))
    .sort((a, b) => b.date.localeCompare(a.date));
  const initials = (id: string) => directory.members.find((x) => x.id === id)?.initials ?? '?';
  const kindsAt = (ids: readonly string[]) => {
    const kinds = new Set<ResponsibleAuthorityKind>();
    for (const id of ids) {
      const orgId = directory.members.find((x) => x.id === id)?.organisationId;
      const kind = directory.organisations.find((o) => o.id === orgId)?.authorityKind;
      if (kind) kinds.add(kind);
    }
    return RESPONSIBLE_AUTHORITY_KINDS.filter((k) => kinds.has(k));
  };
  const byOrganisation = attendanceByOrganisation(meetings, directory.members, directory.organisations)
    .map((r): OrganisationAttendanceView => {
      const org = r.organisationId ? directory.organisations.find((o) => o.id === r.organisationId) : undefined;
      return { ...r, organisation: org?.name ?? 'No organisation recorded', authorityKind: org?.authorityKind ?? null };
    })
    .sort((a, b) => b.meetingsAttended - a.meetingsAttended || a.organisation.localeCompare(b.organisation));
  return {
    from,
    to: today,
    groupId,
    meetingsHeld: meetings.length,
    byMeeting: meetings.map((m) => ({
      meetingId: m.id,
      groupId: m.groupId,
      groupName: directory.groups.find((g) => g.id === m.groupId)?.name ?? m.groupId,
      date: m.date,
      title: m.title,
      attendees: m.attendeeIds.map(initials),
      apologies: m.apologyIds.map(initials),
      authoritiesPresent: kindsAt(m.attendeeIds),
    })),
    byOrganisation,
  };
}
