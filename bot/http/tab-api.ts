import { randomUUID } from 'node:crypto';
import { ACTION_STATUS_LABELS, currentMemberIds, formatLongDate, londonDate, managesActionLog, type Result } from '../domain/index.js';
import type { z } from 'zod';
import { changeAction, getActionDetail, listActionLog, listWholeActionLog, type ActionLogFilter } from '../services/action-log.js';
import { actionLogCsv, actionLogDocx, exportFileName, mattersArisingCsv, mattersArisingDocx } from '../services/exports.js';
import { getAttendance, getGovernance } from '../services/governance.js';
import { getMattersArising } from '../services/matters-arising.js';
import { EXEC_GROUP_ID, loadDirectory } from '../services/directory.js';
import { contextIn, isCurrentMember, loadRequestContext, type RequestContext } from '../services/request-context.js';
import { createMembership, listGroupViews, updateMembership } from '../services/memberships.js';
import type { Clock } from '../services/clock.js';
import type { RecordSetKey, Store } from '../store/store.js';
import type { MeView } from './api-views.js';
import { boardApiRoutes } from './board-api.js';
import { dataProtectionApiRoutes } from './data-protection-api.js';
import { attendanceImportApiRoutes } from './attendance-import-api.js';
import type { AttendanceReportsPort } from '../services/attendance-import.js';
import { papersApiRoutes } from './papers-api.js';
import { minutesImportApiRoutes } from './minutes-import-api.js';
import { toMeetingView } from '../services/meetings.js';
import { errorResponse, invalidRequest, type ApiHandler, type ApiRequest, type ApiResponse, type Route } from './api-types.js';
import { isFromLoopback, resolveCaller, type IdentityOptions } from './identity.js';
import {
  actionChangeBody,
  actionExportQuery,
  actionLogQuery,
  attendanceQuery,
  governanceQuery,
  mattersArisingQuery,
  createMembershipBody,
  describeIssues,
  meetingsQuery,
  updateMembershipBody,
} from './schemas.js';

export interface TabApiDependencies {
  readonly store: Store;
  readonly clock: Clock;
  readonly identity: IdentityOptions;
  /** Teams attendance reports through Graph, when ATTENDANCE_FROM_GRAPH=true; absent = upload only. */
  readonly attendanceReports?: AttendanceReportsPort | null;
}

const okJson = (body: unknown, status = 200): ApiResponse => ({ status, body });

type ActionLogParams = z.infer<typeof actionExportQuery> & { limit?: number; offset?: number };

function toActionLogFilter(q: ActionLogParams): ActionLogFilter {
  return {
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
  };
}

/** "Filtered: owner TN, overdue." for the export's header line, so a pasted table says what it leaves out. */
function describeFilter(q: ActionLogParams, labels: { member: (id: string) => string; group: (id: string) => string; theme: (id: string) => string; meeting: (id: string) => string }): string {
  const parts: string[] = [];
  if (q.owner) parts.push(`owner ${labels.member(q.owner)}`);
  if (q.ownerGroup) parts.push(`owner group ${labels.group(q.ownerGroup)}`);
  if (q.theme) parts.push(`theme ${labels.theme(q.theme)}`);
  if (q.meeting) parts.push(`meeting ${labels.meeting(q.meeting)}`);
  if (q.status) parts.push(`status ${q.status.map((s) => ACTION_STATUS_LABELS[s]).join(' or ')}`);
  if (q.overdue !== undefined) parts.push(q.overdue ? 'overdue only' : 'not overdue');
  if (q.q) parts.push(`matching "${q.q}"`);
  return parts.length ? `Filtered: ${parts.join(', ')}.` : 'All actions.';
}

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const CSV_TYPE = 'text/csv; charset=utf-8';

function fromResult<T>(result: Result<T>, status = 200): ApiResponse {
  return result.ok ? okJson(result.value, status) : errorResponse(result.error);
}

/** Every tab route: who is calling, are they a member at all, then the route itself. */
/** What matters arising reads beyond the directory: the actions, and the meeting's report round and reports. */
const MATTERS_ARISING_READS: readonly RecordSetKey[] = ['actions', 'reportRounds', 'themeReports'];

