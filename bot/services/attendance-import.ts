import {
  checkReportDay,
  decodeReportBytes,
  nameKey,
  parseAttendanceReport,
  reportFromGraph,
  type AttendanceParticipant,
  type AttendanceReport,
  type GraphAttendanceRecord,
} from '../domain/attendance-report.js';
import {
  fail,
  formatLongDate,
  isCurrentMembership,
  londonDate,
  managesActionLog,
  meetingStatus,
  ok,
  type LocalDate,
  type Meeting,
  type Member,
  type Result,
  type Substitute,
} from '../domain/index.js';
import type { Store, Versioned } from '../store/store.js';
import { actorIn, type Directory } from './directory.js';
import { directoryOf, recordAttendance, toMeetingView, type Editor, type MeetingView } from './meetings.js';

/**
 * Importing a meeting's attendance from Teams: the report (uploaded, pasted, or fetched through
 * Graph where the tenant allows it) is matched to people, and the secretariat sees a proposal
 * before anything is saved. Confirming writes through recordAttendance, so the same checks,
 * audit line and version check apply as when attendance is typed in.
 */

/** A report as Graph lists it (learn.microsoft.com/graph/api/resources/meetingattendancereport). */
export interface GraphReportSummary {
  readonly id: string;
  readonly meetingStartDateTime: string | null;
  readonly meetingEndDateTime: string | null;
  readonly totalParticipantCount: number | null;
}

/**
 * Graph's online-meeting attendance reports, for an organiser. Answers are Results: a tenant that
 * has not granted the permission, or a meeting Teams does not know, is an expected outcome.
 */
export interface AttendanceReportsPort {
  findOnlineMeeting(organizerId: string, joinWebUrl: string): Promise<Result<string>>;
  listReports(organizerId: string, onlineMeetingId: string): Promise<Result<readonly GraphReportSummary[]>>;
  getReport(organizerId: string, onlineMeetingId: string, reportId: string): Promise<Result<{ readonly report: GraphReportSummary; readonly records: readonly GraphAttendanceRecord[] }>>;
}

export type AttendanceSource =
  | { readonly kind: 'file'; readonly bytes: Uint8Array }
  | { readonly kind: 'text'; readonly text: string }
  /**
   * The organiser is a board member (organizerMemberId: their Teams account as Safer Exec knows it),
   * or an account id for API callers (organizerId), or else the caller. joinWebUrl is as
   * checkTeamsJoinLink returns it.
   */
  | { readonly kind: 'teams'; readonly organizerMemberId?: string; readonly organizerId?: string; readonly onlineMeetingId?: string; readonly joinWebUrl?: string; readonly reportId?: string };

export type MatchedBy = 'email' | 'name';
export const MATCHED_BY_LABELS: Record<MatchedBy, string> = { email: 'Email or Teams sign-in', name: 'Name' };

export interface PresentProposal {
  readonly memberId: string;
  readonly name: string;
  readonly initials: string;
  /** The name the report gives them. */
  readonly reportName: string;
  readonly matchedBy: MatchedBy;
  readonly matchedByLabel: string;
  readonly minutes: number | null;
}

export interface SubstituteProposal {
  /** The report's row: how the secretariat's choice refers to this participant. */
  readonly row: number;
  readonly name: string;
  readonly email: string | null;
  readonly guest: boolean;
  readonly minutes: number | null;
  /** Someone on the people list who is not a member of this group on the meeting's day. */
  readonly knownPersonId: string | null;
  readonly organisationId: string | null;
  readonly organisationName: string | null;
  /** Why this organisation is proposed, in plain words; null when the secretariat must pick. */
  readonly organisationReason: string | null;
  readonly forMemberId: string | null;
  /** Recorded as a substitute unless the secretariat says otherwise. */
  readonly record: boolean;
  readonly note: string;
}

export type AbsentAs = 'absent' | 'apologies' | 'present';
export const ABSENT_AS_LABELS: Record<AbsentAs, string> = { absent: 'Absent', apologies: 'Apologies', present: 'Present (not in the Teams report)' };

