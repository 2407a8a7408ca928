import { randomUUID } from 'node:crypto';
import { isCurrentMembership, londonDate, type Result } from '../domain/index.js';
import { changeAction, getActionDetail, listActionLog } from '../services/action-log.js';
import { actorIn, loadDirectory } from '../services/directory.js';
import { createMembership, listGroupViews, updateMembership } from '../services/memberships.js';
import type { Clock } from '../services/clock.js';
import type { Store } from '../store/store.js';
import { errorResponse, invalidRequest, type ApiHandler, type ApiRequest, type ApiResponse } from './api-types.js';
import { isFromLoopback, resolveCaller, type Caller, type IdentityOptions } from './identity.js';
import {
  actionChangeBody,
  actionLogQuery,
  createMembershipBody,
  describeIssues,
  meetingsQuery,
  updateMembershipBody,
} from './schemas.js';

export interface TabApiDependencies {
  readonly store: Store;
  readonly clock: Clock;
  readonly identity: IdentityOptions;
}

export interface Route {
  readonly method: 'get' | 'post' | 'put';
  readonly path: string;
  readonly handler: ApiHandler;
}

const okJson = (body: unknown, status = 200): ApiResponse => ({ status, body });

function fromResult<T>(result: Result<T>, status = 200): ApiResponse {
  return result.ok ? okJson(result.value, status) : errorResponse(result.error);
}

/** Every tab route: who is calling, are they a member at all, then the route itself. */
export function tabApiRoutes(deps: TabApiDependencies): Route[] {
  const { store, clock } = deps;

  /** Reading needs a current membership of some group; a stranger, even signed in, reads nothing. */
  const asMember = (route: (request: ApiRequest, caller: Caller) => Promise<ApiResponse>): ApiHandler => async (request) => {
    const caller = await resolveCaller(request, store, deps.identity);
    if (!caller.ok) return errorResponse(caller.error);
    const directory = await loadDirectory(store);
    const today = londonDate(clock.now());
    if (!directory.memberships.some((ms) => ms.memberId === caller.value.memberId && isCurrentMembership(ms, today))) {
      return errorResponse({ code: 'AUTH.FORBIDDEN', message: 'You are not a current member of any Safer Plymouth group.' });
    }
    return route(request, caller.value);
  };

  const routes: Route[] = [
    {
      method: 'get',
      path: '/api/tab/me',
      handler: asMember(async (_request, caller) => {
        const directory = await loadDirectory(store);
        const member = directory.members.find((m) => m.id === caller.memberId)!;
        const actor = actorIn(directory, caller.memberId, clock.now());
        return okJson({
          member: { id: member.id, initials: member.initials, name: member.name },
          roles: { chair: actor.chairsExec, secretariat: actor.isSecretariat },
          groupIds: actor.groupIds,
          localMode: deps.identity.localMode,
        });
      }),
    },
    {
      // The demo member picker: only in local mode, only from this machine.
      method: 'get',
      path: '/api/tab/dev/members',
      handler: async (request) => {
        if (!deps.identity.localMode || !isFromLoopback(request)) {
          return errorResponse({ code: 'AUTH.FORBIDDEN', message: 'The demo member picker is only available locally, with no credentials configured.' });
        }
        const directory = await loadDirectory(store);
        const today = londonDate(clock.now());
        const current = new Set(directory.memberships.filter((ms) => isCurrentMembership(ms, today)).map((ms) => ms.memberId));
        return okJson({
          members: directory.members.filter((m) => current.has(m.id)).map((m) => ({ initials: m.initials, name: m.name, jobTitle: m.jobTitle })),
        });
      },
    },
    {
      method: 'get',
      path: '/api/tab/actions',
      handler: asMember(async (request) => {
        const parsed = actionLogQuery.safeParse(request.query);
        if (!parsed.success) return invalidRequest('The action log filter is not valid.', describeIssues(parsed.error));
        const q = parsed.data;
        const page = await listActionLog(
          store,
          {
            ...(q.owner ? { ownerMemberId: q.owner } : {}),
            ...(q.ownerGroup ? { ownerGroupId: q.ownerGroup } : {}),
            ...(q.theme ? { themeId: q.theme } : {}),
            ...(q.meeting ? { meetingId: q.meeting } : {}),
            ...(q.status ? { statuses: q.status } : {}),
            ...(q.overdue !== undefined ? { overdue: q.overdue } : {}),
            ...(q.q ? { search: q.q } : {}),
            ...(q.sort ? { sort: q.sort } : {}),
            descending: q.order === 'desc',
            ...(q.limit ? { limit: q.limit } : {}),
            ...(q.offset ? { offset: q.offset } : {}),
          },
          clock.now(),
        );
        return okJson(page);
      }),
    },
    {
      method: 'get',
      path: '/api/tab/actions/:id',
      handler: asMember(async (request) => fromResult(await getActionDetail(store, request.params.id ?? '', clock.now()))),
    },
    {
      method: 'post',
      path: '/api/tab/actions/:id/changes',
      handler: asMember(async (request, caller) => {
        const parsed = actionChangeBody.safeParse(request.body);
        if (!parsed.success) return invalidRequest('The change is not valid.', describeIssues(parsed.error));
        const { version, changeId, change } = parsed.data;
        return fromResult(
          await changeAction(store, caller.memberId, { actionId: request.params.id ?? '', expectedVersion: version, changeId, change }, clock.now()),
        );
      }),
    },
    {
      method: 'get',
      path: '/api/tab/meetings',
      handler: asMember(async (request) => {
        const parsed = meetingsQuery.safeParse(request.query);
        if (!parsed.success) return invalidRequest('The meetings filter is not valid.', describeIssues(parsed.error));
        const directory = await loadDirectory(store);
        const meetings = directory.meetings.filter((m) => !parsed.data.group || m.groupId === parsed.data.group);
        return okJson({ meetings });
      }),
    },
    {
      method: 'get',
      path: '/api/tab/members',
      handler: asMember(async () => {
        const directory = await loadDirectory(store);
        return okJson({
          members: directory.members.map((m) => ({
            id: m.id,
            initials: m.initials,
            name: m.name,
            jobTitle: m.jobTitle,
            organisation: directory.organisations.find((o) => o.id === m.organisationId)?.name ?? null,
          })),
          themes: directory.themes.map((t) => ({ id: t.id, name: t.name, priorityNumber: t.priorityNumber, leadMemberIds: t.leadMemberIds, activeUntil: t.activeUntil })),
          organisations: directory.organisations,
        });
      }),
    },
    {
      method: 'get',
      path: '/api/tab/groups',
      handler: asMember(async () => okJson({ groups: await listGroupViews(store, clock.now()) })),
    },
    {
      method: 'post',
      path: '/api/tab/memberships',
      handler: asMember(async (request, caller) => {
        const parsed = createMembershipBody.safeParse(request.body);
        if (!parsed.success) return invalidRequest('The membership is not valid.', describeIssues(parsed.error));
        const { membershipId, ...input } = parsed.data;
        return fromResult(await createMembership(store, caller.memberId, input, membershipId ?? `ms-${randomUUID()}`, clock.now()), 201);
      }),
    },
    {
      method: 'put',
      path: '/api/tab/memberships/:id',
      handler: asMember(async (request, caller) => {
        const parsed = updateMembershipBody.safeParse(request.body);
        if (!parsed.success) return invalidRequest('The membership is not valid.', describeIssues(parsed.error));
        const { version, ...input } = parsed.data;
        return fromResult(await updateMembership(store, caller.memberId, request.params.id ?? '', version, input, clock.now()));
      }),
    },
  ];
  return routes;
}
