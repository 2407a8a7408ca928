// The domain is plain TypeScript with no imports, so the tab shares its vocabulary and the
// owner rule directly rather than keeping a copy that could drift.
import { ACTION_STATUS_LABELS, OWNER_STATUSES, type ActionStatus, type Rag } from '../../bot/domain/actions.js';
import { formatLongDate as britishLongDate } from '../../bot/domain/dates.js';
import { REPORT_FIELD_LABELS } from '../../bot/domain/reports.js';
import { DEFAULT_PAPER_DEADLINE_WORKING_DAYS, defaultPaperDeadline, MEETING_KINDS, type MeetingKind } from '../../bot/domain/meetings.js';
import { RESPONSIBLE_AUTHORITY_KINDS, RESPONSIBLE_AUTHORITY_LABELS, type ResponsibleAuthorityKind } from '../../bot/domain/organisations.js';
import { GROUP_KINDS, GROUP_KIND_LABELS, GROUP_REMIND_VIA_LABELS, MEMBERSHIP_ROLES, MEMBERSHIP_ROLE_LABELS, type GroupKind, type MembershipRole } from '../../bot/domain/groups.js';
// The API's own view types, type-only: nothing from the server is bundled, and a change there
// shows up here as a type error instead of a silent mismatch.
import type { HeldResult, MeetingView, RoundView } from '../../bot/services/meetings.js';
import type { AuditEntryView, BoardRecordsView } from '../../bot/services/board-records.js';
import type { GroupView } from '../../bot/services/memberships.js';
import type { FailedDeliveryView } from '../../bot/services/delivery-report.js';
import type { ActionAllowed, ActionDetailView, ActionLogPage, ActionView, HistoryLineView, MattersArisingView, MeView, OwnerView } from '../../bot/http/api-views.js';

/**
 * The tab's only way to the server. Inside Teams every call carries the SSO token; in
 * local mode it names the demo member in X-Dev-User (the server accepts that only from loopback).
 */
export interface Identity {
  readonly devUser?: string;
  readonly getToken?: () => Promise<string>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message);
  }
}

