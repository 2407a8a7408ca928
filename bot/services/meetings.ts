import {
  defaultPaperDeadline,
  formatLongDate,
  dueDateOf,
  fail,
  isActiveTheme,
  isCurrentMembership,
  isMeetingOpen,
  isOpenStatus,
  londonDate,
  managesActionLog,
  meetingStatus,
  MEETING_STATUS_LABELS,
  nextMeetingAfter,
  ok,
  reportRoundId,
  REPORT_STATE_LABELS,
  reportState,
  rollOverAt,
  themeReportId,
  validateAttendance,
  validateMeetingPlan,
  withAudit,
  type Action,
  type Actor,
  type LocalDate,
  type Meeting,
  type MeetingPlan,
  type MeetingStatus,
  type ReportRound,
  type ReportState,
  type Result,
  type Substitute,
  type ThemeReport,
  type ThemeReportContent,
} from '../domain/index.js';
import { isStoreError, listAll, type RecordSet, type Store, type Versioned } from '../store/store.js';
import { actorIn, loadDirectory, type Directory } from './directory.js';

/** Who is asking, and when: the services below check the actor's role themselves. */
export interface Editor {
  readonly memberId: string;
  readonly now: Date;
  /**
   * The directory the request already read (a RequestContext is an Editor): used instead of
   * reading it again. A script or a test without one has it read.
   */
  readonly directory?: Directory;
}

/** The request's directory, or (no request context) a fresh read. */
export function directoryOf(store: Store, editor: Editor): Promise<Directory> {
  return editor.directory ? Promise.resolve(editor.directory) : loadDirectory(store);
}

export interface MeetingView extends Omit<Versioned<Meeting>, 'audit'> {
  readonly startTime: string | null;
  readonly substitutes: readonly Substitute[];
  readonly status: MeetingStatus;
  readonly statusLabel: string;
  readonly groupName: string;
}

export function toMeetingView(meeting: Versioned<Meeting>, directory: Directory): MeetingView {
  const status = meetingStatus(meeting);
  // Every member reads meetings; who changed them is for the keepers' audit trail only.
  const { audit: _audit, ...record } = meeting;
  return {
    ...record,
    startTime: meeting.startTime ?? null,
    substitutes: meeting.substitutes ?? [],
    status,
    statusLabel: MEETING_STATUS_LABELS[status],
    groupName: directory.groups.find((g) => g.id === meeting.groupId)?.name ?? 'Unknown group',
  };
}

function requireManager(directory: Directory, editor: Editor): Result<Actor> {
  const actor = actorIn(directory, editor.memberId, editor.now);
  if (!managesActionLog(actor)) return fail('MEETING.FORBIDDEN', 'Only the chair or the secretariat can schedule meetings, record attendance or record a meeting as held.');
  return ok(actor);
}

const conflict = () => fail<never>('STORE.CONFLICT', 'Someone else changed this meeting since you opened it. Reload it to see their change, then try again.');

function stripVersion<T extends { version: string }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

function auditLine(editor: Editor, id: string, summary: string) {
  return { id, at: editor.now.toISOString(), byMemberId: editor.memberId, summary };
}

/**
 * The round of reports a meeting's papers need: one report per active theme with a lead, asked
 * of the theme's first lead. Idempotent: a round or report that exists is kept, a report not yet
 * written follows a change of lead, and a theme added later gets its report.
 */