export interface AbsentProposal {
  readonly memberId: string;
  readonly name: string;
  readonly initials: string;
  readonly organisationId: string | null;
  readonly proposed: Exclude<AbsentAs, 'present'>;
  readonly proposedLabel: string;
  readonly apologiesRecorded: boolean;
  /** Recorded as present before this import: they may have been in the room, not on Teams. */
  readonly recordedPresentBefore: boolean;
}

export interface AttendanceImportPreview {
  readonly meeting: { readonly id: string; readonly version: string; readonly date: LocalDate; readonly dateLabel: string; readonly title: string; readonly groupName: string };
  readonly report: { readonly source: 'file' | 'teams'; readonly title: string | null; readonly participants: number; readonly skippedRows: number; readonly reportId: string | null };
  readonly present: readonly PresentProposal[];
  readonly substitutes: readonly SubstituteProposal[];
  readonly absent: readonly AbsentProposal[];
  readonly message: string;
}

export interface AttendanceDecisions {
  /** Per unmatched participant: record them or not, and for which organisation and member. */
  readonly substitutes?: readonly { readonly row: number; readonly record: boolean; readonly organisationId?: string | null; readonly forMemberId?: string | null }[];
  /** Per member the report did not show: absent, apologies, or present after all (in the room). */
  readonly members?: readonly { readonly memberId: string; readonly as: AbsentAs }[];
}

export interface AttendanceImportResult {
  readonly meeting: MeetingView;
  /** True when this exact attendance was already recorded (a resent confirm): nothing was written twice. */
  readonly alreadyRecorded: boolean;
  readonly message: string;
}

const forbidden = () => fail<never>('MEETING.FORBIDDEN', 'Only the chair or the secretariat can import a meeting\u2019s attendance.');

/** Addresses shared by people of many organisations: their domain says nothing about the organisation. */
const PUBLIC_MAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'hotmail.co.uk', 'live.com', 'live.co.uk', 'yahoo.com', 'yahoo.co.uk', 'icloud.com', 'btinternet.com', 'aol.com', 'protonmail.com']);

interface Opened {
  readonly meeting: Versioned<Meeting>;
  readonly directory: Directory;
}

function openForImport(directory: Directory, editor: Editor, meetingId: string): Result<Opened> {
  if (!managesActionLog(actorIn(directory, editor.memberId, editor.now))) return forbidden();
  const meeting = directory.meetings.find((m) => m.id === meetingId);
  if (!meeting) return fail('MEETING.NOT_FOUND', 'There is no meeting with this id.');
  if (meetingStatus(meeting) === 'cancelled') return fail('MEETING.NOT_OPEN', 'This meeting was cancelled: there is no attendance to record.');
  if (meeting.date > londonDate(editor.now)) return fail('MEETING.INVALID', `This meeting is on ${formatLongDate(meeting.date)}: import its attendance on the day or after it.`);
  return ok({ meeting, directory });
}

/** Reads the report from wherever it comes from, and checks it is for this meeting's day. */
export async function readReport(source: AttendanceSource, meeting: Meeting, editor: Editor, directory: Directory, teams: AttendanceReportsPort | null): Promise<Result<{ report: AttendanceReport; reportId: string | null }>> {
  let report: Result<AttendanceReport>;
  let reportId: string | null = null;
  if (source.kind === 'teams') {
    const fetched = await reportFromTeams(source, meeting, editor, directory, teams);
    if (!fetched.ok) return fetched;
    report = ok(fetched.value.report);
    reportId = fetched.value.reportId;
  } else if (source.kind === 'file') {
    const text = decodeReportBytes(source.bytes);
    report = text.ok ? parseAttendanceReport(text.value) : text;
  } else {
    report = parseAttendanceReport(source.text);
  }
  if (!report.ok) return report;
  const day = checkReportDay(report.value, meeting.date);
  if (!day.ok) return day;
  return ok({ report: report.value, reportId });
}

/**
 * Whose meetings to ask Graph for: Graph's /users/{id}/onlineMeetings takes the organiser's
 * account id, which Safer Exec learns when a member first uses it in Teams. A sign-in name is not
 * documented to work there, so nobody is asked to type one.
 */
