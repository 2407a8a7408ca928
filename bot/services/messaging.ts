/**
 * What the services need from Teams to deliver a card: send it into a conversation the
 * bot is installed in, or replace one it sent before. The Teams adapter implements this
 * (bot/teams/proactive-sender.ts) with rate limits and retries; services never see botbuilder.
 */
export interface ConversationTarget {
  readonly conversationId: string;
  /** The stored conversation reference (plain JSON) from the install record. */
  readonly reference: Readonly<Record<string, unknown>>;
}

export type SendOutcome =
  | { readonly ok: true; readonly activityId: string; readonly attempts: number }
  | { readonly ok: false; readonly failureCode: string; readonly attempts: number };

export interface CardMessage {
  /** The Adaptive Card JSON. */
  readonly card: Readonly<Record<string, unknown>>;
  /** Plain text shown in notifications and by clients that cannot render the card: no personal content. */
  readonly summary: string;
}

export interface MessageSender {
  send(target: ConversationTarget, message: CardMessage): Promise<SendOutcome>;
  update(target: ConversationTarget, activityId: string, message: CardMessage): Promise<SendOutcome>;
}
