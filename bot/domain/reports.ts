import { formatLongDate, type LocalDate } from './dates.js';
import type { Rag } from './actions.js';
import { fail, ok, type Result } from './result.js';

/** One set of theme-lead reports for one meeting's papers. */
export interface ReportRound {
  readonly id: string;
  readonly meetingId: string;
  /** Last day (London) a lead can submit or change a report. */
  readonly deadline: LocalDate;
  /** Set when the meeting is held: no more prompts, chases or submissions for it. */
  readonly closedAt?: string | null;
}

/** One round per meeting, named after it, so creating it twice finds the first. */
export function reportRoundId(meetingId: string): string {
  return `round-${meetingId}`;
}

export interface ThemeReportContent {
  readonly progress: string;
  readonly asks: string;
  readonly risks: string;
  readonly data: string;
  readonly rag: Rag;
}

export interface ThemeReportVersion {
  readonly content: ThemeReportContent;
  readonly submittedAt: string;
  readonly submittedByMemberId: string;
}

export interface ThemeReport {
  /** One per round and theme: `${roundId}:${themeId}`, so a repeated submission cannot make a second report. */
  readonly id: string;
  readonly roundId: string;
  readonly themeId: string;
  readonly leadMemberId: string | null;
  /** Every submitted version, oldest first; the last is the current report. */
  readonly versions: readonly ThemeReportVersion[];
}

export const THEME_REPORT_FIELD_MAX = 4000;

export const REPORT_FIELD_LABELS = {
  progress: 'Progress since the last meeting',
  asks: 'Asks of the Exec',
  risks: 'Risks and concerns',
  data: 'Data and trends',
} as const;

export function themeReportId(roundId: string, themeId: string): string {
  return `${roundId}:${themeId}`;
}

export type ReportStatus = 'requested' | 'submitted' | 'late';

export function currentContent(report: ThemeReport): ThemeReportContent | null {
  return report.versions[report.versions.length - 1]?.content ?? null;
}

/** requested: not in yet, deadline not passed; submitted: in on time; late: in after the deadline, or still missing after it. */
export function reportStatus(report: ThemeReport, round: ReportRound, today: LocalDate): ReportStatus {
  const first = report.versions[0];
  if (!first) return today > round.deadline ? 'late' : 'requested';
  return first.submittedAt.slice(0, 10) > round.deadline ? 'late' : 'submitted';
}

/** Where a theme's report stands for its round, as the tab, the matters arising and the exports name it. */
export type ReportState = 'not-in-yet' | 'submitted' | 'late' | 'missing' | 'no-lead';

export const REPORT_STATE_LABELS: Record<ReportState, string> = {
  'not-in-yet': 'Not in yet',
  submitted: 'Submitted',
  late: 'Submitted late',
  missing: 'Missing',
  'no-lead': 'No lead named',
};

/** Submitted (on time or late); else missing once the deadline passed or the round closed, not in yet before; no lead to ask. */
export function reportState(report: ThemeReport, round: ReportRound, today: LocalDate): ReportState {
  if (report.versions.length > 0) return reportStatus(report, round, today) === 'late' ? 'late' : 'submitted';
  if (!report.leadMemberId) return 'no-lead';
  return round.closedAt || today > round.deadline ? 'missing' : 'not-in-yet';
}

export function validateReportContent(content: ThemeReportContent): Result<ThemeReportContent> {
  const trimmed: ThemeReportContent = {
    progress: content.progress.trim(),
    asks: content.asks.trim(),
    risks: content.risks.trim(),
    data: content.data.trim(),
    rag: content.rag,
  };
  const missing = (['progress', 'risks'] as const).filter((k) => trimmed[k] === '');
  if (missing.length) {
    return fail('REPORT.INVALID', `Please fill in: ${missing.map((k) => REPORT_FIELD_LABELS[k]).join(', ')}.`);
  }
  const tooLong = (['progress', 'asks', 'risks', 'data'] as const).filter((k) => trimmed[k].length > THEME_REPORT_FIELD_MAX);
  if (tooLong.length) {
    return fail('REPORT.INVALID', `Each section can be at most ${THEME_REPORT_FIELD_MAX} characters: shorten ${tooLong.map((k) => REPORT_FIELD_LABELS[k]).join(', ')}.`);
  }
  if (!['red', 'amber', 'green'].includes(trimmed.rag)) return fail('REPORT.INVALID', 'Choose a RAG rating: red, amber or green.');
  return ok(trimmed);
}

/**
 * A lead saves and changes their report until the deadline; a report not in by then can
 * still be submitted (it shows as late), but one already in is locked for the papers.
 */
export function submitThemeReport(
  report: ThemeReport,
  round: ReportRound,
  content: ThemeReportContent,
  byMemberId: string,
  mayActForTheme: boolean,
  now: Date,
  today: LocalDate,
): Result<ThemeReport> {
  if (!mayActForTheme) return fail('REPORT.FORBIDDEN', 'Only the theme lead (or the secretariat on their behalf) can submit this report.');
  if (round.closedAt) return fail('REPORT.LOCKED', 'The meeting these papers were for has been held: this round is closed.');
  if (today > round.deadline && report.versions.length > 0) {
    return fail('REPORT.LOCKED', `The deadline (${formatLongDate(round.deadline)}) has passed, so the report in the papers can no longer change.`);
  }
  const valid = validateReportContent(content);
  if (!valid.ok) return valid;
  const latest = currentContent(report);
  if (latest && JSON.stringify(latest) === JSON.stringify(valid.value)) return ok(report);
  return ok({
    ...report,
    versions: [...report.versions, { content: valid.value, submittedAt: now.toISOString(), submittedByMemberId: byMemberId }],
  });
}