export async function ensureReportRound(store: Store, meeting: Meeting, directory: Directory, now: Date): Promise<Versioned<ReportRound> | null> {
  if (!meeting.paperDeadline || !isMeetingOpen(meeting)) return null;
  // A round made before rounds were named after their meeting (the demo's) is found by meeting.
  let round: Versioned<ReportRound> | undefined = (await listAll(store.reportRounds, { meetingId: meeting.id }))[0];
  const roundId = round?.id ?? reportRoundId(meeting.id);
  if (!round) {
    try {
      round = await store.reportRounds.create({ id: roundId, meetingId: meeting.id, deadline: meeting.paperDeadline, closedAt: null });
    } catch (error) {
      if (!isStoreError(error, 'STORE.DUPLICATE')) throw error;
      round = (await store.reportRounds.get(roundId))!;
    }
  } else if (round.deadline !== meeting.paperDeadline && !round.closedAt) {
    round = await updateIgnoringRace(store.reportRounds, { ...stripVersion(round), deadline: meeting.paperDeadline }, round.version);
  }
  const today = londonDate(now);
  const existing = new Map((await listAll(store.themeReports, { roundId })).map((r) => [r.themeId, r]));
  for (const theme of directory.themes.filter((t) => isActiveTheme(t, today))) {
    const leadMemberId = theme.leadMemberIds[0] ?? null;
    const report = existing.get(theme.id);
    // A theme with no lead named yet has nobody to ask: it joins the round once it has one.
    if (!report && leadMemberId === null) continue;
    if (!report) {
      try {
        await store.themeReports.create({ id: themeReportId(roundId, theme.id), roundId, themeId: theme.id, leadMemberId, versions: [] });
      } catch (error) {
        if (!isStoreError(error, 'STORE.DUPLICATE')) throw error;
      }
    } else if (report.versions.length === 0 && report.leadMemberId !== leadMemberId) {
      await updateIgnoringRace(store.themeReports, { ...stripVersion(report), leadMemberId }, report.version);
    }
  }
  return round ?? null;
}

/** For keeping derived records in step: if another writer moved it first, theirs is as good. */
async function updateIgnoringRace<T extends { readonly id: string }, Q>(set: RecordSet<T, Q>, record: T, version: string): Promise<Versioned<T> | undefined> {
  try {
    return await set.update(record, version);
  } catch (error) {
    if (!isStoreError(error, 'STORE.CONFLICT')) throw error;
    return set.get(record.id);
  }
}

/** Rounds for every meeting still to come: run by the sweep so a theme added since is asked too. */
export async function ensureUpcomingRounds(store: Store, directory: Directory, now: Date): Promise<void> {
  const today = londonDate(now);
  for (const meeting of directory.meetings) {
    if (meeting.date >= today && isMeetingOpen(meeting)) await ensureReportRound(store, meeting, directory, now);
  }
}

export type MeetingPlanInput = Omit<MeetingPlan, 'title' | 'kind' | 'startTime' | 'paperDeadline' | 'agenda'> & Partial<Pick<MeetingPlan, 'title' | 'kind' | 'startTime' | 'paperDeadline' | 'agenda'>>;

function planDefaults(input: MeetingPlanInput, directory: Directory): MeetingPlan {
  const kind = input.kind ?? 'exec';
  const groupName = directory.groups.find((g) => g.id === input.groupId)?.name ?? 'Meeting';
  return {
    groupId: input.groupId,
    date: input.date,
    startTime: input.startTime ?? null,
    title: input.title ?? (kind === 'public' ? `${groupName} (public meeting)` : groupName),
    kind,
    paperDeadline: input.paperDeadline ?? null,
    agenda: input.agenda ?? [],
  };
}

export async function scheduleMeeting(store: Store, editor: Editor, input: MeetingPlanInput, meetingId: string): Promise<Result<MeetingView>> {
  const directory = await directoryOf(store, editor);
  const manager = requireManager(directory, editor);
  if (!manager.ok) return manager;
  if (!directory.groups.some((g) => g.id === input.groupId)) return fail('GROUP.NOT_FOUND', 'There is no group with this id: choose the group that meets.');
  const valid = validateMeetingPlan(planDefaults(input, directory), londonDate(editor.now));
  if (!valid.ok) return valid;
  const clash = directory.meetings.find((m) => m.groupId === valid.value.groupId && m.date === valid.value.date && meetingStatus(m) !== 'cancelled' && m.id !== meetingId);
  if (clash) return fail('MEETING.INVALID', `This group already has a meeting on ${formatLongDate(clash.date)}: reschedule that one instead.`);
  const meeting = withAudit<Meeting>(
    { id: meetingId, ...valid.value, attendeeIds: [], apologyIds: [], substitutes: [], status: 'scheduled', heldAt: null, cancelledReason: null },
    auditLine(editor, `${meetingId}:created`, `Scheduled for ${formatLongDate(valid.value.date)}`),
  );
  let saved: Versioned<Meeting>;
  try {
    saved = await store.meetings.create(meeting);
  } catch (error) {
    if (!isStoreError(error, 'STORE.DUPLICATE')) throw error;
    // The client named this meeting: a resent request finds its own record.
    const existing = await store.meetings.get(meetingId);
    if (!existing || existing.groupId !== meeting.groupId || existing.date !== meeting.date) return fail('STORE.CONFLICT', 'A different meeting already has this id.');
    saved = existing;
  }
  await ensureReportRound(store, saved, { ...directory, meetings: [...directory.meetings, saved] }, editor.now);
  return ok(toMeetingView(saved, directory));
}

