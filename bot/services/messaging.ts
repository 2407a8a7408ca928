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

/**
 * `posted: 'unknown'` is the case no retry can fix: the request reached Teams (or may have)
 * and no answer came back, so the message may be in the chat already. Posting it again
 * could show it twice; the caller records it as in doubt instead.
 */
export type SendOutcome =
  | { readonly ok: true; readonly activityId: string; readonly attempts: number }
  | { readonly ok: false; readonly failureCode: string; readonly attempts: number; readonly posted: 'no' | 'unknown' };

export interface SendOptions {
  /**
   * Called once, after the rate limits allow the first attempt and just before it goes on
   * the wire; the send is abandoned (NOT_CLAIMED) if it answers false. The sweep writes
   * its ledger line here, so a crash before this point leaves nothing that looks sent.
   */
  readonly claim?: () => Promise<boolean>;
}

export interface CardMessage {
  /** The Adaptive Card JSON. */
  readonly card: Readonly<Record<string, unknown>>;
  /** Plain text shown in notifications and by clients that cannot render the card: no personal content. */
  readonly summary: string;
}

export interface MessageSender {
  send(target: ConversationTarget, message: CardMessage, options?: SendOptions): Promise<SendOutcome>;
  update(target: ConversationTarget, activityId: string, message: CardMessage): Promise<SendOutcome>;
}
