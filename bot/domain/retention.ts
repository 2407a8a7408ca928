import type { Action, ActionUpdate } from './actions.js';
import type { AuditLine, Audited } from './audit.js';
import { addDays, formatLongDate, isLocalDate, londonDate, type LocalDate } from './dates.js';
import { isCurrentMembership, type Membership } from './groups.js';
import type { Meeting } from './meetings.js';
import type { Member } from './members.js';
import { fail, ok, type Result } from './result.js';
import type { ConversationInstall, Delivery } from './teams-presence.js';

/**
 * How long the board keeps what it holds, and what a person's erasure leaves behind.
 * Records about domestic abuse and named people must not live for ever: each rule below says
 * from which day a record is counted and when it has been kept long enough.
 */
export interface RetentionPolicy {
  /** Closed and dropped actions, counted from the day they were closed or dropped. */
  readonly closedActionYears: number;
  /** Theme reports (every version), their round, and substitutes' names, counted from the meeting's date. */
  readonly meetingPaperYears: number;
  /** Audit lines inside records, counted from the day each was written. */
  readonly auditYears: number;
  /** Delivery ledger lines, counted from their last attempt. */
  readonly deliveryDays: number;
  /** Personal chats nobody current is reached by (leavers, never linked) or that refuse messages. */
  readonly installDays: number;
  /** A leaver's email, Entra object id and Teams id, counted from the end of their last membership. */
  readonly leaverContactDays: number;
}

/** Six years: the Limitation Act period councils' retention schedules use for partnership records. */
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  closedActionYears: 6,
  meetingPaperYears: 6,
  auditYears: 6,
  deliveryDays: 90,
  installDays: 30,
  leaverContactDays: 365,
};

/**
 * The sweep plans each message again for at most a fortnight (owner notices, report prompts),
 * so a ledger line kept for less could let a message go out twice.
 */
export const MIN_DELIVERY_DAYS = 30;

/** The same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: LocalDate, years: number): LocalDate {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const pad = (n: number) => String(n).padStart(2, '0');
  const candidate = `${String(y + years).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
  return isLocalDate(candidate) ? candidate : `${String(y + years).padStart(4, '0')}-${pad(m)}-${pad(d - 1)}`;
}

/** Kept from `from` for `years` years: past it the day after the anniversary. */
function pastYears(from: LocalDate, years: number, today: LocalDate): boolean {
  return addYears(from, years) < today;
}

function pastDays(fromInstant: string, days: number, now: Date): boolean {
  const from = Date.parse(fromInstant);
  return Number.isFinite(from) && now.getTime() - from > days * 86_400_000;
}

/** The day an action was closed or dropped: its last status line saying so, else the day it was recorded. */
export function closedOn(action: Action): LocalDate | null {
  if (action.status !== 'closed' && action.status !== 'dropped') return null;
  for (let i = action.history.length - 1; i >= 0; i--) {
    const line = action.history[i]!;
    if (line.kind === 'status' && line.to === action.status) return line.at.slice(0, 10);
  }
  return action.createdAt.slice(0, 10);
}

export function actionPastRetention(action: Action, policy: RetentionPolicy, today: LocalDate): boolean {
  const closed = closedOn(action);
  return closed !== null && pastYears(closed, policy.closedActionYears, today);
}

/** A meeting's papers (its theme reports and round) and its substitutes' names. */
export function meetingPapersPastRetention(meetingDate: LocalDate, policy: RetentionPolicy, today: LocalDate): boolean {
  return pastYears(meetingDate, policy.meetingPaperYears, today);
}

/**
 * Every ledger line is settled long before this: a line still `pending` or `sending` after a
 * month belongs to a sweep that died, and its message will never be planned again.
 */
export function deliveryPastRetention(delivery: Delivery, policy: RetentionPolicy, now: Date): boolean {
  return pastDays(delivery.lastAttemptAt ?? delivery.createdAt, policy.deliveryDays, now);
}

/** The audit lines of a record that have been kept long enough. */
export function expiredAuditLines(lines: readonly AuditLine[] | undefined, policy: RetentionPolicy, today: LocalDate): AuditLine[] {
  return (lines ?? []).filter((line) => pastYears(line.at.slice(0, 10), policy.auditYears, today));
}