async function openMeeting(store: Store, editor: Editor, meetingId: string, expectedVersion: string): Promise<Result<{ meeting: Versioned<Meeting>; directory: Directory }>> {
  const directory = await directoryOf(store, editor);
  const manager = requireManager(directory, editor);
  if (!manager.ok) return manager;
  const meeting = directory.meetings.find((m) => m.id === meetingId);
  if (!meeting) return fail('MEETING.NOT_FOUND', 'There is no meeting with this id.');
  if (meeting.version !== expectedVersion) return conflict();
  return ok({ meeting, directory });
}

async function saveMeeting(store: Store, next: Meeting, version: string, directory: Directory): Promise<Result<MeetingView>> {
  try {
    return ok(toMeetingView(await store.meetings.update(next, version), directory));
  } catch (error) {
    if (isStoreError(error, 'STORE.CONFLICT')) return conflict();
    throw error;
  }
}

export async function rescheduleMeeting(store: Store, editor: Editor, meetingId: string, expectedVersion: string, input: Omit<MeetingPlanInput, 'groupId'>): Promise<Result<MeetingView>> {
  const opened = await openMeeting(store, editor, meetingId, expectedVersion);
  if (!opened.ok) return opened;
  const { meeting, directory } = opened.value;
  if (!isMeetingOpen(meeting)) return fail('MEETING.NOT_OPEN', `This meeting is ${MEETING_STATUS_LABELS[meetingStatus(meeting)].toLowerCase()}: it can no longer be rescheduled.`);
  // A field left out keeps its value: moving the date must not wipe the agenda. A paper deadline
  // that was the default for the old date follows the meeting to the default for the new one.
  const deadlineWasDefault = meeting.paperDeadline === defaultPaperDeadline(meeting.date);
  const kept: Omit<MeetingPlanInput, 'groupId'> = {
    startTime: meeting.startTime ?? null,
    title: meeting.title,
    kind: meeting.kind,
    agenda: meeting.agenda,
    paperDeadline: deadlineWasDefault && input.date !== meeting.date ? null : meeting.paperDeadline,
    ...input,
  };
  const valid = validateMeetingPlan(planDefaults({ ...kept, groupId: meeting.groupId }, directory), londonDate(editor.now));
  if (!valid.ok) return valid;
  const clash = directory.meetings.find((m) => m.groupId === meeting.groupId && m.date === valid.value.date && meetingStatus(m) !== 'cancelled' && m.id !== meeting.id);
  if (clash) return fail('MEETING.INVALID', `This group already has a meeting on ${formatLongDate(clash.date)}.`);
  const changes: string[] = [];
  if (meeting.date !== valid.value.date) changes.push(`Moved from ${formatLongDate(meeting.date)} to ${formatLongDate(valid.value.date)}`);
  if ((meeting.startTime ?? null) !== valid.value.startTime) changes.push(`Start time ${meeting.startTime ?? '(none)'} \u2192 ${valid.value.startTime ?? '(none)'}`);
  if (meeting.title !== valid.value.title) changes.push(`Title changed`);
  if (meeting.paperDeadline !== valid.value.paperDeadline) changes.push(`Paper deadline ${meeting.paperDeadline ? formatLongDate(meeting.paperDeadline) : '(none)'} \u2192 ${formatLongDate(valid.value.paperDeadline!)}`);
  if (JSON.stringify(meeting.agenda) !== JSON.stringify(valid.value.agenda)) changes.push('Agenda changed');
  if (meeting.kind !== valid.value.kind) changes.push(`Kind ${meeting.kind} \u2192 ${valid.value.kind}`);
  if (!changes.length) return ok(toMeetingView(meeting, directory));
  const next = withAudit({ ...stripVersion(meeting), ...valid.value }, auditLine(editor, `${meeting.id}:${editor.now.getTime()}`, changes.join('; ')));
  const saved = await saveMeeting(store, next, expectedVersion, directory);
  if (saved.ok) await ensureReportRound(store, next, directory, editor.now);
  return saved;
}

