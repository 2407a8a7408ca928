import { z } from 'zod';
import { londonDate } from '../domain/index.js';
import type { Clock } from '../services/clock.js';
import { erasePerson } from '../services/erasure.js';
import type { RequestContext } from '../services/request-context.js';
import { subjectAccess, subjectAccessDocx } from '../services/subject-access.js';
import type { Store } from '../store/store.js';
import { errorResponse, invalidRequest, type ApiHandler, type ApiRequest, type ApiResponse } from './api-types.js';
import { describeIssues } from './schemas.js';
import type { Route } from './api-types.js';

/** The caller's request context (tab-api's asMember loads it once). */
type MemberRoute = (route: (request: ApiRequest, caller: RequestContext) => Promise<ApiResponse>) => ApiHandler;

/** Unknown fields are refused, as everywhere in the tab API. */
export const erasePersonBody = z
  .object({
    version: z.string().min(1).max(200),
    confirmInitials: z.string().trim().min(1, 'type the person\u2019s initials to confirm').max(20),
    theirNotes: z.enum(['keep', 'remove']).optional(),
  })
  .strict();

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The data-protection routes: a person's erasure and their subject-access export, for the chair
 * and the secretariat only (the services check the role; a plain member gets 403).
 */
export function dataProtectionApiRoutes(deps: { readonly store: Store; readonly clock: Clock; readonly asMember: MemberRoute }): Route[] {
  const { store, clock, asMember } = deps;
  const exportRoute = (format: 'json' | 'docx'): Route => ({
    method: 'get',
    path: `/api/tab/people/:id/subject-access.${format}`,
    handler: asMember(async (request, caller) => {
      const now = clock.now();
      const data = await subjectAccess(store, { memberId: caller.memberId, now, directory: caller.directory }, request.params.id ?? '');
      if (!data.ok) return errorResponse(data.error);
      const fileName = `safer-exec-subject-access-${londonDate(now)}.${format}`;
      return format === 'json'
        ? { status: 200, body: null, file: { contentType: 'application/json; charset=utf-8', fileName, bytes: Buffer.from(JSON.stringify(data.value, null, 2), 'utf8') } }
        : { status: 200, body: null, file: { contentType: DOCX_TYPE, fileName, bytes: await subjectAccessDocx(data.value) } };
    }),
  });
  return [
    {
      method: 'post',
      path: '/api/tab/people/:id/erase',
      handler: asMember(async (request, caller) => {
        const parsed = erasePersonBody.safeParse(request.body ?? {});
        if (!parsed.success) return invalidRequest('The erasure request is not valid.', describeIssues(parsed.error));
        const result = await erasePerson(store, { memberId: caller.memberId, now: clock.now(), directory: caller.directory }, {
          memberId: request.params.id ?? '',
          expectedVersion: parsed.data.version,
          confirmInitials: parsed.data.confirmInitials,
          theirNotes: parsed.data.theirNotes ?? 'keep',
        });
        return result.ok ? { status: 200, body: result.value } : errorResponse(result.error);
      }),
    },
    exportRoute('json'),
    exportRoute('docx'),
  ];
}