export function withoutAuditLines<T extends Audited>(record: T, expired: readonly AuditLine[]): T {
  if (expired.length === 0) return record;
  const gone = new Set(expired.map((l) => l.id + l.at));
  return { ...record, audit: (record.audit ?? []).filter((l) => !gone.has(l.id + l.at)) };
}

/**
 * The day someone left: the end of their last membership, when every membership has ended.
 * null for a current member, one who is yet to start, or a person who never had a membership.
 */
export function leftOn(memberId: string, memberships: readonly Membership[], today: LocalDate): LocalDate | null {
  const theirs = memberships.filter((m) => m.memberId === memberId);
  if (theirs.length === 0) return null;
  if (theirs.some((m) => isCurrentMembership(m, today) || m.startDate > today || m.endDate === null)) return null;
  return theirs.map((m) => m.endDate!).sort().at(-1)!;
}

export function hasContactDetails(member: Member): boolean {
  return member.email !== null || member.entraObjectId !== null || member.teamsUserId !== null;
}

export function leaverContactsPastRetention(member: Member, memberships: readonly Membership[], policy: RetentionPolicy, today: LocalDate): boolean {
  const left = leftOn(member.id, memberships, today);
  return left !== null && hasContactDetails(member) && addDays(left, policy.leaverContactDays) < today;
}

/** What a leaver's record keeps: name, initials, organisation and job title as the minutes had them. */
export function withoutContactDetails(member: Member): Member {
  return { ...member, email: null, entraObjectId: null, teamsUserId: null };
}

/** A substitute kept in the attendance after their name has gone. */
export const SUBSTITUTE_PLACEHOLDER = 'A substitute';

export function namedSubstitutes(meeting: Meeting): number {
  return (meeting.substitutes ?? []).filter((s) => s.name !== SUBSTITUTE_PLACEHOLDER && s.name !== ERASED_NAME).length;
}

export function withoutSubstituteNames(meeting: Meeting): Meeting {
  if (namedSubstitutes(meeting) === 0) return meeting;
  return { ...meeting, substitutes: (meeting.substitutes ?? []).map((s) => (s.name === ERASED_NAME ? s : { ...s, name: SUBSTITUTE_PLACEHOLDER })) };
}

/** What the purge knows about a personal chat when it decides whether to keep it. */
export interface InstallFacts {
  /** When the member it reaches left (leftOn), or null when they are current or never linked. */
  readonly memberLeftOn: LocalDate | null;
  /** Whether the member it names still has a record. */
  readonly memberKnown: boolean;
  /** The last refusal (403, blocked) of a message to this chat with nothing delivered since, or null. */
  readonly refusedSince: string | null;
}

/**
 * A personal chat is kept while it reaches someone current. It goes `installDays` after the
 * person left, after it was opened if it never reached anyone we know, or after Teams last
 * refused a message to it (the person blocked or removed the bot) with nothing delivered since.
 * Team and group-chat installs are the board's own conversations and stay.
 */
export function installPastRetention(install: ConversationInstall, facts: InstallFacts, policy: RetentionPolicy, now: Date): boolean {
  if (install.scope !== 'personal') return false;
  const today = londonDate(now);
  if (facts.memberLeftOn !== null && addDays(facts.memberLeftOn, policy.installDays) < today) return true;
  if ((install.memberId === null || !facts.memberKnown) && pastDays(install.installedAt, policy.installDays, now)) return true;
  return facts.refusedSince !== null && pastDays(facts.refusedSince, policy.installDays, now);
}

// ---------------------------------------------------------------------------------------------
// Erasure of a person
// ---------------------------------------------------------------------------------------------

/** What an erased person is called wherever a record names them: tab, cards, exports, audit. */
export const ERASED_NAME = 'A former member';
/**
 * Their initials become this phrase: not letters anyone could have (initials are one to four
 * capitals), so it never matches a sign-in, a roster entry or a current person's initials, and
 * an owner or a history line reads "a former member" wherever initials are shown.
 */
export const ERASED_INITIALS = 'a former member';
/** What a note by the erased person reads when the chair chose to remove their notes. */
export const ERASED_NOTE = 'Note removed when its author\u2019s details were erased.';

export function erasureAuditId(memberId: string): string {
  return `${memberId}:erased`;
}