export async function cancelMeeting(store: Store, editor: Editor, meetingId: string, expectedVersion: string, reason: string): Promise<Result<MeetingView>> {
  const opened = await openMeeting(store, editor, meetingId, expectedVersion);
  if (!opened.ok) return opened;
  const { meeting, directory } = opened.value;
  if (!isMeetingOpen(meeting)) return fail('MEETING.NOT_OPEN', `This meeting is already ${MEETING_STATUS_LABELS[meetingStatus(meeting)].toLowerCase()}.`);
  const why = reason.trim();
  if (!why) return fail('MEETING.INVALID', 'Say why the meeting is cancelled: members read it.');
  const next = withAudit({ ...stripVersion(meeting), status: 'cancelled' as const, cancelledReason: why }, auditLine(editor, `${meeting.id}:cancelled`, `Cancelled: ${why}`));
  const saved = await saveMeeting(store, next, expectedVersion, directory);
  // Its round closes: nobody is chased for papers to a meeting that will not happen.
  if (saved.ok) await closeRound(store, meeting.id, editor.now);
  return saved;
}

export interface AttendanceInput {
  readonly attendeeIds: readonly string[];
  readonly apologyIds: readonly string[];
  readonly substitutes?: readonly Substitute[];
}

export async function recordAttendance(store: Store, editor: Editor, meetingId: string, expectedVersion: string, input: AttendanceInput): Promise<Result<MeetingView>> {
  const opened = await openMeeting(store, editor, meetingId, expectedVersion);
  if (!opened.ok) return opened;
  const { meeting, directory } = opened.value;
  if (meetingStatus(meeting) === 'cancelled') return fail('MEETING.NOT_OPEN', 'This meeting was cancelled: there is no attendance to record.');
  if (meeting.date > londonDate(editor.now)) return fail('MEETING.INVALID', `This meeting is on ${formatLongDate(meeting.date)}: record attendance on the day or after it.`);
  const substitutes = input.substitutes ?? [];
  const valid = validateAttendance(input.attendeeIds, input.apologyIds, substitutes);
  if (!valid.ok) return valid;
  const group = directory.groups.find((g) => g.id === meeting.groupId);
  for (const id of [...input.attendeeIds, ...input.apologyIds, ...substitutes.flatMap((s) => (s.forMemberId ? [s.forMemberId] : []))]) {
    const member = directory.members.find((m) => m.id === id);
    if (!member) return fail('MEMBER.NOT_FOUND', `There is no person with the id ${id.slice(0, 60)}.`);
    const sat = directory.memberships.some((ms) => ms.memberId === id && ms.groupId === meeting.groupId && isCurrentMembership(ms, meeting.date));
    if (!sat) return fail('MEETING.INVALID', `${member.name} was not a member of ${group?.name ?? 'this group'} on ${formatLongDate(meeting.date)}: record them as a substitute for their organisation, or add their membership first.`);
  }
  for (const s of substitutes) {
    if (s.organisationId && !directory.organisations.some((o) => o.id === s.organisationId)) return fail('ORGANISATION.NOT_FOUND', `The organisation of substitute ${s.name.slice(0, 60)} is not on the list.`);
  }
  const clean = substitutes.map((s) => ({ name: s.name.trim(), organisationId: s.organisationId, forMemberId: s.forMemberId }));
  const next = withAudit(
    { ...stripVersion(meeting), attendeeIds: [...input.attendeeIds], apologyIds: [...input.apologyIds], substitutes: clean },
    auditLine(editor, `${meeting.id}:attendance:${editor.now.getTime()}`, `Attendance recorded: ${input.attendeeIds.length} present, ${input.apologyIds.length} apologies, ${clean.length} substitutes`),
  );
  return saveMeeting(store, next, expectedVersion, directory);
}

async function closeRound(store: Store, meetingId: string, now: Date): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const round = await roundOf(store, meetingId);
    if (!round || round.closedAt) return;
    try {
      await store.reportRounds.update({ ...stripVersion(round), closedAt: now.toISOString() }, round.version);
      return;
    } catch (error) {
      if (!isStoreError(error, 'STORE.CONFLICT')) throw error;
    }
  }
}

function roundOf(store: Store, meetingId: string): Promise<Versioned<ReportRound> | undefined> {
  return listAll(store.reportRounds, { meetingId }).then((rounds) => rounds[0]);
}

