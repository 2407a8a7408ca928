import {
  currentContent,
  fail,
  londonDate,
  ok,
  submitThemeReport,
  type LocalDate,
  type ReportRound,
  type Result,
  type ThemeReport,
  type ThemeReportContent,
} from '../domain/index.js';
import { isStoreError, listAll, type Store, type Versioned } from '../store/store.js';
import { loadDirectory, type Directory } from './directory.js';
import type { RequestContext } from './request-context.js';

export interface ReportCardView {
  readonly reportId: string;
  readonly roundId: string;
  readonly themeName: string;
  readonly meetingDate: LocalDate | null;
  readonly deadline: LocalDate;
  readonly content: ThemeReportContent | null;
  readonly versionCount: number;
  readonly lastSavedAt: string | null;
  /** Until the deadline; after it only a report never submitted can still come in (late). */
  readonly editable: boolean;
}

export interface RoundProgressView {
  readonly roundId: string;
  readonly meetingDate: LocalDate | null;
  readonly deadline: LocalDate;
  readonly reported: number;
  readonly total: number;
  /** Theme titles only: the channel card shows these. */
  readonly themes: readonly { readonly name: string; readonly reported: boolean }[];
}

function toReportCardView(report: ThemeReport, round: ReportRound, directory: Directory, today: LocalDate): ReportCardView {
  const last = report.versions[report.versions.length - 1];
  return {
    reportId: report.id,
    roundId: round.id,
    themeName: directory.themes.find((t) => t.id === report.themeId)?.name ?? 'Theme',
    meetingDate: directory.meetings.find((m) => m.id === round.meetingId)?.date ?? null,
    deadline: round.deadline,
    content: currentContent(report),
    versionCount: report.versions.length,
    lastSavedAt: last?.submittedAt ?? null,
    editable: today <= round.deadline || report.versions.length === 0,
  };
}

/** The round whose papers are being gathered now: the first still open with its deadline today or later. */
export async function currentRound(store: Store, now: Date): Promise<Versioned<ReportRound> | undefined> {
  const today = londonDate(now);
  const rounds = await listAll(store.reportRounds, {});
  // A closed round is not being gathered: a cancelled meeting's round keeps its (future) deadline,
  // and without this the digest and "report" read it instead of the rearranged meeting's round.
  return rounds.filter((r) => !r.closedAt && r.deadline >= today).sort((a, b) => a.deadline.localeCompare(b.deadline))[0];
}

/** The report a lead is asked for in the current round ("report" in a personal chat), from the request's context. */
export async function reportForLead(store: Store, request: Pick<RequestContext, 'memberId' | 'directory' | 'now' | 'today'>): Promise<Result<ReportCardView>> {
  const { memberId, now } = request;
  const round = await currentRound(store, now);
  if (!round) return fail('REPORT.NOT_FOUND', 'No theme reports are being gathered at the moment: the secretariat opens a round before each meeting.');
  const reports = await listAll(store.themeReports, { roundId: round.id, leadMemberId: memberId });
  const report = reports[0];
  if (!report) return fail('REPORT.NOT_FOUND', 'You are not down as a theme lead for the next meeting, so there is no report for you to write. If that is wrong, ask the secretariat.');
  return ok(toReportCardView(report, round, request.directory, request.today));
}

/** A report's card, with the directory the request (or the sweep) already read. */
export async function reportCardView(store: Store, reportId: string, request: Pick<RequestContext, 'directory' | 'today'>): Promise<Result<ReportCardView>> {
  const report = await store.themeReports.get(reportId);
  if (!report) return fail('REPORT.NOT_FOUND', 'There is no theme report with this id.');
  const round = await store.reportRounds.get(report.roundId);
  if (!round) return fail('REPORT.NOT_FOUND', 'The round this report belongs to no longer exists.');
  return ok(toReportCardView(report, round, request.directory, request.today));
}

/**
 * Saves a lead's report. Every change is a new version (earlier ones are kept); the same
 * content sent again (a re-delivered card submission) changes nothing. Who is saving, their
 * roles and the directory come from the request's context.
 */
export async function submitReport(
  store: Store,
  request: Pick<RequestContext, 'memberId' | 'actor' | 'directory' | 'now' | 'today'>,
  reportId: string,
  content: ThemeReportContent,
): Promise<Result<{ readonly view: ReportCardView; readonly changed: boolean; readonly firstSubmission: boolean }>> {
  for (let attempt = 0; ; attempt++) {
    const report = await store.themeReports.get(reportId);
    if (!report) return fail('REPORT.NOT_FOUND', 'There is no theme report with this id.');
    const round = await store.reportRounds.get(report.roundId);
    if (!round) return fail('REPORT.NOT_FOUND', 'The round this report belongs to no longer exists.');
    const { memberId, actor, directory, now, today } = request;
    const { version, ...record } = report;
    const next = submitThemeReport(record, round, content, memberId, report.leadMemberId === memberId || actor.isSecretariat, now, today);
    if (!next.ok) return next;
    const changed = next.value.versions.length !== report.versions.length;
    if (!changed) return ok({ view: toReportCardView(report, round, directory, today), changed, firstSubmission: false });
    try {
      const saved = await store.themeReports.update(next.value, version);
      return ok({ view: toReportCardView(saved, round, directory, today), changed, firstSubmission: report.versions.length === 0 });
    } catch (error) {
      // Another save at the same moment (a double click): apply ours on top of it once.
      if (attempt < 1 && isStoreError(error, 'STORE.CONFLICT')) continue;
      if (isStoreError(error, 'STORE.CONFLICT')) return fail('STORE.CONFLICT', 'Your report was changed somewhere else at the same moment. Open it again with "report" and save once more.');
      throw error;
    }
  }
}

/** A round's progress; a sweep passes the directory it read once, a caller without one has it read. */
export async function roundProgress(store: Store, roundId: string, known?: Directory): Promise<Result<RoundProgressView>> {
  const round = await store.reportRounds.get(roundId);
  if (!round) return fail('REPORT.NOT_FOUND', 'There is no such round.');
  const directory = known ?? (await loadDirectory(store));
  const reports = await listAll(store.themeReports, { roundId });
  const themes = reports
    .map((r) => ({ name: directory.themes.find((t) => t.id === r.themeId)?.name ?? 'Theme', reported: r.versions.length > 0 }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return ok({
    roundId,
    meetingDate: directory.meetings.find((m) => m.id === round.meetingId)?.date ?? null,
    deadline: round.deadline,
    reported: themes.filter((t) => t.reported).length,
    total: themes.length,
    themes,
  });
}
