import { z } from 'zod';
import { managesActionLog, type Result } from '../domain/index.js';
import { checkTeamsJoinLink } from '../domain/teams-join-link.js';
import {
  confirmAttendanceImport,
  previewAttendanceImport,
  type AttendanceReportsPort,
  type AttendanceSource,
} from '../services/attendance-import.js';
import type { Clock } from '../services/clock.js';
import { actorIn } from '../services/directory.js';
import type { Editor } from '../services/meetings.js';
import type { RequestContext } from '../services/request-context.js';
import type { Store } from '../store/store.js';
import { errorResponse, invalidRequest, JSON_MAX_BYTES_PER_CHAR, type ApiHandler, type ApiRequest, type ApiResponse, type Route } from './api-types.js';
import { describeIssues } from './schemas.js';

/**
 * Importing a meeting's attendance from Teams (README, "API"):
 *   POST /api/tab/meetings/:id/attendance-import/preview  {fileBase64} or {text}  → the proposal, nothing saved
 *   POST /api/tab/meetings/:id/attendance-import/teams    {joinWebUrl | onlineMeetingId, organizerMemberId? | organizerId?, reportId?}
 *                                                         → the same proposal from Graph (ATTENDANCE_FROM_GRAPH=true)
 *   POST /api/tab/meetings/:id/attendance-import/confirm  {version, the same source, decisions?} → the meeting
 * Chair and secretariat only: the role is checked before the body is even read.
 */

/**
 * The report as base64 (the downloaded file's bytes, up to 175 KB) or as its text (up to 200,000
 * characters): the tab sends a larger file as text, so the largest report taken is 200,000
 * characters, about 390 KB as Teams downloads it (UTF-16, two bytes a character).
 */
export const MAX_REPORT_BASE64_CHARS = 240_000;
export const MAX_REPORT_TEXT_CHARS = 200_000;
const MAX_FILE_KB = Math.floor((MAX_REPORT_BASE64_CHARS * 3) / 4 / 1024);
const MAX_UTF16_KB = Math.floor((MAX_REPORT_TEXT_CHARS * 2) / 1024);

/** Said whenever a report is over the limit, in the units a person can check: characters and the file's size. */
export const REPORT_TOO_LARGE = `The attendance report is too large: this import takes up to ${MAX_REPORT_TEXT_CHARS.toLocaleString('en-GB')} characters, which is about ${MAX_UTF16_KB} KB for the file as Teams downloads it (${MAX_FILE_KB} KB if sent as the file itself). A board meeting\u2019s attendance report is far smaller: check it is the right file.`;

/**
 * The body limit follows the character limit: names with accents take 2 bytes a character in
 * JSON and control characters 6, so the report's text alone can be over the server's 256 KB.
 * The confirm adds the secretariat's choices: up to 2,000 substitutes and 500 members, each
 * well under 400 bytes.
 */
export const ATTENDANCE_PREVIEW_MAX_BYTES = Math.max(MAX_REPORT_BASE64_CHARS, MAX_REPORT_TEXT_CHARS * JSON_MAX_BYTES_PER_CHAR) + 1024;
export const ATTENDANCE_CONFIRM_MAX_BYTES = ATTENDANCE_PREVIEW_MAX_BYTES + 2_500 * 400 + 4096;

const id = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9:_.-]+$/, 'must be an id (letters, digits, : _ . -)');
const base64 = z
  .string()
  .transform((v) => v.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, ''))
  .refine((v) => v.length > 0, 'the file is empty')
  .refine((v) => /^[A-Za-z0-9+/]*={0,2}$/.test(v), 'must be the file\u2019s bytes in base64');
/** The id Microsoft's directory gives a person's account: a GUID (Graph's /users/{id} takes it). */
const ACCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Which Teams meeting: the organiser is a board member (organizerMemberId) whose Teams account
 * Safer Exec knows, or, for API callers who know it, that account's id (organizerId); neither means
 * the caller. The join link is checked in words after parsing (checkedTeamsSource): a Safe Links
 * wrapper makes it longer than the 2,000 characters Graph is sent.
 */
