/**
 * The shapes the tab API answers with, named in one place for the tab to import type-only
 * (`import type`: erased, so nothing of the server is bundled). They are the services' own view
 * types, so a change on the server shows in the tab as a type error, not a silent mismatch.
 */
import type { LocalDate } from '../domain/index.js';

export type { ActionAllowed } from '../domain/index.js';
export type { ActionDetailView, ActionLogPage, ActionView, HistoryLineView, OwnerView } from '../services/action-log.js';
export type { MatterArisingView, MattersArisingView, ReportReceivedView } from '../services/matters-arising.js';

/** GET /api/tab/me: who is signed in, their roles, and the board's date. */
export interface MeView {
  readonly member: { readonly id: string; readonly initials: string; readonly name: string };
  readonly roles: { readonly chair: boolean; readonly secretariat: boolean };
  /** The board's own group: where new meetings and new people go unless the secretariat says otherwise. */
  readonly execGroupId: string;
  /** The board's date in London, as the server sees it. */
  readonly today: LocalDate;
  readonly groupIds: readonly string[];
  readonly localMode: boolean;
  /**
   * The attendance dialog may offer "Fetch from Teams": this caller keeps the meetings and the
   * server runs with ATTENDANCE_FROM_GRAPH=true. Without it the tab offers the upload only.
   */
  readonly canFetchAttendanceFromTeams: boolean;
  /**
   * Who can be chosen as the meeting's organiser in "Fetch from Teams": the current members who
   * have used Safer Exec in Teams, so Teams can be asked for their meetings. Empty when
   * canFetchAttendanceFromTeams is false.
   */
  readonly teamsOrganiserMemberIds: readonly string[];
}
