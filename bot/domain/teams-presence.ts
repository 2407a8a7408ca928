/**
 * Where the bot is installed and what it has sent. These are domain records, not
 * botbuilder types: the reference is kept as plain JSON so a move to another SDK
 * changes only bot/teams.
 */
export const INSTALL_SCOPES = ['personal', 'groupChat', 'team'] as const;
export type InstallScope = (typeof INSTALL_SCOPES)[number];

export interface ConversationInstall {
  /** The conversation id: one record per conversation the bot can post into. */
  readonly id: string;
  readonly scope: InstallScope;
  readonly tenantId: string | null;
  readonly serviceUrl: string;
  readonly teamId: string | null;
  readonly channelId: string | null;
  /** For personal chats: the member this chat reaches, once linked. */
  readonly memberId: string | null;
  readonly teamsUserId: string | null;
  readonly installedAt: string;
  /** The serialised conversation reference proactive sends need. */
  readonly reference: Readonly<Record<string, unknown>>;
}

/**
 * pending: claimed (older versions only); sending: on the wire; in-doubt: posted or not, nobody
 * can tell; skipped: planned, but nothing was left to say when its turn came (the report came in,
 * the action was closed), so nothing was posted and nothing went wrong (`NOTHING_TO_SEND`).
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'in-doubt', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One line of the delivery ledger. Its id is the message's natural key
 * (`reminder:<slotKey>`), so creating it twice fails: that is how a reminder goes out once.
 */
export interface Delivery {
  readonly id: string;
  readonly kind: 'action-reminder' | 'owner-assigned' | 'report-received' | 'report-prompt' | 'report-chase' | 'digest' | 'channel-summary' | 'channel-due' | 'welcome';
  /** The record the message is about (an action or report id): no names, no content. */
  readonly subjectId: string;
  readonly conversationId: string | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly createdAt: string;
  readonly lastAttemptAt: string | null;
  /** The Teams activity id once sent, so the card can be updated in place later. */
  readonly activityId: string | null;
  /** A stable code (e.g. 'MessageWritesBlocked', 'NO_CONVERSATION'), never a response body. */
  readonly failureCode: string | null;
}

/**
 * Why the bot cannot message a current member in a personal chat. The labels are what the
 * secretariat reads: what is wrong and what would fix it, no codes.
 */
export const UNREACHABLE_REASONS = ['removed-app', 'no-team-install', 'not-in-team', 'no-teams-account-linked', 'blocked', 'teams-unavailable'] as const;
export type UnreachableReason = (typeof UNREACHABLE_REASONS)[number];

export const UNREACHABLE_REASON_LABELS: Record<UnreachableReason, string> = {
  'removed-app': 'Removed the app from their personal chat, which stops their reminders: they get none until they add it again.',
  'no-team-install': 'No chat with the bot yet, and the app is not in the board\u2019s team: add the app to the team, or ask them to add it themselves.',
  'not-in-team': 'Not a member of the board\u2019s team in Teams: add them to the team, or ask them to add the app themselves.',
  'no-teams-account-linked': 'No Teams account linked to their record: add their work email / UPN so the bot can find them in the team.',
  blocked: 'Teams refused the bot\u2019s messages to them: they may have blocked or removed the app.',
  'teams-unavailable': 'Teams could not be asked who is in the board\u2019s team just now: try again in a few minutes.',
};
