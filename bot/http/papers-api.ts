import { z } from 'zod';
import { DEFAULT_ENGAGEMENT_MEETINGS, MAX_ENGAGEMENT_MEETINGS } from '../domain/index.js';
import { draftChairsLetter, letterCandidates } from '../services/chairs-letter.js';
import type { Clock } from '../services/clock.js';
import { papersPackFile } from '../services/papers-pack.js';
import { libreOfficeConverter, type PdfConverter } from '../services/pdf-converter.js';
import type { Store } from '../store/store.js';
import { errorResponse, invalidRequest, type ApiHandler, type ApiRequest, type ApiResponse, type Route } from './api-types.js';
import type { RequestContext } from '../services/request-context.js';
import { describeIssues } from './schemas.js';

type MemberRoute = (route: (request: ApiRequest, context: RequestContext) => Promise<ApiResponse>) => ApiHandler;

const meetingsCount = z.coerce
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_ENGAGEMENT_MEETINGS, `must be at most ${MAX_ENGAGEMENT_MEETINGS}`)
  .optional();

/** ?meetings=N: how many of the group's latest meetings the attendance check looks at (default 4). */
export const engagementQuery = z.object({ meetings: meetingsCount }).strict();

/** The letter's body: optional, and nothing else in it. */
export const letterBody = z.object({ meetings: meetingsCount }).strict();

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The documents the chair and the secretariat take to a meeting (issue 12, items 3 and 4): the
 * papers pack as Word and PDF, which responsible authorities the chair should write to, and the
 * chair's letter itself. The services check the role (chair or secretariat, else 403).
 */
export function papersApiRoutes(deps: { readonly store: Store; readonly clock: Clock; readonly asMember: MemberRoute; readonly pdf?: PdfConverter }): Route[] {
  const { store, asMember } = deps;
  const pdf = deps.pdf ?? libreOfficeConverter();
  const count = (value: number | undefined) => value ?? DEFAULT_ENGAGEMENT_MEETINGS;

  const papers = (format: 'docx' | 'pdf'): Route => ({
    method: 'get',
    path: `/api/tab/meetings/:id/papers.${format}`,
    handler: asMember(async (request, caller) => {
      const parsed = engagementQuery.safeParse(request.query);
      if (!parsed.success) return invalidRequest('The papers pack request is not valid.', describeIssues(parsed.error));
      const file = await papersPackFile(store, caller, request.params.id ?? '', count(parsed.data.meetings));
      if (!file.ok) return errorResponse(file.error);
      if (format === 'docx') return { status: 200, body: null, file: { contentType: DOCX_TYPE, fileName: file.value.fileName, bytes: file.value.bytes } };
      const converted = await pdf.toPdf(file.value.bytes);
      if (!converted.ok) return errorResponse(converted.error);
      return { status: 200, body: null, file: { contentType: 'application/pdf', fileName: file.value.fileName.replace(/\.docx$/, '.pdf'), bytes: converted.value } };
    }),
  });

  return [
    papers('docx'),
    papers('pdf'),
    {
      method: 'get',
      path: '/api/tab/governance/letters/candidates',
      handler: asMember(async (request, caller) => {
        const parsed = engagementQuery.safeParse(request.query);
        if (!parsed.success) return invalidRequest('The letters query is not valid.', describeIssues(parsed.error));
        const view = letterCandidates(caller, count(parsed.data.meetings));
        return view.ok ? { status: 200, body: view.value } : errorResponse(view.error);
      }),
    },
    {
      method: 'post',
      path: '/api/tab/organisations/:id/letter',
      handler: asMember(async (request, caller) => {
        const parsed = letterBody.safeParse(request.body ?? {});
        if (!parsed.success) return invalidRequest('The letter request is not valid.', describeIssues(parsed.error));
        const drafted = await draftChairsLetter(store, caller, request.params.id ?? '', count(parsed.data.meetings));
        if (!drafted.ok) return errorResponse(drafted.error);
        return { status: 200, body: null, file: { contentType: DOCX_TYPE, fileName: drafted.value.fileName, bytes: drafted.value.bytes } };
      }),
    },
  ];
}