export function isErased(member: Member): boolean {
  return (member.name === ERASED_NAME && member.initials === ERASED_INITIALS) || (member.audit ?? []).some((l) => l.id === erasureAuditId(member.id));
}

/**
 * Only someone who has left can be erased: a current member (or one about to start) would lose
 * their sign-in and their reminders, and the last chair or secretariat would leave the board
 * with nobody to manage it. Their memberships are ended first, which the audit trail records.
 */
export function mayErase(member: Member, memberships: readonly Membership[], today: LocalDate, groupName: (groupId: string) => string): Result<true> {
  // Current, yet to start, or ending today or later: all still open.
  const open = memberships.filter((m) => m.memberId === member.id && (m.endDate === null || m.endDate >= today));
  if (open.length) {
    const where = [...new Set(open.map((m) => groupName(m.groupId)))].join(', ');
    const keeps = open.some((m) => m.role === 'secretariat' || m.role === 'chair') ? ' (as chair or secretariat, someone else must take that role first)' : '';
    return fail('MEMBER.INVALID', `${member.name} is still a member of ${where}${keeps}. End their memberships first (the day before today at the latest), then erase their details.`);
  }
  return ok(true);
}

/** Who is to be taken out of the board's texts, and when their initials meant them. */
export interface ErasureTarget {
  readonly name: string;
  readonly initials: readonly string[];
  /** Texts written from this day to `until` (their time on the board) that use their initials mean them. */
  readonly from: LocalDate;
  readonly until: LocalDate;
}

/**
 * Initials are reused once a person has left (the minutes do too), so "TN" in a text means the
 * erased person only if it was written while they sat on a group. Their full name means them
 * whenever it was written.
 */