async function headersFor(identity: Identity, init: RequestInit): Promise<Headers> {
  const headers = new Headers(init.headers);
  if (identity.devUser) headers.set('X-Dev-User', identity.devUser);
  if (identity.getToken) headers.set('Authorization', `Bearer ${await identity.getToken()}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  return headers;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string; issues?: string[] } };
  return new ApiError(response.status, body.error?.code ?? 'UNKNOWN', body.error?.message ?? `Request failed (${response.status}).`, body.error?.issues ?? []);
}

export async function api<T>(identity: Identity, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { ...init, headers: await headersFor(identity, init) });
  if (!response.ok) throw await errorFrom(response);
  return (await response.json()) as T;
}

/** Fetches an export with the caller's identity and hands it to the browser as a download (a POST too: the chair's letter). */
export async function download(identity: Identity, path: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(path, { ...init, headers: await headersFor(identity, init) });
  if (!response.ok) throw await errorFrom(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'safer-exec-export';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return fileName;
}

export function query(params: Record<string, string | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function newChangeId(): string {
  return `tab-${crypto.randomUUID()}`;
}

/**
 * Names one submission of a create form: made when the form opens and kept until the record
 * exists, so a double click or a resent request finds the record instead of making a second.
 */
export function newRequestId(): string {
  return crypto.randomUUID();
}

export type { AuditEntryView, BoardRecordsView, FailedDeliveryView, GroupView, HeldResult, RoundView };

/**
 * GET /api/tab/bot/unreachable: current members the bot cannot message, with the reason to
 * read, and how the board's team was read. A copy of the server's shape (bot/services/installs.ts
 * imports the roster, which the tab cannot type-check).
 */
export interface ReachReportView {
  readonly members: readonly { readonly memberId: string; readonly initials: string; readonly name: string; readonly reason: string; readonly reasonLabel: string }[];
  readonly team: 'ok' | 'no-team-install' | 'unavailable' | 'not-asked';
}

/**
 * The board's team in Teams as GET /api/tab/bot/roster lists it. A copy of the server's
 * RosterEntryView (bot/services/roster.ts), because that file imports node:crypto and the tab
 * is type-checked without Node's types.
 */
export interface RosterEntryView {
  readonly teamsUserId: string;
  readonly name: string;
  readonly email: string | null;
  readonly userPrincipalName: string | null;
  readonly aadObjectId: string | null;
  readonly person: { readonly id: string; readonly initials: string } | null;
}

/** One line of POST /api/tab/bot/roster/import's answer (the server's RosterImportResult, as far as the tab reads it). */
export interface RosterImportResult {
  readonly teamsUserId: string;
  readonly outcome: 'added' | 'already-a-person';
  readonly person: { readonly id: string; readonly name: string; readonly initials: string };
}
export type Meeting = MeetingView;
export { britishLongDate, REPORT_FIELD_LABELS };
export { DEFAULT_PAPER_DEADLINE_WORKING_DAYS, defaultPaperDeadline, MEETING_KINDS, type MeetingKind };
export { RESPONSIBLE_AUTHORITY_KINDS, type ResponsibleAuthorityKind, MEMBERSHIP_ROLES, MEMBERSHIP_ROLE_LABELS, type MembershipRole };
export { GROUP_KINDS, GROUP_KIND_LABELS, GROUP_REMIND_VIA_LABELS, type GroupKind };

export { OWNER_STATUSES, type ActionStatus, type Rag };
export const STATUS_LABELS = ACTION_STATUS_LABELS;

export interface DemoMember {
  readonly initials: string;
  readonly name: string;
  readonly jobTitle: string;
}

export type Me = MeView;

/** The API's view types, as the server's services make them (bot/http/api-views.ts), imported type-only. */
export type Owner = OwnerView;
export type HistoryLine = HistoryLineView;
/** One row of the action log, with what the signed-in person may do with it (`allowed`, the domain's rule). */
export type ActionRow = ActionView;
export type ActionDetail = ActionDetailView;
/** One page of the action log: `total` counts every action the filter matches, not just these. */
export type ActionPage = ActionLogPage;
export type { ActionAllowed };

export interface Directory {
  readonly members: readonly { id: string; initials: string; name: string; jobTitle: string; organisation: string | null }[];
  readonly themes: readonly { id: string; name: string; priorityNumber: number | null; leadMemberIds: readonly string[]; activeUntil: string | null }[];
  readonly organisations: readonly { id: string; name: string; authorityKind: string | null }[];
}

export interface GroupMember {
  readonly membershipId: string;
  readonly version: string;
  readonly memberId: string;
  readonly initials: string;
  readonly name: string;
  readonly organisation: string | null;
  readonly role: MembershipRole;
  readonly roleLabel: string;
  readonly decisionMaker: boolean;
  readonly deputyFor: string | null;
  readonly startDate: string;
  readonly endDate: string | null;
  readonly current: boolean;
}

export interface GroupGovernance {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly members: readonly GroupMember[];
  readonly missingAuthorities: readonly string[];
  readonly absentAuthorities: readonly string[];
  readonly recentMeetingIds: readonly string[];
}

export interface Governance {
  readonly asOf: string;
  readonly absenceMeetings: number;
  readonly groups: readonly GroupGovernance[];
}

export interface Attendance {
  readonly from: string;
  readonly to: string;
  readonly meetingsHeld: number;
  readonly byMeeting: readonly { meetingId: string; groupName: string; date: string; title: string; attendees: string[]; apologies: string[]; authoritiesPresent: string[] }[];
  readonly byOrganisation: readonly { organisationId: string | null; organisation: string; authorityKind: string | null; meetingsAttended: number; meetingsWithApologiesOnly: number; attendances: number; apologies: number }[];
}

export type MattersArising = MattersArisingView;

export const AUTHORITY_LABELS: Record<string, string> = RESPONSIBLE_AUTHORITY_LABELS;
