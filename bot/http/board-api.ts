import { createHash, randomUUID } from 'node:crypto';
import { londonDate, type Result } from '../domain/index.js';
import { createAction, newActionId } from '../services/action-log.js';
import {
  addGroup,
  addOrganisation,
  addPerson,
  addTheme,
  auditTrail,
  boardRecords,
  editGroup,
  editOrganisation,
  editPerson,
  editTheme,
  endMembership,
} from '../services/board-records.js';
import type { RequestContext } from '../services/request-context.js';
import { cancelMeeting, getReportRound, recordAttendance, recordMeetingHeld, rescheduleMeeting, scheduleMeeting, type Editor } from '../services/meetings.js';
import type { Clock } from '../services/clock.js';
import type { Store } from '../store/store.js';
import { errorResponse, invalidRequest, type ApiHandler, type ApiRequest, type ApiResponse } from './api-types.js';
import {
  attendanceBody,
  cancelMeetingBody,
  createActionBody,
  createMeetingBody,
  createMemberBody,
  describeIssues,
  endMembershipBody,
  groupBody,
  heldBody,
  organisationBody,
  themeBody,
  updateGroupBody,
  updateMeetingBody,
  updateMemberBody,
  updateOrganisationBody,
  updateThemeBody,
} from './schemas.js';
import type { Route } from './api-types.js';

/** The caller's request context (tab-api's asMember loads it once): a Caller, with their roles, the directory and now. */
type MemberRoute = (route: (request: ApiRequest, caller: RequestContext) => Promise<ApiResponse>) => ApiHandler;

function fromResult<T>(result: Result<T>, status = 200): ApiResponse {
  return result.ok ? { status, body: result.value } : errorResponse(result.error);
}

/**
 * The body's fields without those it left out: edits merge over the record, so a field left out
 * keeps its value (and an explicit null clears it).
 */
function definedOnly<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

/** A record id from the client's request id (same request, same id), else a fresh one. */
function recordId(prefix: string, requestId: string | undefined): string {
  if (!requestId) return `${prefix}-${randomUUID()}`;
  return `${prefix}-${createHash('sha256').update(requestId).digest('hex').slice(0, 24)}`;
}

/**
 * The routes that run the board's cycle: people, organisations, themes, groups, meetings,
 * attendance, holding a meeting, recording actions, the report round and the audit trail.
 * Each parses its body with one schema (unknown fields refused) and hands it to a service,
 * which checks the caller's role: the tab hides what a person cannot use, the server refuses it.
 */