export function erasureTarget(member: Member, memberships: readonly Membership[]): ErasureTarget {
  const theirs = memberships.filter((m) => m.memberId === member.id);
  const starts = theirs.map((m) => m.startDate).sort();
  const last = theirs.some((m) => m.endDate === null) ? null : theirs.map((m) => m.endDate!).sort().at(-1);
  return {
    name: member.name,
    initials: [member.initials, ...member.otherInitials].filter((i) => /^[A-Z]{1,4}$/.test(i)),
    from: starts[0] ?? '0000-01-01',
    // Still sitting (or never sat): their initials mean them up to now.
    until: last ? addDays(last, 1) : '9999-12-31',
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function patternsFor(target: ErasureTarget, writtenAt: string | null): RegExp[] {
  const patterns: RegExp[] = [];
  if (target.name.trim().length >= 3) patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])${escape(target.name.trim()).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, 'giu'));
  const day = writtenAt?.slice(0, 10);
  if (day !== undefined && day >= target.from && day <= target.until) {
    for (const initials of target.initials) patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])${escape(initials)}(?![\\p{L}\\p{N}])`, 'gu'));
  }
  return patterns;
}

/** Whether a text written at `writtenAt` (null: unknown, the name alone counts) names the person. */
export function mentionsPerson(text: string | null | undefined, target: ErasureTarget, writtenAt: string | null): boolean {
  if (!text) return false;
  return patternsFor(target, writtenAt).some((p) => p.test(text));
}

/**
 * The text with the person's name and (when they meant them) initials replaced by "a former
 * member" ("A former member" starting a sentence). Matches are found on the original text in one
 * pass, so the replacement itself is never matched again.
 */
export function redactPerson(text: string, target: ErasureTarget, writtenAt: string | null): string {
  const ranges: [number, number][] = [];
  for (const pattern of patternsFor(target, writtenAt)) {
    for (const match of text.matchAll(pattern)) ranges.push([match.index, match.index + match[0].length]);
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    const before = text.slice(0, start).trimEnd();
    out += text.slice(at, start) + (before === '' || /[.!?:]$/.test(before) ? ERASED_NAME : ERASED_INITIALS);
    at = end;
  }
  return out + text.slice(at);
}

function redactNullable(text: string | null, target: ErasureTarget, writtenAt: string | null): string | null {
  return text === null ? null : redactPerson(text, target, writtenAt);
}

/**
 * An action after its former member's erasure. Owners and the authors of history lines keep
 * the person's record id (now "a former member"), so the log still shows who had it and what
 * was done; texts lose their name and initials. Notes they wrote are kept as the board's record
 * of work on its decisions, unless the chair chose to remove them.
 */
export function actionAfterErasure(action: Action, memberId: string, target: ErasureTarget, removeTheirNotes: boolean): Action {
  const textWrittenAt = [...action.history].reverse().find((l) => l.kind === 'text')?.at ?? action.createdAt;
  const line = (l: ActionUpdate): ActionUpdate => {
    const theirs = l.byMemberId === memberId;
    const note = theirs && removeTheirNotes && l.note !== null && l.kind !== 'rolled-over' ? ERASED_NOTE : redactNullable(l.note, target, l.at);
    return l.kind === 'text' ? { ...l, note, from: redactNullable(l.from, target, l.at), to: redactNullable(l.to, target, l.at) } : { ...l, note };
  };
  const request = action.dateChangeRequest;
  return {
    ...action,
    text: redactPerson(action.text, target, textWrittenAt),
    history: action.history.map(line),
    dateChangeRequest: request
      ? { ...request, reason: request.requestedByMemberId === memberId && removeTheirNotes ? ERASED_NOTE : redactPerson(request.reason, target, request.requestedAt) }
      : null,
  };
}

export function auditAfterErasure<T extends Audited>(record: T, target: ErasureTarget): T {
  if (!record.audit?.length) return record;
  return { ...record, audit: record.audit.map((l) => ({ ...l, summary: redactPerson(l.summary, target, l.at) })) };
}

/** "Erased on 23 November 2026 by AM": who did it and when, never whom. */
export function erasureAuditLine(memberId: string, byMemberId: string, byInitials: string, now: Date): AuditLine {
  return { id: erasureAuditId(memberId), at: now.toISOString(), byMemberId, summary: `Erased on ${formatLongDate(now.toISOString().slice(0, 10))} by ${byInitials}` };
}

/**
 * The person's record after erasure: no name, initials, job title, contact details or sign-in
 * identities. The organisation stays: the governance record of which authorities sat at the table
 * depends on it. Their record's own audit lines described changes to those details, so each keeps
 * who and when but says only "Details changed".
 */
export function anonymisedMember(member: Member, erasureLine: AuditLine): Member {
  const audit = (member.audit ?? []).map((l) => (l.summary === 'Added' ? l : { ...l, summary: 'Details changed' }));
  return {
    ...member,
    name: ERASED_NAME,
    initials: ERASED_INITIALS,
    otherInitials: [],
    jobTitle: '',
    email: null,
    entraObjectId: null,
    teamsUserId: null,
    audit: [...audit, erasureLine],
  };
}

/** Ledger lines that record a message to this person: by their member id in the key, or their chat. */
export function isDeliveryTo(delivery: Delivery, memberId: string, conversationIds: ReadonlySet<string>): boolean {
  return delivery.id.endsWith(`:${memberId}`) || (delivery.conversationId !== null && conversationIds.has(delivery.conversationId));
}

// ---------------------------------------------------------------------------------------------
// Labels for the subject-access export: what a person reads, no codes
// ---------------------------------------------------------------------------------------------

export const DELIVERY_KIND_LABELS: Readonly<Record<string, string>> = {
  'action-reminder': 'Reminder about an action',
  'owner-assigned': 'Notice of an action newly given to them',
  'report-received': 'Notice that a theme report came in',
  'report-prompt': 'Request for a theme report',
  'report-chase': 'Reminder to send a theme report',
  digest: 'Weekly digest',
  'channel-summary': 'Summary card in the board\u2019s channel',
  welcome: 'Welcome message when the app was added',
};

export const DELIVERY_STATUS_LABELS: Readonly<Record<string, string>> = {
  pending: 'Being sent',
  sending: 'Being sent',
  sent: 'Sent',
  failed: 'Not delivered',
  'in-doubt': 'Sent, arrival not confirmed',
  skipped: 'Not sent (nothing left to say)',
};

export const INSTALL_SCOPE_LABELS: Readonly<Record<string, string>> = {
  personal: 'Personal chat with the bot',
  groupChat: 'Group chat with the bot',
  team: 'Team with the bot',
};

export function deliveryKindLabel(kind: string): string {
  return DELIVERY_KIND_LABELS[kind] ?? 'Message from the bot';
}

export function deliveryStatusLabel(status: string): string {
  return DELIVERY_STATUS_LABELS[status] ?? 'Recorded';
}