const teamsSource = z
  .object({
    organizerMemberId: id.optional(),
    organizerId: z.string().trim().regex(ACCOUNT_ID, 'must be the organiser\u2019s Microsoft account id, a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e (a sign-in name is not taken); to name a board member, send organizerMemberId instead').optional(),
    onlineMeetingId: z.string().trim().min(1).max(1000).regex(/^[A-Za-z0-9_=+/:.-]+$/, 'must be an online meeting id as Graph gives it').optional(),
    joinWebUrl: z.string().max(8000).optional(),
    reportId: z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9_=+/:.-]+$/, 'must be a report id as Graph gives it').optional(),
  })
  .strict()
  .refine((v) => v.onlineMeetingId || v.joinWebUrl !== undefined, { message: 'give the meeting\u2019s Teams join link (joinWebUrl) or its onlineMeetingId' })
  .refine((v) => !(v.organizerId && v.organizerMemberId), { message: 'name the organiser once: organizerMemberId (a board member) or organizerId, not both' });
type TeamsSource = z.infer<typeof teamsSource>;

/** The join link as checkTeamsJoinLink reads it (Safe Links taken off), or its problem in words as a 400 like the schema's. */
function checkedTeamsSource(teams: TeamsSource): { ok: true; teams: TeamsSource } | { ok: false; response: ApiResponse } {
  if (teams.joinWebUrl === undefined) return { ok: true, teams };
  const link = checkTeamsJoinLink(teams.joinWebUrl);
  return link.ok ? { ok: true, teams: { ...teams, joinWebUrl: link.joinWebUrl } } : { ok: false, response: invalidRequest(link.problem) };
}

const fileOrText = {
  fileBase64: base64.optional(),
  text: z.string().max(MAX_REPORT_TEXT_CHARS).optional(),
};
const oneSource = (v: { fileBase64?: string | undefined; text?: string | undefined; teams?: unknown }) => [v.fileBase64, v.text, v.teams].filter((x) => x !== undefined).length === 1;

export const attendancePreviewBody = z
  .object(fileOrText)
  .strict()
  .refine(oneSource, { message: 'send the report once: as fileBase64 (the downloaded file) or as text (pasted)' });

