import type { LocalDate, Rag, ReminderStage, ReportPromptStage } from '../domain/index.js';
import type { ActionView } from './action-log.js';
import type { ChannelDueView } from './channel-due-view.js';
import type { DigestView } from './digest.js';
import type { ReportCardView, RoundProgressView } from './theme-reports.js';

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

/**
 * What a message says, as the services' views: the Teams side (bot/teams/message-cards.ts)
 * renders each into its card, so services decide what to say and never build a card.
 */
export type MessageView =
  /** An action, for the person it is sent to: its `allowed` is theirs. */
  | { readonly kind: 'action'; readonly stage: ReminderStage | 'assigned'; readonly action: ActionView; readonly today: LocalDate }
  | { readonly kind: 'report-prompt'; readonly stage: ReportPromptStage; readonly report: ReportCardView }
  /** The chair and the secretariat hear a report came in (or changed): no report text. */
  | { readonly kind: 'report-received'; readonly heading: string; readonly byLabel: string; readonly submittedOn: LocalDate; readonly rag: Rag }
  | { readonly kind: 'round-progress'; readonly progress: RoundProgressView; readonly today: LocalDate }
  | { readonly kind: 'digest'; readonly digest: DigestView }
  /** The Exec channel's version of the digest: counts, no people. */
  | { readonly kind: 'digest-channel'; readonly digest: DigestView }
  | { readonly kind: 'channel-due'; readonly due: ChannelDueView }
  /** Last week's channel card, giving way to this week's. */
  | { readonly kind: 'channel-due-retired'; readonly weekKey: LocalDate; readonly currentWeekKey: LocalDate }
  /** A card the Teams side rendered itself (an answer it sends on to a personal chat). */
  | { readonly kind: 'card'; readonly card: Readonly<Record<string, unknown>> };

export interface OutgoingMessage {
  readonly view: MessageView;
  /** Plain text shown in notifications and by clients that cannot render the card: no personal content. */
  readonly summary: string;
}

export interface MessageSender {
  send(target: ConversationTarget, message: OutgoingMessage, options?: SendOptions): Promise<SendOutcome>;
  update(target: ConversationTarget, activityId: string, message: OutgoingMessage): Promise<SendOutcome>;
}