function organizerOf(source: Extract<AttendanceSource, { kind: 'teams' }>, editor: Editor, directory: Directory): Result<string> {
  if (source.organizerId) return ok(source.organizerId);
  const memberId = source.organizerMemberId ?? editor.memberId;
  const member = directory.members.find((m) => m.id === memberId);
  if (!member) return fail('MEMBER.NOT_FOUND', 'The organiser chosen is not on the people list: choose the person who organised the meeting.');
  if (member.entraObjectId) return ok(member.entraObjectId);
  const who = memberId === editor.memberId ? { name: 'You have', their: 'your' } : { name: `${member.name} has`, their: 'their' };
  return fail('REQUEST.INVALID', `${who.name} not used Safer Exec in Teams yet, so Teams cannot be asked for ${who.their} meetings: choose the person who organised it, or upload the report instead.`);
}

async function reportFromTeams(source: Extract<AttendanceSource, { kind: 'teams' }>, meeting: Meeting, editor: Editor, directory: Directory, teams: AttendanceReportsPort | null): Promise<Result<{ report: AttendanceReport; reportId: string }>> {
  if (!teams) {
    return fail('ATTENDANCE.NOT_AVAILABLE', 'Fetching attendance from Teams is not switched on for this board (ATTENDANCE_FROM_GRAPH). Download the report from the meeting\u2019s Attendance tab and upload it instead.');
  }
  const organizer = organizerOf(source, editor, directory);
  if (!organizer.ok) return organizer;
  const organizerId = organizer.value;
  let onlineMeetingId = source.onlineMeetingId ?? null;
  if (!onlineMeetingId) {
    if (!source.joinWebUrl) return fail('REQUEST.INVALID', 'Give the meeting\u2019s Teams join link (or its online meeting id).');
    const found = await teams.findOnlineMeeting(organizerId, source.joinWebUrl);
    if (!found.ok) return found;
    onlineMeetingId = found.value;
  }
  const listed = await teams.listReports(organizerId, onlineMeetingId);
  if (!listed.ok) return listed;
  const onTheDay = listed.value
    .filter((r) => r.meetingStartDateTime && londonDate(new Date(r.meetingStartDateTime)) === meeting.date)
    .sort((a, b) => (b.meetingStartDateTime ?? '').localeCompare(a.meetingStartDateTime ?? ''));
  const chosen = source.reportId ? listed.value.find((r) => r.id === source.reportId) : onTheDay[0];
  if (!chosen) {
    const days = [...new Set(listed.value.flatMap((r) => (r.meetingStartDateTime ? [formatLongDate(londonDate(new Date(r.meetingStartDateTime)))] : [])))];
    return fail(
      'ATTENDANCE.NOT_AVAILABLE',
      source.reportId
        ? 'Teams has no attendance report with this id for this meeting.'
        : `Teams has no attendance report for this meeting on ${formatLongDate(meeting.date)}${days.length ? ` (it has reports for ${days.slice(0, 5).join(', ')})` : ''}. Teams keeps reports for a year.`,
    );
  }
  const fetched = await teams.getReport(organizerId, onlineMeetingId, chosen.id);
  if (!fetched.ok) return fetched;
  const start = fetched.value.report.meetingStartDateTime ?? chosen.meetingStartDateTime;
  const report = reportFromGraph(start ? londonDate(new Date(start)) : null, fetched.value.records);
  return report.ok ? ok({ report: report.value, reportId: chosen.id }) : report;
}

/** Who of the people list a participant is: by email or Teams sign-in first, then by name. */
export function matchParticipant(p: AttendanceParticipant, byEmail: ReadonlyMap<string, Member>, byName: ReadonlyMap<string, Member[]>): { member: Member; by: MatchedBy } | null {
  for (const address of [p.email, p.upn]) {
    const member = address ? byEmail.get(address) : undefined;
    if (member) return { member, by: 'email' };
  }
  const named = byName.get(nameKey(p.name)) ?? [];
  return named.length === 1 ? { member: named[0]!, by: 'name' } : null;
}