export const attendanceConfirmBody = z
  .object({
    version: z.string().min(1).max(200),
    ...fileOrText,
    teams: teamsSource.optional(),
    decisions: z
      .object({
        substitutes: z.array(z.object({ row: z.number().int().min(1).max(10_000), record: z.boolean(), organisationId: id.nullable().optional(), forMemberId: id.nullable().optional() }).strict()).max(2000).optional(),
        members: z.array(z.object({ memberId: id, as: z.enum(['absent', 'apologies', 'present']) }).strict()).max(500).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(oneSource, { message: 'send the same report as the preview: fileBase64, text or teams (one of them)' });

/** The caller's request context (tab-api's asMember loads it once). */
type MemberRoute = (route: (request: ApiRequest, caller: RequestContext) => Promise<ApiResponse>) => ApiHandler;

function fromResult<T>(result: Result<T>): ApiResponse {
  return result.ok ? { status: 200, body: result.value } : errorResponse(result.error);
}

function tooLarge(body: unknown): ApiResponse | null {
  const b = (body ?? {}) as { fileBase64?: unknown; text?: unknown };
  const large = (typeof b.fileBase64 === 'string' && b.fileBase64.length > MAX_REPORT_BASE64_CHARS) || (typeof b.text === 'string' && b.text.length > MAX_REPORT_TEXT_CHARS);
  if (!large) return null;
  return { status: 413, body: { error: { code: 'REQUEST.TOO_LARGE', message: REPORT_TOO_LARGE } } };
}

function sourceOf(body: { fileBase64?: string | undefined; text?: string | undefined; teams?: TeamsSource | undefined }): AttendanceSource {
  if (body.fileBase64 !== undefined) return { kind: 'file', bytes: Buffer.from(body.fileBase64, 'base64') };
  if (body.text !== undefined) return { kind: 'text', text: body.text };
  const t = body.teams!;
  return {
    kind: 'teams',
    ...(t.organizerMemberId ? { organizerMemberId: t.organizerMemberId } : {}),
    ...(t.organizerId ? { organizerId: t.organizerId.toLowerCase() } : {}),
    ...(t.onlineMeetingId ? { onlineMeetingId: t.onlineMeetingId } : {}),
    ...(t.joinWebUrl ? { joinWebUrl: t.joinWebUrl } : {}),
    ...(t.reportId ? { reportId: t.reportId } : {}),
  };
}

export function attendanceImportApiRoutes(deps: { readonly store: Store; readonly clock: Clock; readonly asMember: MemberRoute; readonly attendanceReports: AttendanceReportsPort | null }): Route[] {
  const { store, clock, asMember } = deps;
  const meetingId = (request: ApiRequest) => request.params.id ?? '';

  /** Keepers only, checked before the body is read: anyone else learns nothing about the file's fate. */
  const asKeeper = (route: (request: ApiRequest, editor: Editor) => Promise<ApiResponse>) =>
    asMember(async (request, caller) => {
      const editor: Editor = { memberId: caller.memberId, now: clock.now(), directory: caller.directory };
      if (!managesActionLog(actorIn(caller.directory, editor.memberId, editor.now))) {
        return errorResponse({ code: 'MEETING.FORBIDDEN', message: 'Only the chair or the secretariat can import a meeting\u2019s attendance.' });
      }
      return route(request, editor);
    });

  return [
    {
      method: 'post',
      path: '/api/tab/meetings/:id/attendance-import/preview',
      body: { maxBytes: ATTENDANCE_PREVIEW_MAX_BYTES, tooLarge: REPORT_TOO_LARGE },
      handler: asKeeper(async (request, editor) => {
        const large = tooLarge(request.body);
        if (large) return large;
        const parsed = attendancePreviewBody.safeParse(request.body ?? {});
        if (!parsed.success) return invalidRequest('The attendance report is not valid.', describeIssues(parsed.error));
        return fromResult(await previewAttendanceImport(store, editor, meetingId(request), sourceOf(parsed.data), deps.attendanceReports));
      }),
    },
    {
      method: 'post',
      path: '/api/tab/meetings/:id/attendance-import/teams',
      handler: asKeeper(async (request, editor) => {
        const parsed = teamsSource.safeParse(request.body ?? {});
        if (!parsed.success) return invalidRequest('Say which Teams meeting to fetch the report of.', describeIssues(parsed.error));
        const checked = checkedTeamsSource(parsed.data);
        if (!checked.ok) return checked.response;
        return fromResult(await previewAttendanceImport(store, editor, meetingId(request), sourceOf({ teams: checked.teams }), deps.attendanceReports));
      }),
    },
    {
      method: 'post',
      path: '/api/tab/meetings/:id/attendance-import/confirm',
      body: { maxBytes: ATTENDANCE_CONFIRM_MAX_BYTES, tooLarge: REPORT_TOO_LARGE },
      handler: asKeeper(async (request, editor) => {
        const large = tooLarge(request.body);
        if (large) return large;
        const parsed = attendanceConfirmBody.safeParse(request.body ?? {});
        if (!parsed.success) return invalidRequest('The attendance import is not valid.', describeIssues(parsed.error));
        const { version, decisions, teams } = parsed.data;
        const checked = teams ? checkedTeamsSource(teams) : null;
        if (checked && !checked.ok) return checked.response;
        return fromResult(await confirmAttendanceImport(store, editor, meetingId(request), version, sourceOf(checked ? { teams: checked.teams } : parsed.data), decisions ?? {}, deps.attendanceReports));
      }),
    },
  ];
}
