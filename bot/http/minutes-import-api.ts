import { z } from 'zod';
import { ACTION_TEXT_MAX, isLocalDate, managesActionLog, MINUTES_TEXT_MAX, type Result } from '../domain/index.js';
import { confirmImport, proposeImport } from '../services/minutes-import.js';
import type { RequestContext } from '../services/request-context.js';
import { errorResponse, invalidRequest, JSON_MAX_BYTES_PER_CHAR, type ApiHandler, type ApiRequest, type ApiResponse, type Route } from './api-types.js';
import { describeIssues } from './schemas.js';

/**
 * Importing actions from pasted minutes (README, "API for imports and documents"):
 *   POST /api/tab/meetings/:id/minutes-import/preview  {text}                 → the proposed actions, nothing saved
 *   POST /api/tab/meetings/:id/minutes-import/confirm  {importId, actions}    → the actions created, once
 * Chair and secretariat only (the service checks the role before anything else).
 */

const id = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9:_.-]+$/, 'must be an id (letters, digits, : _ . -)');
const owner = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('member'), memberId: id }).strict(),
  z.object({ kind: z.literal('group'), groupId: id }).strict(),
]);
const due = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date'), date: z.string().refine(isLocalDate, 'must be a real date, YYYY-MM-DD') }).strict(),
  z.object({ kind: z.literal('next-meeting') }).strict(),
]);

export const MAX_IMPORTED_ACTIONS = 500;

const MINUTES_LIMIT_WORDS = `${MINUTES_TEXT_MAX.toLocaleString('en-GB')} characters`;

/**
 * People are told the limit in characters, so the body limit is whatever those characters can
 * take as JSON: minutes full of “smart quotes”, é and — are 2 to 3 bytes a character, and
 * 240,000 of them were refused by the server's 256 KB limit before the character limit was checked.
 */
export const MINUTES_PREVIEW_MAX_BYTES = MINUTES_TEXT_MAX * JSON_MAX_BYTES_PER_CHAR + 1024;
/** The confirmed actions' words come from the same minutes; each action's owners, due date and keys take well under 1 KB. */
export const MINUTES_CONFIRM_MAX_BYTES = MINUTES_TEXT_MAX * JSON_MAX_BYTES_PER_CHAR + MAX_IMPORTED_ACTIONS * 1024;

export const minutesPreviewBody = z
  .object({
    text: z
      .string()
      .max(MINUTES_TEXT_MAX, `must be at most ${MINUTES_LIMIT_WORDS}: import long minutes a section at a time`)
      .refine((t) => t.trim().length > 0, 'is empty: paste the text of the minutes'),
  })
  .strict();

export const minutesConfirmBody = z
  .object({
    importId: z.string().regex(/^imp-[0-9a-f]{20}$/, 'must be the importId the preview gave'),
    actions: z
      .array(
        z
          .object({
            key: z.string().regex(/^[0-9x.]{1,20}-\d{1,4}$/, 'must be the key the preview gave (for example 8.3-1)'),
            minuteRef: z.string().max(20, 'must be at most 20 characters'),
            text: z.string().max(ACTION_TEXT_MAX, `must be at most ${ACTION_TEXT_MAX} characters`),
            owners: z.array(owner).max(10),
            due,
            themeId: id.nullable().optional(),
          })
          .strict(),
      )
      .min(1, 'is empty: choose at least one action to import')
      .max(MAX_IMPORTED_ACTIONS),
  })
  .strict();

type MemberRoute = (route: (request: ApiRequest, caller: RequestContext) => Promise<ApiResponse>) => ApiHandler;

function fromResult<T>(result: Result<T>, status = 200): ApiResponse {
  return result.ok ? { status, body: result.value } : errorResponse(result.error);
}

export function minutesImportApiRoutes(deps: { readonly store: import('../store/store.js').Store; readonly asMember: MemberRoute }): Route[] {
  const { store, asMember } = deps;
  /** The role first: someone who may not import learns nothing from how their body was wrong. */
  const asKeeper = (route: (request: ApiRequest, caller: RequestContext) => Promise<ApiResponse>): ApiHandler =>
    asMember(async (request, caller) =>
      managesActionLog(caller.actor)
        ? route(request, caller)
        : errorResponse({ code: 'ACTION.FORBIDDEN', message: 'Only the chair or the secretariat can import actions from minutes.' }),
    );
  return [
    {
      method: 'post',
      path: '/api/tab/meetings/:id/minutes-import/preview',
      body: { maxBytes: MINUTES_PREVIEW_MAX_BYTES, tooLarge: `The minutes are longer than ${MINUTES_LIMIT_WORDS}, the most one import reads: import long minutes a section at a time.` },
      handler: asKeeper(async (request, caller) => {
        const parsed = minutesPreviewBody.safeParse(request.body ?? {});
        if (!parsed.success) return invalidRequest('The minutes to import are not valid.', describeIssues(parsed.error));
        return fromResult(proposeImport(caller, request.params.id ?? '', parsed.data.text));
      }),
    },
    {
      method: 'post',
      path: '/api/tab/meetings/:id/minutes-import/confirm',
      body: {
        maxBytes: MINUTES_CONFIRM_MAX_BYTES,
        tooLarge: `The actions to import are more than ${(MINUTES_CONFIRM_MAX_BYTES / 1024 / 1024).toFixed(1)} MB in all: untick some and import the rest first, then preview the same minutes again for them (actions already imported are not added twice).`,
      },
      handler: asKeeper(async (request, caller) => {
        const parsed = minutesConfirmBody.safeParse(request.body ?? {});
        if (!parsed.success) return invalidRequest('The actions to import are not valid.', describeIssues(parsed.error));
        const result = await confirmImport(store, caller, request.params.id ?? '', parsed.data.importId, parsed.data.actions);
        return fromResult(result, result.ok && result.value.created > 0 ? 201 : 200);
      }),
    },
  ];
}