export function boardApiRoutes(deps: { readonly store: Store; readonly clock: Clock; readonly asMember: MemberRoute }): Route[] {
  const { store, clock, asMember } = deps;
  // The request's context is the editor: who, now, and the directory the services then need not read again.
  const editor = (caller: RequestContext): Editor => caller;
  const param = (request: ApiRequest) => request.params.id ?? '';

  /** Parse with the schema, or answer 400 saying what to fix. */
  const withBody =
    <S extends { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: import('zod').ZodError } }>(schema: S, what: string, route: (body: Extract<ReturnType<S['safeParse']>, { success: true }>['data'], request: ApiRequest, caller: RequestContext) => Promise<ApiResponse>) =>
    asMember(async (request, caller) => {
      const parsed = schema.safeParse(request.body ?? {});
      if (!parsed.success) return invalidRequest(`The ${what} is not valid.`, describeIssues(parsed.error));
      return route(parsed.data as never, request, caller);
    });

  return [
    {
      method: 'post',
      path: '/api/tab/members',
      handler: withBody(createMemberBody, 'person', async (b, _r, caller) =>
        fromResult(
          await addPerson(
            store,
            editor(caller),
            {
              name: b.name,
              initials: b.initials,
              jobTitle: b.jobTitle ?? '',
              organisationId: b.organisationId ?? null,
              email: b.email ?? null,
              entraObjectId: b.aadObjectId ?? null,
              otherInitials: b.otherInitials ?? [],
              teamsUserId: b.teamsUserId ?? null,
            },
            recordId('mem', b.requestId),
          ),
          201,
        ),
      ),
    },
    {
      method: 'put',
      path: '/api/tab/members/:id',
      handler: withBody(updateMemberBody, 'person', async (b, request, caller) =>
        fromResult(
          await editPerson(store, editor(caller), param(request), b.version, definedOnly({
            name: b.name,
            initials: b.initials,
            jobTitle: b.jobTitle,
            organisationId: b.organisationId,
            email: b.email,
            entraObjectId: b.aadObjectId,
            otherInitials: b.otherInitials,
            teamsUserId: b.teamsUserId,
          })),
        ),
      ),
    },
    {
      method: 'post',
      path: '/api/tab/organisations',
      handler: withBody(organisationBody, 'organisation', async (b, _r, caller) =>
        fromResult(await addOrganisation(store, editor(caller), { name: b.name, authorityKind: b.authorityKind }, recordId('org', b.requestId)), 201),
      ),
    },
    {
      method: 'put',
      path: '/api/tab/organisations/:id',
      handler: withBody(updateOrganisationBody, 'organisation', async (b, request, caller) =>
        fromResult(await editOrganisation(store, editor(caller), param(request), b.version, { name: b.name, authorityKind: b.authorityKind })),
      ),
    },
    {
      method: 'post',
      path: '/api/tab/themes',
      handler: withBody(themeBody, 'theme', async (b, _r, caller) =>
        fromResult(
          await addTheme(store, editor(caller), { name: b.name, leadMemberIds: b.leadMemberIds, leadNote: b.leadNote ?? null, priorityNumber: b.priorityNumber ?? null }, recordId('theme', b.requestId)),
          201,
        ),
      ),
    },
    {
      method: 'put',
      path: '/api/tab/themes/:id',
      handler: withBody(updateThemeBody, 'theme', async (b, request, caller) =>
        fromResult(
          await editTheme(store, editor(caller), param(request), b.version, definedOnly({
            name: b.name,
            leadMemberIds: b.leadMemberIds,
            leadNote: b.leadNote,
            priorityNumber: b.priorityNumber,
            activeUntil: b.activeUntil,
          })),
        ),
      ),
    },
    {
      method: 'post',
      path: '/api/tab/groups',
      handler: withBody(groupBody, 'group', async (b, _r, caller) =>
        fromResult(
          await addGroup(store, editor(caller), { name: b.name, kind: b.kind, parentGroupId: b.parentGroupId ?? null, themeId: b.themeId ?? null, remindVia: b.remindVia ?? 'members' }, recordId('grp', b.requestId)),
          201,
        ),
      ),
    },
    {
      method: 'put',
      path: '/api/tab/groups/:id',
      handler: withBody(updateGroupBody, 'group', async (b, request, caller) =>
        fromResult(
          await editGroup(store, editor(caller), param(request), b.version, definedOnly({
            name: b.name,
            kind: b.kind,
            parentGroupId: b.parentGroupId,
            themeId: b.themeId,
            remindVia: b.remindVia,
          })),
        ),
      ),
    },
    {
      method: 'post',
      path: '/api/tab/memberships/:id/end',
      handler: withBody(endMembershipBody, 'end of membership', async (b, request, caller) =>
        fromResult(await endMembership(store, editor(caller), param(request), b.version, b.endDate ?? londonDate(clock.now()))),
      ),
    },
    {
      method: 'get',
      path: '/api/tab/records',
      handler: asMember(async (_request, caller) => fromResult(await boardRecords(store, editor(caller)))),
    },
    {
      method: 'get',
      path: '/api/tab/audit',
      handler: asMember(async (_request, caller) => {
        const trail = await auditTrail(store, editor(caller));
        return trail.ok ? { status: 200, body: { entries: trail.value } } : errorResponse(trail.error);
      }),
    },
    {
      method: 'post',
      path: '/api/tab/meetings',
      handler: withBody(createMeetingBody, 'meeting', async (b, _r, caller) => {
        const { requestId, ...plan } = b;
        return fromResult(
          await scheduleMeeting(
            store,
            editor(caller),
            plan,
            recordId('mtg', requestId),
          ),
          201,
        );
      }),
    },
    {
      method: 'put',
      path: '/api/tab/meetings/:id',
      handler: withBody(updateMeetingBody, 'meeting', async (b, request, caller) => {
        const { version, ...plan } = b;
        return fromResult(
          await rescheduleMeeting(store, editor(caller), param(request), version, definedOnly(plan)),
        );
      }),
    },
    {
      method: 'post',
      path: '/api/tab/meetings/:id/cancel',
      handler: withBody(cancelMeetingBody, 'cancellation', async (b, request, caller) => fromResult(await cancelMeeting(store, editor(caller), param(request), b.version, b.reason))),
    },
    {
      method: 'put',
      path: '/api/tab/meetings/:id/attendance',
      handler: withBody(attendanceBody, 'attendance', async (b, request, caller) =>
        fromResult(await recordAttendance(store, editor(caller), param(request), b.version, { attendeeIds: b.attendeeIds, apologyIds: b.apologyIds, ...(b.substitutes ? { substitutes: b.substitutes } : {}) })),
      ),
    },
    {
      method: 'post',
      path: '/api/tab/meetings/:id/held',
      handler: withBody(heldBody, 'request', async (b, request, caller) => fromResult(await recordMeetingHeld(store, editor(caller), param(request), b.version))),
    },
    {
      method: 'get',
      path: '/api/tab/meetings/:id/reports',
      handler: asMember(async (request, caller) => fromResult(await getReportRound(store, caller.memberId, param(request), clock.now(), caller.directory))),
    },
    {
      method: 'post',
      path: '/api/tab/actions',
      handler: withBody(createActionBody, 'action', async (b, _r, caller) => {
        const meeting = caller.directory.meetings.find((m) => m.id === b.meetingId);
        const suffix = b.requestId ? createHash('sha256').update(b.requestId).digest('hex').slice(0, 12) : randomUUID().slice(0, 12);
        const actionId = newActionId(meeting?.date ?? '0000-00-00', b.minuteRef, suffix);
        const changeId = b.requestId ? `create-${b.requestId}` : `create-${randomUUID()}`;
        return fromResult(
          await createAction(store, caller, { actionId, changeId, meetingId: b.meetingId, minuteRef: b.minuteRef, text: b.text, owners: b.owners, due: b.due, themeId: b.themeId ?? null }),
          201,
        );
      }),
    },
  ];
}