function indexPeople(members: readonly Member[]): { byEmail: Map<string, Member>; byName: Map<string, Member[]> } {
  const byEmail = new Map<string, Member>();
  const byName = new Map<string, Member[]>();
  for (const m of members) {
    if (m.email) byEmail.set(m.email.trim().toLowerCase(), m);
    const key = nameKey(m.name);
    byName.set(key, [...(byName.get(key) ?? []), m]);
  }
  return { byEmail, byName };
}

/** Each email domain on the people list, with the organisations of the people at it. */
function organisationsByDomain(members: readonly Member[]): Map<string, Set<string | null>> {
  const byDomain = new Map<string, Set<string | null>>();
  for (const m of members) {
    const domain = m.email?.trim().toLowerCase().split('@')[1];
    if (!domain) continue;
    const set = byDomain.get(domain) ?? new Set<string | null>();
    set.add(m.organisationId);
    byDomain.set(domain, set);
  }
  return byDomain;
}

/** The organisation an address's domain belongs to, when everyone on the list at that domain is of one. */
function organisationOfDomain(email: string | null, byDomain: ReadonlyMap<string, ReadonlySet<string | null>>): string | null {
  const domain = email?.split('@')[1];
  if (!domain || PUBLIC_MAIL_DOMAINS.has(domain)) return null;
  const organisations = byDomain.get(domain);
  if (!organisations || organisations.size !== 1) return null;
  return [...organisations][0] ?? null;
}

const minutesOf = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 60));

