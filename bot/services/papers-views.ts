import type { AttendanceOutcome, LetterReason, LocalDate, ResponsibleAuthorityKind } from '../domain/index.js';
import type { MattersArisingView, ReportReceivedView } from './matters-arising.js';

/*
 * The views of the chair's letters (chairs-letter.ts) and the papers pack (papers-pack.ts), apart
 * from the services that make them, so the Word renderer (papers-docx.ts) reads them without a
 * circle: the services call the renderer, the renderer knows only these shapes.
 */

export interface EngagementMeetingView {
  readonly meetingId: string;
  readonly date: LocalDate;
  readonly title: string;
  readonly outcome: AttendanceOutcome;
  readonly outcomeLabel: string;
  /** Names of the organisation's people who attended, and who sent apologies. */
  readonly attended: readonly string[];
  readonly apologies: readonly string[];
}

export interface LastLetterView {
  readonly byLabel: string;
  readonly on: LocalDate;
  /** "Letter drafted by Matt Garrett (MG) on 23 November 2026". */
  readonly text: string;
}

export interface AuthorityEngagementView {
  readonly organisationId: string;
  readonly organisation: string;
  readonly authorityKind: ResponsibleAuthorityKind;
  readonly authorityLabel: string;
  /** Current decision-making members of the group from this organisation: "Matt Garrett (MG)". */
  readonly decisionMakers: readonly string[];
  /** Every current member of the group from this organisation. */
  readonly currentMembers: readonly string[];
  /** The meetings counted, oldest first, with how this organisation did at each. */
  readonly meetings: readonly EngagementMeetingView[];
  readonly meetingsAttended: number;
  readonly meetingsWithApologiesOnly: number;
  readonly reasons: readonly LetterReason[];
  readonly reasonLabels: readonly string[];
  /** "Attended 1 of the last 4 meetings; no current decision-making member." */
  readonly summary: string;
  /** The attendance half of the summary, for beside the reasons a letter is due: "Attended 0 of the last 3 meetings". */
  readonly attendanceLabel: string;
  readonly lastLetter: LastLetterView | null;
}

export interface EngagementView {
  readonly asOf: LocalDate;
  readonly groupId: string;
  readonly groupName: string;
  /** N as asked; the meetings actually counted may be fewer. */
  readonly meetingsAsked: number;
  readonly meetingsCounted: number;
  readonly rule: string;
  /** Every responsible authority on the organisation list, those a letter is for first. */
  readonly authorities: readonly AuthorityEngagementView[];
  /** Kinds of responsible authority with no organisation on the list at all. */
  readonly kindsNotListed: readonly ResponsibleAuthorityKind[];
}

export interface ChairsLetterView {
  readonly date: LocalDate;
  readonly partnership: string;
  readonly groupName: string;
  readonly authority: AuthorityEngagementView;
  readonly chair: { readonly name: string; readonly initials: string } | null;
  readonly nextMeeting: { readonly date: LocalDate; readonly title: string } | null;
  /** The date the letter asks for a reply by: four weeks on. */
  readonly replyBy: LocalDate;
}

export interface PackAgendaItem {
  readonly number: string;
  readonly title: string;
}

export interface PapersPackView {
  readonly partnership: string;
  readonly groupName: string;
  readonly meeting: { readonly date: LocalDate; readonly title: string; readonly startTime: string | null; readonly statusLabel: string };
  readonly asOf: LocalDate;
  readonly chair: string | null;
  readonly agenda: readonly PackAgendaItem[];
  readonly previousMeeting: { readonly date: LocalDate; readonly title: string; readonly present: readonly string[]; readonly apologies: readonly string[] } | null;
  readonly mattersArising: MattersArisingView;
  /** Reports with no text for this round: "Safer communities (lead TN): Not in yet". */
  readonly reportsNotReceived: readonly ReportReceivedView[];
  /** False when no report round was opened for this meeting. */
  readonly hasRound: boolean;
  readonly governance: EngagementView;
  /** Responsible authorities, in words, with nobody currently on the group. */
  readonly authoritiesWithNoMember: readonly string[];
  readonly currentMemberCount: number;
}
