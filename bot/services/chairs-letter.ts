import {
  addDays,
  ATTENDANCE_OUTCOME_LABELS,
  attendanceOutcome,
  fail,
  formatLongDate,
  isCurrentMembership,
  isPoorAttendance,
  LETTER_REASON_LABELS,
  lastLetterLine,
  letterAuditSummary,
  londonDate,
  managesMemberships,
  meetingsCounted,
  meetingStatus,
  nextMeetingAfter,
  ok,
  POOR_ATTENDANCE_RULE,
  RESPONSIBLE_AUTHORITY_KINDS,
  RESPONSIBLE_AUTHORITY_LABELS,
  withAudit,
  type LetterReason,
  type LocalDate,
  type Organisation,
  type ResponsibleAuthorityKind,
  type Result,
} from '../domain/index.js';
import { isStoreError, type Store } from '../store/store.js';
import { EXEC_GROUP_ID, loadDirectory, type Directory } from './directory.js';
import type { RequestContext } from './request-context.js';
import { chairsLetterDocx } from './papers-docx.js';
import type { AuthorityEngagementView, ChairsLetterView, EngagementMeetingView, EngagementView, LastLetterView } from './papers-views.js';

/**
 * The chair's letter to a responsible authority that does not engage (issue 12, item 3): which
 * authorities qualify, from the governance record, and the drafted letter itself. Drafting a letter
 * is recorded on the organisation's own audit trail (who, when, why), in the same write.
 */

/** The partnership the letters speak for: the community safety partnership the Exec runs. */
export const PARTNERSHIP_NAME = 'Safer Plymouth';

export type { AuthorityEngagementView, ChairsLetterView, EngagementMeetingView, EngagementView, LastLetterView };

const personLabel = (directory: Directory, memberId: string | null): string => {
  const member = memberId ? directory.members.find((m) => m.id === memberId) : undefined;
  return member ? `${member.name} (${member.initials})` : memberId ? 'A former member' : 'The set-up command';
};

/** "Attended 0 of the last 3 meetings". */
function attendanceOf(view: Pick<AuthorityEngagementView, 'meetings' | 'meetingsAttended'>): string {
  const n = view.meetings.length;
  return n === 0 ? 'No meeting with attendance recorded yet' : `Attended ${view.meetingsAttended} of the last ${n} meeting${n === 1 ? '' : 's'}`;
}

function describe(view: Pick<AuthorityEngagementView, 'meetings' | 'meetingsAttended' | 'decisionMakers'>): string {
  return `${attendanceOf(view)}; ${view.decisionMakers.length ? `decision-making member: ${view.decisionMakers.join(', ')}` : 'no current decision-making member'}.`;
}

/** How each responsible authority engages with a group: its decision-makers and its last N meetings. */
export function authorityEngagement(directory: Directory, groupId: string, today: LocalDate, count: number): EngagementView {
  const group = directory.groups.find((g) => g.id === groupId);
  const counted = meetingsCounted(directory.meetings, groupId, today, count).reverse();
  const current = directory.memberships.filter((ms) => ms.groupId === groupId && isCurrentMembership(ms, today));
  const name = (id: string) => personLabel(directory, id);
  const authorities = directory.organisations
    .filter((o): o is typeof o & { authorityKind: ResponsibleAuthorityKind } => o.authorityKind !== null)
    .map((org): AuthorityEngagementView => {
      const people = new Set(directory.members.filter((m) => m.organisationId === org.id).map((m) => m.id));
      const theirs = current.filter((ms) => people.has(ms.memberId));
      const meetings = counted.map((m): EngagementMeetingView => {
        const outcome = attendanceOutcome(m, people);
        return {
          meetingId: m.id,
          date: m.date,
          title: m.title,
          outcome,
          outcomeLabel: ATTENDANCE_OUTCOME_LABELS[outcome],
          attended: m.attendeeIds.filter((id) => people.has(id)).map(name),
          apologies: m.apologyIds.filter((id) => people.has(id)).map(name),
        };
      });
      const attended = meetings.filter((m) => m.outcome === 'attended').length;
      const decisionMakers = theirs.filter((ms) => ms.decisionMaker).map((ms) => name(ms.memberId));
      const reasons: LetterReason[] = [];
      if (decisionMakers.length === 0) reasons.push('no-decision-maker');
      if (isPoorAttendance(attended, meetings.length)) reasons.push('poor-attendance');
      const letter = lastLetterLine(org.audit);
      const by = letter ? personLabel(directory, letter.byMemberId) : '';
      const on = letter ? londonDate(new Date(letter.at)) : '';
      const partial = { meetings, meetingsAttended: attended, decisionMakers };
      return {
        organisationId: org.id,
        organisation: org.name,
        authorityKind: org.authorityKind,
        authorityLabel: RESPONSIBLE_AUTHORITY_LABELS[org.authorityKind],
        decisionMakers,
        currentMembers: theirs.map((ms) => name(ms.memberId)),
        meetings,
        meetingsAttended: attended,
        meetingsWithApologiesOnly: meetings.filter((m) => m.outcome === 'apologies').length,
        reasons,
        reasonLabels: reasons.map((r) => LETTER_REASON_LABELS[r]),
        summary: describe(partial),
        attendanceLabel: attendanceOf(partial),
        lastLetter: letter ? { byLabel: by, on, text: `Letter drafted by ${by} on ${formatLongDate(on)}` } : null,
      };
    })
    .sort((a, b) => b.reasons.length - a.reasons.length || RESPONSIBLE_AUTHORITY_KINDS.indexOf(a.authorityKind) - RESPONSIBLE_AUTHORITY_KINDS.indexOf(b.authorityKind) || a.organisation.localeCompare(b.organisation));
  const listed = new Set(authorities.map((a) => a.authorityKind));
  return {
    asOf: today,
    groupId,
    groupName: group?.name ?? 'the group',
    meetingsAsked: count,
    meetingsCounted: counted.length,
    rule: POOR_ATTENDANCE_RULE,
    authorities,
    kindsNotListed: RESPONSIBLE_AUTHORITY_KINDS.filter((k) => !listed.has(k)),
  };
}

