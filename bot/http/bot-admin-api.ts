import { z } from 'zod';
import { managesActionLog, type DomainError, type Result } from '../domain/index.js';
import { failedDeliveries } from '../services/delivery-report.js';
import { reachReport, type TeamReach } from '../services/installs.js';
import { contextIn, loadRequestContext, type RequestContext } from '../services/request-context.js';
import { importFromRoster, rosterView } from '../services/roster.js';
import type { Clock } from '../services/clock.js';
import type { Store } from '../store/store.js';
import { errorResponse, invalidRequest, type ApiHandler, type ApiRequest, type ApiResponse } from './api-types.js';
import { resolveCaller, type IdentityOptions } from './identity.js';
import { describeIssues } from './schemas.js';
import type { Route } from './api-types.js';

export interface BotAdminDependencies {
  readonly store: Store;
  readonly clock: Clock;
  readonly identity: IdentityOptions;
  /** The board's team in Teams (roster, 1:1 chats); without it the roster routes answer 503. */
  readonly teamReach?: TeamReach;
}

/**
 * Who to add from the team: the Teams id picks the roster entry; the object id and UPN are
 * taken from Teams' own roster on the server, never from this body (unknown fields refused).
 */
export const rosterImportBody = z
  .object({
    people: z
      .array(
        z
          .object({
            teamsUserId: z.string().trim().min(1).max(200),
            name: z.string().trim().min(1, 'give the person\u2019s name').max(200, 'must be at most 200 characters'),
            initials: z.string().regex(/^[A-Za-z]{1,4}$/, 'must be 1 to 4 letters, as the minutes print them'),
            jobTitle: z.string().max(200, 'must be at most 200 characters').optional(),
            organisationId: z.string().trim().min(1).max(100).nullable().optional(),
          })
          .strict(),
      )
      .min(1, 'choose at least one person')
      .max(200, 'add at most 200 people at a time'),
  })
  .strict();

/** Teams' state, not the request, decides these: the app not in a team is a conflict to resolve first; Teams unreachable is a 503. */
const ROSTER_STATUS: Partial<Record<DomainError['code'], number>> = { 'ROSTER.NO_TEAM_INSTALL': 409, 'ROSTER.UNAVAILABLE': 503, 'ROSTER.NOT_IN_TEAM': 422 };

function rosterResponse<T>(result: Result<T>, status: number): ApiResponse {
  if (result.ok) return { status, body: result.value };
  const mapped = ROSTER_STATUS[result.error.code];
  return mapped ? { status: mapped, body: { error: { code: result.error.code, message: result.error.message } } } : errorResponse(result.error);
}

const TEAMS_NOT_WIRED: ApiResponse = { status: 503, body: { error: { code: 'ROSTER.UNAVAILABLE', message: 'Teams could not be reached to list the team\u2019s members. Try again in a few minutes.' } } };

/**
 * What the secretariat needs to see about the bot's reach: members it cannot message yet, and
 * messages it could not deliver. Chair and secretariat only. Ids and codes; names only of the
 * partnership's own members, to the people who keep the membership lists.
 */
export function botAdminRoutes(deps: BotAdminDependencies): Route[] {
  const asSecretariat =
    (route: (request: ApiRequest, caller: RequestContext) => Promise<ApiResponse>, refusal = 'Only the secretariat or the chair can see who the bot cannot reach.'): ApiHandler =>
    async (request) => {
      const caller = await resolveCaller(request, deps.store, deps.identity);
      if (!caller.ok) return errorResponse(caller.error);
      // The request's context, read once: the role check and the route's services take it from here.
      const { memberId, directory } = caller.value;
      const context = directory ? contextIn(directory, memberId, deps.clock.now()) : await loadRequestContext(deps.store, memberId, deps.clock.now());
      if (!managesActionLog(context.actor)) return errorResponse({ code: 'AUTH.FORBIDDEN', message: refusal });
      return route(request, context);
    };
  return [
    {
      method: 'get',
      path: '/api/tab/bot/unreachable',
      // `team` says how the board's team was read: the reasons depend on it.
      handler: asSecretariat(async (_request, caller) => ({ status: 200, body: await reachReport(deps.store, deps.clock.now(), deps.teamReach, caller.directory) })),
    },
    {
      method: 'get',
      path: '/api/tab/bot/roster',
      handler: asSecretariat(async (_request, caller) => {
        if (!deps.teamReach) return TEAMS_NOT_WIRED;
        return rosterResponse(await rosterView(deps.store, deps.teamReach.roster, caller.directory), 200);
      }, 'Only the secretariat or the chair can list the team\u2019s members.'),
    },
    {
      method: 'post',
      path: '/api/tab/bot/roster/import',
      handler: asSecretariat(async (request, caller) => {
        const parsed = rosterImportBody.safeParse(request.body ?? {});
        if (!parsed.success) return invalidRequest('The people to add from the team are not valid.', describeIssues(parsed.error));
        if (!deps.teamReach) return TEAMS_NOT_WIRED;
        const result = await importFromRoster(
          deps.store,
          deps.teamReach.roster,
          { memberId: caller.memberId, now: deps.clock.now(), directory: caller.directory },
          parsed.data.people.map((p) => ({ teamsUserId: p.teamsUserId, name: p.name, initials: p.initials, jobTitle: p.jobTitle ?? '', organisationId: p.organisationId ?? null })),
        );
        if (!result.ok) return rosterResponse(result, 200);
        return { status: result.value.some((r) => r.outcome === 'added') ? 201 : 200, body: { people: result.value } };
      }, 'Only the secretariat or the chair can add people from the team.'),
    },
    {
      method: 'get',
      path: '/api/tab/bot/deliveries/failed',
      handler: asSecretariat(async (_request, caller) => ({ status: 200, body: { failures: await failedDeliveries(deps.store, caller.directory) } }), 'Only the secretariat or the chair can see which messages did not arrive.'),
    },
  ];
}