/** The proposal: pure, from the report and the directory as they are. */
export function proposeAttendance(report: AttendanceReport, meeting: Versioned<Meeting>, directory: Directory, reportId: string | null): AttendanceImportPreview {
  const groupMemberIds = new Set(directory.memberships.filter((ms) => ms.groupId === meeting.groupId && isCurrentMembership(ms, meeting.date)).map((ms) => ms.memberId));
  const { byEmail, byName } = indexPeople(directory.members);
  const organisationName = (id: string | null) => (id ? directory.organisations.find((o) => o.id === id)?.name ?? null : null);
  const present = new Map<string, PresentProposal>();
  const unmatched: { p: AttendanceParticipant; known: Member | null; ambiguous: boolean }[] = [];
  const seen = new Set<string>();
  for (const p of report.participants) {
    const match = matchParticipant(p, byEmail, byName);
    if (match && groupMemberIds.has(match.member.id)) {
      const before = present.get(match.member.id);
      const minutes = (before?.minutes ?? 0) + (minutesOf(p.durationSeconds) ?? 0);
      if (!before || (before.matchedBy === 'name' && match.by === 'email')) {
        present.set(match.member.id, { memberId: match.member.id, name: match.member.name, initials: match.member.initials, reportName: p.name, matchedBy: match.by, matchedByLabel: MATCHED_BY_LABELS[match.by], minutes: p.durationSeconds === null && !before ? null : minutes });
      } else {
        present.set(match.member.id, { ...before, minutes });
      }
      continue;
    }
    // Someone listed twice (a guest who dropped out and rejoined, on some reports) is proposed once.
    const key = nameKey(p.name);
    // Two guests of the same name with different addresses are two people.
    const seenKeys = match ? [`person:${match.member.id}`] : p.email ? [`email:${p.email}`] : [`name:${key}`];
    if (seenKeys.some((k) => seen.has(k))) continue;
    for (const k of seenKeys) seen.add(k);
    unmatched.push({ p, known: match?.member ?? null, ambiguous: !match && (byName.get(key)?.length ?? 0) > 1 });
  }

  const absentMembers = [...groupMemberIds]
    .filter((id) => !present.has(id))
    .map((id) => directory.members.find((m) => m.id === id))
    .filter((m): m is Versioned<Member> => m !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
  const absent: AbsentProposal[] = absentMembers.map((m) => {
    const apologiesRecorded = meeting.apologyIds.includes(m.id);
    const proposed = apologiesRecorded ? 'apologies' : 'absent';
    return { memberId: m.id, name: m.name, initials: m.initials, organisationId: m.organisationId, proposed, proposedLabel: ABSENT_AS_LABELS[proposed], apologiesRecorded, recordedPresentBefore: meeting.attendeeIds.includes(m.id) };
  });

  const domains = organisationsByDomain(directory.members);
  const substitutes: SubstituteProposal[] = unmatched.map(({ p, known, ambiguous }) => {
    const fromRecord = known?.organisationId ?? null;
    const fromDomain = fromRecord ? null : organisationOfDomain(p.email, domains);
    const organisationId = fromRecord ?? fromDomain;
    // Standing in for the one member of their organisation who is not there, where there is exactly one.
    const candidates = organisationId ? absent.filter((a) => a.organisationId === organisationId) : [];
    const note = known
      ? `${known.name} is on the people list but was not a member of this group on ${formatLongDate(meeting.date)}.`
      : ambiguous
        ? 'More than one person on the list has this name: record them as a substitute, or add their email to the right person.'
        : p.guest
          ? 'A guest from outside the organisation\u2019s Teams, not on the people list.'
          : 'Not on the people list.';
    return {
      row: p.row,
      name: known?.name ?? p.name,
      email: p.email,
      guest: p.guest,
      minutes: minutesOf(p.durationSeconds),
      knownPersonId: known?.id ?? null,
      organisationId,
      organisationName: organisationName(organisationId),
      organisationReason: fromRecord ? 'Their organisation on the people list' : fromDomain ? 'Others on the list with the same email domain work there' : null,
      forMemberId: candidates.length === 1 ? candidates[0]!.memberId : null,
      record: organisationId !== null,
      note,
    };
  });

  const presentList = [...present.values()].sort((a, b) => a.name.localeCompare(b.name));
  const apologies = absent.filter((a) => a.proposed === 'apologies').length;
  const message =
    `The meeting of ${formatLongDate(meeting.date)}: ${presentList.length} of ${groupMemberIds.size} members present, ` +
    `${apologies} with apologies, ${absent.length - apologies} absent` +
    (substitutes.length ? `; ${substitutes.length} ${substitutes.length === 1 ? 'participant is' : 'participants are'} not members of the group.` : '.') +
    ' Nothing is saved until you confirm.';
  return {
    meeting: { id: meeting.id, version: meeting.version, date: meeting.date, dateLabel: formatLongDate(meeting.date), title: meeting.title, groupName: directory.groups.find((g) => g.id === meeting.groupId)?.name ?? 'Unknown group' },
    report: { source: report.source === 'graph' ? 'teams' : 'file', title: report.title, participants: report.participants.length, skippedRows: report.skippedRows, reportId },
    present: presentList,
    substitutes,
    absent,
    message,
  };
}

export async function previewAttendanceImport(store: Store, editor: Editor, meetingId: string, source: AttendanceSource, teams: AttendanceReportsPort | null): Promise<Result<AttendanceImportPreview>> {
  const directory = await directoryOf(store, editor);
  const opened = openForImport(directory, editor, meetingId);
  if (!opened.ok) return opened;
  const read = await readReport(source, opened.value.meeting, editor, directory, teams);
  if (!read.ok) return read;
  return ok(proposeAttendance(read.value.report, opened.value.meeting, directory, read.value.reportId));
}

/** The attendance the proposal and the secretariat's choices add up to. */
export function attendanceFrom(preview: AttendanceImportPreview, meeting: Meeting, decisions: AttendanceDecisions): Result<{ attendeeIds: string[]; apologyIds: string[]; substitutes: Substitute[] }> {
  const byRow = new Map(preview.substitutes.map((s) => [s.row, s]));
  for (const d of decisions.substitutes ?? []) {
    if (!byRow.has(d.row)) return fail('REQUEST.INVALID', `Row ${d.row} of the report is not one of the participants to decide on: preview the report again.`);
  }
  const absentIds = new Set(preview.absent.map((a) => a.memberId));
  for (const d of decisions.members ?? []) {
    if (!absentIds.has(d.memberId)) return fail('REQUEST.INVALID', 'A choice names someone who is not among the members missing from the report: preview the report again.');
  }
  const memberChoice = new Map((decisions.members ?? []).map((d) => [d.memberId, d.as]));
  const attendeeIds = [...preview.present.map((p) => p.memberId), ...preview.absent.filter((a) => memberChoice.get(a.memberId) === 'present').map((a) => a.memberId)];
  const apologyIds = preview.absent.filter((a) => (memberChoice.get(a.memberId) ?? a.proposed) === 'apologies').map((a) => a.memberId);
  const substituteChoice = new Map((decisions.substitutes ?? []).map((d) => [d.row, d]));
  const chosen: Substitute[] = [];
  for (const s of preview.substitutes) {
    const d = substituteChoice.get(s.row);
    if (!(d?.record ?? s.record)) continue;
    const forMemberId = d && d.forMemberId !== undefined ? d.forMemberId : s.forMemberId;
    chosen.push({ name: s.name, organisationId: d && d.organisationId !== undefined ? d.organisationId : s.organisationId, forMemberId: forMemberId && !attendeeIds.includes(forMemberId) ? forMemberId : null });
  }
  // Substitutes recorded by hand before are kept, unless the report names them again.
  const importedNames = new Set(preview.substitutes.map((s) => nameKey(s.name)));
  const kept = (meeting.substitutes ?? []).filter((s) => !importedNames.has(nameKey(s.name)));
  return ok({ attendeeIds, apologyIds, substitutes: [...kept, ...chosen] });
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;
const substituteKey = (s: Substitute) => `${nameKey(s.name)}|${s.organisationId ?? ''}|${s.forMemberId ?? ''}`;

function alreadyHolds(meeting: Meeting, input: { attendeeIds: readonly string[]; apologyIds: readonly string[]; substitutes: readonly Substitute[] }): boolean {
  return sameSet(meeting.attendeeIds, input.attendeeIds) && sameSet(meeting.apologyIds, input.apologyIds) && sameSet((meeting.substitutes ?? []).map(substituteKey), input.substitutes.map(substituteKey));
}

/**
 * Records the imported attendance. The version is the meeting's as previewed: if the meeting
 * changed since, the import is refused, unless what changed it was this same import (a resent
 * confirm), in which case the answer is the same and nothing is written again.
 */
export async function confirmAttendanceImport(store: Store, editor: Editor, meetingId: string, expectedVersion: string, source: AttendanceSource, decisions: AttendanceDecisions, teams: AttendanceReportsPort | null): Promise<Result<AttendanceImportResult>> {
  const directory = await directoryOf(store, editor);
  const opened = openForImport(directory, editor, meetingId);
  if (!opened.ok) return opened;
  const { meeting } = opened.value;
  const read = await readReport(source, meeting, editor, directory, teams);
  if (!read.ok) return read;
  const preview = proposeAttendance(read.value.report, meeting, directory, read.value.reportId);
  const input = attendanceFrom(preview, meeting, decisions);
  if (!input.ok) return input;
  if (meeting.version !== expectedVersion && alreadyHolds(meeting, input.value)) {
    return ok({ meeting: toMeetingView(meeting, directory), alreadyRecorded: true, message: `This attendance was already recorded for the meeting of ${formatLongDate(meeting.date)}.` });
  }
  const saved = await recordAttendance(store, editor, meetingId, expectedVersion, input.value);
  if (!saved.ok) {
    // Two presses of the same confirm at once: the one that lost finds the winner's write, which is its own.
    const now = saved.error.code === 'STORE.CONFLICT' ? await store.meetings.get(meetingId) : undefined;
    if (now && alreadyHolds(now, input.value)) {
      return ok({ meeting: toMeetingView(now, directory), alreadyRecorded: true, message: `This attendance was already recorded for the meeting of ${formatLongDate(meeting.date)}.` });
    }
    return saved;
  }
  const { attendeeIds, apologyIds, substitutes } = input.value;
  return ok({
    meeting: saved.value,
    alreadyRecorded: false,
    message: `Attendance recorded for the meeting of ${formatLongDate(meeting.date)}: ${attendeeIds.length} present, ${apologyIds.length} apologies, ${substitutes.length} ${substitutes.length === 1 ? 'substitute' : 'substitutes'}.`,
  });
}