/** The group's chair today ("Matt Garrett"), or null when the chair's seat is empty. */
export function chairOf(directory: Directory, groupId: string, today: LocalDate): { readonly name: string; readonly initials: string } | null {
  const chair = directory.memberships.find((ms) => ms.groupId === groupId && ms.role === 'chair' && isCurrentMembership(ms, today));
  const member = chair ? directory.members.find((m) => m.id === chair.memberId) : undefined;
  return member ? { name: member.name, initials: member.initials } : null;
}

function requireKeeper(context: RequestContext, what: string): Result<true> {
  return managesMemberships(context.actor) ? ok(true) : fail('AUTH.FORBIDDEN', `Only the chair or the secretariat can ${what}.`);
}

/** The Exec's responsible authorities and which of them a letter is for: chair and secretariat only. */
export function letterCandidates(context: RequestContext, count: number): Result<EngagementView> {
  const keeper = requireKeeper(context, 'see which authorities the chair should write to');
  if (!keeper.ok) return keeper;
  return ok(authorityEngagement(context.directory, EXEC_GROUP_ID, context.today, count));
}

export interface DraftedLetter {
  readonly fileName: string;
  readonly bytes: Buffer;
  readonly letter: ChairsLetterView;
}

const REPLY_WEEKS = 4;

/**
 * Drafts the chair's letter to one responsible authority that qualifies, and records on the
 * organisation who drafted it and when. An authority that engages gets no letter: the answer says why.
 */
export async function draftChairsLetter(store: Store, context: RequestContext, organisationId: string, count: number): Promise<Result<DraftedLetter>> {
  const keeper = requireKeeper(context, 'draft the chair\u2019s letters');
  if (!keeper.ok) return keeper;
  const { today, now } = context;
  let directory = context.directory;
  for (let attempt = 0; ; attempt++) {
    const org = directory.organisations.find((o) => o.id === organisationId);
    if (!org) return fail('ORGANISATION.NOT_FOUND', 'There is no organisation with this id.');
    if (!org.authorityKind) return fail('ORGANISATION.INVALID', `${org.name} is not a responsible authority: the chair\u2019s letter is for the responsible authorities only.`);
    const engagement = authorityEngagement(directory, EXEC_GROUP_ID, today, count);
    const authority = engagement.authorities.find((a) => a.organisationId === org.id)!;
    if (authority.reasons.length === 0) {
      return fail('ORGANISATION.INVALID', `${org.name} has a decision-making member and was represented at ${authority.meetingsAttended} of the last ${authority.meetings.length} meetings: there is nothing to ask of it.`);
    }
    const next = nextMeetingAfter(directory.meetings, EXEC_GROUP_ID, today);
    const letter: ChairsLetterView = {
      date: today,
      partnership: PARTNERSHIP_NAME,
      groupName: engagement.groupName,
      authority,
      chair: chairOf(directory, EXEC_GROUP_ID, today),
      nextMeeting: next && meetingStatus(next) === 'scheduled' ? { date: next.date, title: next.title } : null,
      replyBy: addDays(today, REPLY_WEEKS * 7),
    };
    const bytes = await chairsLetterDocx(letter);
    const { version, ...record } = org;
    const line = { id: `${org.id}:letter:${now.getTime()}`, at: now.toISOString(), byMemberId: context.memberId, summary: letterAuditSummary(engagement.groupName, authority.reasons) };
    try {
      await store.organisations.update(withAudit<Organisation>(record, line), version);
    } catch (error) {
      // Someone edited the organisation meanwhile: read it again and record the letter on the new version.
      if (isStoreError(error, 'STORE.CONFLICT') && attempt < 3) {
        directory = await loadDirectory(store);
        continue;
      }
      throw error;
    }
    const stem = org.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return ok({ fileName: `chairs-letter-${stem}-${today}.docx`, bytes, letter });
  }
}
