import { TeamsInfo, TurnContext, type ChannelAccount, type CloudAdapter, type ConversationParameters, type ConversationReference, type TeamsChannelAccount } from 'botbuilder';
import type { Logger } from '../observability/logger.js';
import { boardTeamInstall, type OpenChatOutcome, type RosterMember, type RosterRead, type TeamRoster } from '../services/roster.js';
import type { Store } from '../store/store.js';
import { inProactiveTurn } from './cloud-transport.js';
import { readWireFailure } from './proactive-sender.js';

/**
 * Teams serves at most 500 members a page (smaller asks are served as 50): the fewest calls.
 * "Get Teams specific context for your bot", learn.microsoft.com/microsoftteams/platform/bots/how-to/get-teams-context.
 */
export const ROSTER_PAGE_SIZE = 500;
/** A service that never stops handing out continuation tokens is a fault, not a 100,000-person team. */
const MAX_ROSTER_PAGES = 200;

/**
 * The documented wire (GET /v3/conversations/{id}/pagedmembers) names the Entra object id
 * `objectId`; botbuilder's paged call passes it through without copying it to `aadObjectId`
 * (its non-paged getMembers does), so both are read.
 */
type WireAccount = TeamsChannelAccount & { readonly objectId?: string };

function toRosterMember(account: WireAccount): RosterMember | null {
  if (!account?.id) return null;
  const name = account.name?.trim() || [account.givenName, account.surname].filter(Boolean).join(' ').trim();
  return {
    teamsUserId: account.id,
    aadObjectId: account.aadObjectId || account.objectId || null,
    name,
    email: account.email || null,
    userPrincipalName: account.userPrincipalName || null,
  };
}

/**
 * The board's team through the Bot Connector: the roster with TeamsInfo's paged members call,
 * and 1:1 chats with CloudAdapter.createConversationAsync (POST /v3/conversations), both on
 * the team install's serviceUrl. Failures come back as values; ids and codes are logged, never
 * names or addresses.
 */
export function botConnectorTeamRoster(options: {
  readonly adapter: CloudAdapter;
  readonly botAppId: string;
  readonly store: Store;
  readonly execChannelId: string | null;
  readonly logger: Logger;
}): TeamRoster {
  const { adapter, botAppId, logger } = options;
  return {
    async members(): Promise<RosterRead> {
      const team = await boardTeamInstall(options.store, options.execChannelId);
      if (!team) return { status: 'no-team-install' };
      try {
        const members = await inProactiveTurn(adapter, botAppId, team.reference, async (context) => {
          const all: RosterMember[] = [];
          let continuationToken: string | undefined;
          for (let page = 1; ; page++) {
            // The team's id names the roster; a stored reference carries no channelData for TeamsInfo to find it in.
            const result = team.teamId
              ? await TeamsInfo.getPagedTeamMembers(context, team.teamId, ROSTER_PAGE_SIZE, continuationToken)
              : await TeamsInfo.getPagedMembers(context, ROSTER_PAGE_SIZE, continuationToken);
            for (const account of result.members ?? []) {
              const member = toRosterMember(account as WireAccount);
              if (member) all.push(member);
            }
            continuationToken = result.continuationToken || undefined;
            if (!continuationToken) return all;
            if (page >= MAX_ROSTER_PAGES) throw Object.assign(new Error('The roster did not end.'), { code: 'ROSTER_TOO_LONG' });
          }
        });
        return { status: 'ok', team, members };
      } catch (error) {
        const failure = readWireFailure(error);
        const failureCode = failure.status !== null ? `HTTP_${failure.status}` : typeof (error as { code?: unknown })?.code === 'string' ? String((error as { code: string }).code) : 'NO_ANSWER';
        logger.log('warn', 'roster.read_failed', { conversationId: team.id, status: failure.status, errorCode: failure.errorCode, failureCode });
        return { status: 'unavailable', failureCode };
      }
    },

    async openPersonalChat(team, member): Promise<OpenChatOutcome> {
      const teamReference = team.reference as Partial<ConversationReference>;
      const bot = teamReference.bot;
      const tenantId = team.tenantId ?? teamReference.conversation?.tenantId ?? null;
      if (!bot?.id || !tenantId) return { ok: false, failure: 'refused', failureCode: bot?.id ? 'NO_TENANT' : 'NO_BOT_ACCOUNT' };
      // The shape Teams documents for a proactive 1:1 ("Send proactive messages", Create the conversation).
      const parameters: ConversationParameters = {
        isGroup: false,
        bot: { id: bot.id, name: bot.name } as ChannelAccount,
        members: [{ id: member.teamsUserId } as ChannelAccount],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      };
      let created: { conversationId: string; reference: Record<string, unknown> } | undefined;
      try {
        await adapter.createConversationAsync(
          botAppId,
          teamReference.channelId ?? 'msteams',
          team.serviceUrl,
          // No audience: the connector factory's own (the Bot Framework's), as for every proactive turn.
          undefined as unknown as string,
          parameters,
          async (context) => {
            const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(context.activity);
            const conversationId = context.activity.conversation?.id;
            if (!conversationId) return;
            created = {
              conversationId,
              reference: JSON.parse(
                JSON.stringify({
                  ...reference,
                  user: { id: member.teamsUserId, ...(member.aadObjectId ? { aadObjectId: member.aadObjectId } : {}) },
                  conversation: { ...reference.conversation, id: conversationId, conversationType: 'personal', isGroup: false, tenantId },
                }),
              ) as Record<string, unknown>,
            };
          },
        );
      } catch (error) {
        const failure = readWireFailure(error);
        const failureCode = failure.status === 403 ? (failure.errorCode ?? 'HTTP_403') : failure.status !== null ? `HTTP_${failure.status}` : 'NO_ANSWER';
        const kind = failure.status === 403 ? 'blocked' : failure.status === null || failure.status === 429 || failure.status >= 500 ? 'unavailable' : 'refused';
        logger.log('warn', 'roster.create_conversation_failed', { status: failure.status, errorCode: failure.errorCode, failure: kind });
        return { ok: false, failure: kind, failureCode };
      }
      if (!created) return { ok: false, failure: 'refused', failureCode: 'NO_CONVERSATION_ID' };
      return { ok: true, chat: { conversationId: created.conversationId, tenantId, serviceUrl: team.serviceUrl, reference: created.reference } };
    },
  };
}