export interface HeldResult {
  readonly meeting: MeetingView;
  /** Actions carried from this meeting to the next, in all (the same answer to a repeated request). */
  readonly rolledOver: number;
  /** True when someone had already recorded it: nothing was rolled over twice. */
  readonly alreadyHeld: boolean;
  readonly nextMeeting: { readonly id: string; readonly date: LocalDate } | null;
  /** Rolled-over actions with no meeting to be due at yet: they wait until one is scheduled. */
  readonly waitingForNextMeeting: number;
  readonly message: string;
}

/** Whether this open action belongs to the meeting's group and was due at (or before) it. */
function rollOverCandidate(action: Action, meeting: Meeting, directory: Directory): boolean {
  if (!isOpenStatus(action.status)) return false;
  const agreedAt = directory.meetings.find((m) => m.id === action.meetingId);
  return agreedAt?.groupId === meeting.groupId;
}

/**
 * Records that a meeting took place. Every action still open that was due at it rolls over
 * to the next meeting, exactly once: each roll-over is a versioned write whose history line
 * names this meeting, so a second run (a double click, two people at once, a retry after a
 * crash half way) finds the line and leaves the action alone. The meeting is marked held last,
 * so a crash before that leaves it scheduled and the secretariat simply records it again.
 */
export async function recordMeetingHeld(store: Store, editor: Editor, meetingId: string, expectedVersion: string): Promise<Result<HeldResult>> {
  const directory = await directoryOf(store, editor);
  const manager = requireManager(directory, editor);
  if (!manager.ok) return manager;
  const meeting = directory.meetings.find((m) => m.id === meetingId);
  if (!meeting) return fail('MEETING.NOT_FOUND', 'There is no meeting with this id.');
  const status = meetingStatus(meeting);
  if (status === 'held') return ok(await heldResult(store, meeting, directory, editor.now, true));
  if (status === 'cancelled') return fail('MEETING.NOT_OPEN', 'This meeting was cancelled: it cannot be recorded as held.');
  if (meeting.version !== expectedVersion) return conflict();
  if (meeting.date > londonDate(editor.now)) return fail('MEETING.INVALID', `This meeting is on ${formatLongDate(meeting.date)}: it can be recorded as held on the day or after it.`);

  const open = await listAll(store.actions, { statuses: ['open', 'in-progress'] });
  for (const candidate of open.filter((a) => rollOverCandidate(a, meeting, directory))) {
    await rollOverOnce(store, candidate, meeting, directory, editor.now);
  }
  const held = withAudit({ ...stripVersion(meeting), status: 'held' as const, heldAt: editor.now.toISOString() }, auditLine(editor, `${meeting.id}:held`, 'Recorded as held'));
  let alreadyHeld = false;
  try {
    await store.meetings.update(held, expectedVersion);
  } catch (error) {
    if (!isStoreError(error, 'STORE.CONFLICT')) throw error;
    const now = await store.meetings.get(meeting.id);
    if (!now || meetingStatus(now) !== 'held') return conflict();
    alreadyHeld = true;
  }
  await closeRound(store, meeting.id, editor.now);
  const fresh = await loadDirectory(store);
  return ok(await heldResult(store, fresh.meetings.find((m) => m.id === meeting.id)!, fresh, editor.now, alreadyHeld));
}

async function rollOverOnce(store: Store, action: Versioned<Action>, meeting: Meeting, directory: Directory, now: Date): Promise<void> {
  let current: Versioned<Action> | undefined = action;
  for (let attempt = 0; current && attempt < 5; attempt++) {
    const next = rollOverAt(stripVersion(current), meeting, directory.meetings, now, `rollover:${meeting.id}`);
    if (!next) return;
    try {
      await store.actions.update(next, current.version);
      return;
    } catch (error) {
      if (!isStoreError(error, 'STORE.CONFLICT')) throw error;
      // Someone edited it (or another request rolled it over) meanwhile: decide again on what is there now.
      current = await store.actions.get(action.id);
    }
  }
  if (current) throw new Error('An action kept changing while it was being rolled over.');
}

