import { managesActionLog } from '../domain/index.js';
import { actorIn, loadDirectory } from '../services/directory.js';
import { listUnreachableMembers } from '../services/installs.js';
import type { Clock } from '../services/clock.js';
import type { Store } from '../store/store.js';
import { errorResponse, type ApiHandler, type ApiRequest, type ApiResponse } from './api-types.js';
import { resolveCaller, type IdentityOptions } from './identity.js';
import type { Route } from './tab-api.js';

export interface BotAdminDependencies {
  readonly store: Store;
  readonly clock: Clock;
  readonly identity: IdentityOptions;
}

/**
 * What the secretariat needs to see about the bot's reach: members it cannot message yet, and
 * messages it could not deliver. Chair and secretariat only. Ids and codes; names only of the
 * partnership's own members, to the people who keep the membership lists.
 */
export function botAdminRoutes(deps: BotAdminDependencies): Route[] {
  const asSecretariat = (route: (request: ApiRequest) => Promise<ApiResponse>): ApiHandler => async (request) => {
    const caller = await resolveCaller(request, deps.store, deps.identity);
    if (!caller.ok) return errorResponse(caller.error);
    const actor = actorIn(await loadDirectory(deps.store), caller.value.memberId, deps.clock.now());
    if (!managesActionLog(actor)) return errorResponse({ code: 'AUTH.FORBIDDEN', message: 'Only the secretariat or the chair can see who the bot cannot reach.' });
    return route(request);
  };
  return [
    {
      method: 'get',
      path: '/api/tab/bot/unreachable',
      handler: asSecretariat(async () => ({ status: 200, body: { members: await listUnreachableMembers(deps.store, deps.clock.now()) } })),
    },
    {
      method: 'get',
      path: '/api/tab/bot/deliveries/failed',
      handler: asSecretariat(async () => {
        // In-doubt posts are listed with the failures: someone should look in the chat, since the bot won't post them again.
        const [failed, inDoubt] = await Promise.all([
          deps.store.deliveries.list({ status: 'failed' }, { limit: 500 }),
          deps.store.deliveries.list({ status: 'in-doubt' }, { limit: 500 }),
        ]);
        return {
          status: 200,
          body: {
            failures: [...failed.items, ...inDoubt.items].map((d) => ({
              id: d.id,
              status: d.status,
              kind: d.kind,
              subjectId: d.subjectId,
              conversationId: d.conversationId,
              failureCode: d.failureCode,
              attempts: d.attempts,
              lastAttemptAt: d.lastAttemptAt,
            })),
          },
        };
      }),
    },
  ];
}