export function tabApiRoutes(deps: TabApiDependencies): Route[] {
  const { store, clock } = deps;

  /**
   * Reading needs a current membership of some group; a stranger, even signed in, reads nothing.
   * The request's context (the caller, their roles, the directory, now) is loaded here, once,
   * and every route and service takes it from here instead of reading it again. `reads` names
   * the record sets the route reads after the context, so a store that checks for changes asks
   * for them together with the directory (on SharePoint, one batch) rather than after it.
   */
  const asMember = (route: (request: ApiRequest, caller: RequestContext) => Promise<ApiResponse>, reads: readonly RecordSetKey[] = []): ApiHandler => async (request) => {
    if (reads.length) store.willRead?.(reads);
    const caller = await resolveCaller(request, store, deps.identity);
    if (!caller.ok) return errorResponse(caller.error);
    const { memberId, directory } = caller.value;
    const context = directory ? contextIn(directory, memberId, clock.now()) : await loadRequestContext(store, memberId, clock.now());
    if (!isCurrentMember(context)) {
      return errorResponse({ code: 'AUTH.FORBIDDEN', message: 'You are not a current member of any Safer Plymouth group.' });
    }
    return route(request, context);
  };

  const routes: Route[] = [
    {
      method: 'get',
      path: '/api/tab/me',
      handler: asMember(async (_request, caller) => {
        const member = caller.member!;
        const actor = caller.actor;
        const canFetch = Boolean(deps.attendanceReports) && managesActionLog(actor);
        const current = canFetch ? currentMemberIds(caller.directory.memberships, caller.today) : new Set<string>();
        return okJson({
          member: { id: member.id, initials: member.initials, name: member.name },
          roles: { chair: actor.chairsExec, secretariat: actor.isSecretariat },
          execGroupId: EXEC_GROUP_ID,
          // The board's date (London): the tab offers attendance and "held" from the meeting's day.
          today: caller.today,
          groupIds: actor.groupIds,
          localMode: deps.identity.localMode,
          // The same rule the /teams route applies (keepers only), so the tab never shows a button that is refused.
          canFetchAttendanceFromTeams: canFetch,
          // Graph finds an organiser's meetings by the account Teams linked them to; nobody types it.
          teamsOrganiserMemberIds: canFetch ? caller.directory.members.filter((m) => m.entraObjectId && current.has(m.id)).map((m) => m.id) : [],
        } satisfies MeView);
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
        const current = currentMemberIds(directory.memberships, today);
        return okJson({
          members: directory.members.filter((m) => current.has(m.id)).map((m) => ({ initials: m.initials, name: m.name, jobTitle: m.jobTitle })),
        });
      },
    },
    {
      method: 'get',
      path: '/api/tab/actions',
      handler: asMember(async (request, caller) => {
        const parsed = actionLogQuery.safeParse(request.query);
        if (!parsed.success) return invalidRequest('The action log filter is not valid.', describeIssues(parsed.error));
        const page = await listActionLog(store, toActionLogFilter(parsed.data), caller);
        return okJson(page);
      }, ['actions']),
    },
    {
      method: 'get',
      path: '/api/tab/actions/:id',
      handler: asMember(async (request, caller) => fromResult(await getActionDetail(store, request.params.id ?? '', caller)), ['actions']),
    },
    {
      method: 'post',
      path: '/api/tab/actions/:id/changes',
      handler: asMember(async (request, caller) => {
        const parsed = actionChangeBody.safeParse(request.body);
        if (!parsed.success) return invalidRequest('The change is not valid.', describeIssues(parsed.error));
        const { version, changeId, change } = parsed.data;
        return fromResult(
          await changeAction(store, caller, { actionId: request.params.id ?? '', expectedVersion: version, changeId, change }),
        );
      }, ['actions']),
    },
    {
      method: 'get',
      path: '/api/tab/meetings',
      handler: asMember(async (request, { directory }) => {
        const parsed = meetingsQuery.safeParse(request.query);
        if (!parsed.success) return invalidRequest('The meetings filter is not valid.', describeIssues(parsed.error));
        const meetings = directory.meetings.filter((m) => !parsed.data.group || m.groupId === parsed.data.group).map((m) => toMeetingView(m, directory));
        return okJson({ meetings });
      }),
    },
    {
      method: 'get',
      path: '/api/tab/members',
      handler: asMember(async (_request, { directory }) => {
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
      handler: asMember(async (_request, caller) => okJson({ groups: listGroupViews(caller) })),
    },
    {
      method: 'post',
      path: '/api/tab/memberships',
      handler: asMember(async (request, caller) => {
        const parsed = createMembershipBody.safeParse(request.body);
        if (!parsed.success) return invalidRequest('The membership is not valid.', describeIssues(parsed.error));
        const { membershipId, ...input } = parsed.data;
        return fromResult(await createMembership(store, caller.memberId, input, membershipId ?? `ms-${randomUUID()}`, clock.now(), caller.directory), 201);
      }),
    },
    {
      method: 'put',
      path: '/api/tab/memberships/:id',
      handler: asMember(async (request, caller) => {
        const parsed = updateMembershipBody.safeParse(request.body);
        if (!parsed.success) return invalidRequest('The membership is not valid.', describeIssues(parsed.error));
        const { version, ...input } = parsed.data;
        return fromResult(await updateMembership(store, caller.memberId, request.params.id ?? '', version, input, clock.now(), caller.directory));
      }),
    },
    {
      method: 'get',
      path: '/api/tab/matters-arising',
      handler: asMember(async (request, caller) => {
        const parsed = mattersArisingQuery.safeParse(request.query);
        if (!parsed.success) return invalidRequest('Choose a meeting: ?meeting=<meeting id>.', describeIssues(parsed.error));
        return fromResult(await getMattersArising(store, parsed.data.meeting, caller));
      }, MATTERS_ARISING_READS),
    },
    {
      method: 'get',
      path: '/api/tab/governance',
      handler: asMember(async (request, caller) => {
        const parsed = governanceQuery.safeParse(request.query);
        if (!parsed.success) return invalidRequest('The governance query is not valid.', describeIssues(parsed.error));
        return okJson(getGovernance(caller, parsed.data.meetings));
      }),
    },
    {
      method: 'get',
      path: '/api/tab/governance/attendance',
      handler: asMember(async (request, caller) => {
        const parsed = attendanceQuery.safeParse(request.query);
        if (!parsed.success) return invalidRequest('The attendance query is not valid.', describeIssues(parsed.error));
        if (parsed.data.group && !caller.directory.groups.some((g) => g.id === parsed.data.group)) {
          return errorResponse({ code: 'GROUP.NOT_FOUND', message: 'There is no group with this id.' });
        }
        return okJson(getAttendance(caller, parsed.data.group ?? null));
      }),
    },
    ...(['docx', 'csv'] as const).map(
      (format): Route => ({
        method: 'get',
        path: `/api/tab/exports/actions.${format}`,
        handler: asMember(async (request, caller) => {
          const parsed = actionExportQuery.safeParse(request.query);
          if (!parsed.success) return invalidRequest('The action log filter is not valid.', describeIssues(parsed.error));
          const asOf = caller.today;
          const actions = await listWholeActionLog(store, toActionLogFilter(parsed.data), caller);
          if (format === 'csv') {
            return { status: 200, body: null, file: { contentType: CSV_TYPE, fileName: exportFileName('safer-exec-actions', asOf, 'csv'), bytes: Buffer.from(actionLogCsv(actions), 'utf8') } };
          }
          const { directory } = caller;
          const description = describeFilter(parsed.data, {
            member: (id) => directory.members.find((m) => m.id === id)?.initials ?? 'someone no longer listed',
            group: (id) => directory.groups.find((g) => g.id === id)?.name ?? 'a group no longer listed',
            theme: (id) => directory.themes.find((t) => t.id === id)?.name ?? 'a theme no longer listed',
            meeting: (id) => {
              const date = directory.meetings.find((m) => m.id === id)?.date;
              return date ? `of ${formatLongDate(date)}` : 'no longer listed';
            },
          });
          return { status: 200, body: null, file: { contentType: DOCX_TYPE, fileName: exportFileName('safer-exec-actions', asOf, 'docx'), bytes: await actionLogDocx(actions, asOf, description) } };
        }, ['actions']),
      }),
    ),
    ...(['docx', 'csv'] as const).map(
      (format): Route => ({
        method: 'get',
        path: `/api/tab/exports/matters-arising.${format}`,
        handler: asMember(async (request, caller) => {
          const parsed = mattersArisingQuery.safeParse(request.query);
          if (!parsed.success) return invalidRequest('Choose a meeting: ?meeting=<meeting id>.', describeIssues(parsed.error));
          const asOf = caller.today;
          const view = await getMattersArising(store, parsed.data.meeting, caller);
          if (!view.ok) return errorResponse(view.error);
          const stem = `safer-exec-matters-arising-${view.value.meeting.date}`;
          return format === 'csv'
            ? { status: 200, body: null, file: { contentType: CSV_TYPE, fileName: exportFileName(stem, asOf, 'csv'), bytes: Buffer.from(mattersArisingCsv(view.value), 'utf8') } }
            : { status: 200, body: null, file: { contentType: DOCX_TYPE, fileName: exportFileName(stem, asOf, 'docx'), bytes: await mattersArisingDocx(view.value, asOf) } };
        }, MATTERS_ARISING_READS),
      }),
    ),
    ...boardApiRoutes({ store, clock, asMember }),
    ...dataProtectionApiRoutes({ store, clock, asMember }),
    ...attendanceImportApiRoutes({ store, clock, asMember, attendanceReports: deps.attendanceReports ?? null }),
    ...papersApiRoutes({ store, clock, asMember }),
    ...minutesImportApiRoutes({ store, asMember }),
  ];
  return routes;
}