async function heldResult(store: Store, meeting: Versioned<Meeting>, directory: Directory, now: Date, alreadyHeld: boolean): Promise<HeldResult> {
  const rolled = (await listAll(store.actions, {})).filter((a) =>
    a.history.some((h) => h.kind === 'rolled-over' && h.to === meeting.id),
  );
  const next = nextMeetingAfter(directory.meetings, meeting.groupId, meeting.date) ?? null;
  const waiting = next ? 0 : rolled.filter((a) => isOpenStatus(a.status) && dueDateOf(a, directory.meetings) === null).length;
  const message = alreadyHeld
    ? `This meeting was already recorded as held; ${actionsCount(rolled.length)} had been carried over.`
    : next
      ? `${actionsCount(rolled.length)} carried over to the meeting of ${formatLongDate(next.date)}.`
      : `${actionsCount(rolled.length)} carried over. No next meeting is scheduled yet: schedule it, and they become due at it.`;
  void now;
  return { meeting: toMeetingView(meeting, directory), rolledOver: rolled.length, alreadyHeld, nextMeeting: next ? { id: next.id, date: next.date } : null, waitingForNextMeeting: waiting, message };
}

export interface RoundThemeView {
  readonly themeId: string;
  readonly themeName: string;
  readonly reportId: string | null;
  readonly leads: readonly { readonly id: string; readonly initials: string; readonly name: string }[];
  readonly state: ReportState;
  readonly stateLabel: string;
  readonly rag: ThemeReportContent['rag'] | null;
  /** Every version, oldest first; the texts only for the chair, the secretariat and the theme's lead. */
  readonly versions: readonly { readonly submittedAt: string; readonly byInitials: string; readonly content: ThemeReportContent | null }[];
}

export interface RoundView {
  readonly meeting: MeetingView;
  readonly round: { readonly id: string; readonly deadline: LocalDate; readonly closed: boolean } | null;
  readonly reported: number;
  readonly expected: number;
  readonly themes: readonly RoundThemeView[];
}

/** A meeting's round of theme reports: who has reported, each version, and what is missing. A request passes the directory its context holds. */
export async function getReportRound(store: Store, viewerMemberId: string, meetingId: string, now: Date, known?: Directory): Promise<Result<RoundView>> {
  const directory = known ?? (await loadDirectory(store));
  const meeting = directory.meetings.find((m) => m.id === meetingId);
  if (!meeting) return fail('MEETING.NOT_FOUND', 'There is no meeting with this id.');
  const viewer = actorIn(directory, viewerMemberId, now);
  const round = await roundOf(store, meeting.id);
  const reports: Versioned<ThemeReport>[] = round ? await listAll(store.themeReports, { roundId: round.id }) : [];
  const today = londonDate(now);
  const initials = (id: string) => directory.members.find((m) => m.id === id)?.initials ?? 'a former member';
  const themes = reports.map((report): RoundThemeView => {
    const theme = directory.themes.find((t) => t.id === report.themeId);
    const maySeeText = managesActionLog(viewer) || theme?.leadMemberIds.includes(viewerMemberId) === true || report.leadMemberId === viewerMemberId;
    const state = reportState(report, round!, today);
    const last = report.versions[report.versions.length - 1];
    return {
      themeId: report.themeId,
      themeName: theme?.name ?? 'Theme',
      reportId: report.id,
      leads: (theme?.leadMemberIds ?? (report.leadMemberId ? [report.leadMemberId] : [])).map((id) => ({ id, initials: initials(id), name: directory.members.find((m) => m.id === id)?.name ?? 'A former member' })),
      state,
      stateLabel: REPORT_STATE_LABELS[state],
      rag: last?.content.rag ?? null,
      versions: report.versions.map((v) => ({ submittedAt: v.submittedAt, byInitials: initials(v.submittedByMemberId), content: maySeeText ? v.content : null })),
    };
  });
  const expected = themes.length;
  // Active themes with nobody to ask are shown, so the secretariat sees a lead is needed.
  for (const theme of directory.themes.filter((t) => isActiveTheme(t, today) && !reports.some((r) => r.themeId === t.id) && t.leadMemberIds.length === 0)) {
    themes.push({ themeId: theme.id, themeName: theme.name, reportId: null, leads: [], state: 'no-lead', stateLabel: REPORT_STATE_LABELS['no-lead'], rag: null, versions: [] });
  }
  themes.sort((a, b) => a.themeName.localeCompare(b.themeName));
  return ok({
    meeting: toMeetingView(meeting, directory),
    round: round ? { id: round.id, deadline: round.deadline, closed: Boolean(round.closedAt) } : null,
    reported: themes.filter((t) => t.versions.length > 0).length,
    expected,
    themes,
  });
}

function actionsCount(n: number): string {
  return `${n} action${n === 1 ? '' : 's'}`;
}
