import type { LocalDate } from '../domain/index.js';

/*
 * The board channel's weekly card as a view, apart from the service that reads it
 * (channel-due.ts), so the message views (messaging.ts) can name it without a circle.
 */

/**
 * One line of the board channel's weekly card: what the public minutes print (the minute, the
 * action's words, owners' initials or the group's name) and its due date. Nothing else: no
 * notes, no reasons, no report text, no names.
 */
export interface ChannelDueItem {
  readonly actionId: string;
  readonly version: string;
  readonly minuteRef: string;
  readonly text: string;
  /** "TN", "MG, JK", "Safer Families", or "" for an action nobody owns yet. */
  readonly owners: string;
  readonly dueDate: LocalDate;
  readonly overdue: boolean;
}

export interface ChannelDueView {
  /** The Monday that names the week (and the card's ledger line). */
  readonly weekKey: LocalDate;
  readonly today: LocalDate;
  /** The Sunday the card looks ahead to. */
  readonly windowEnd: LocalDate;
  /** Overdue first, then due this week, by due date. */
  readonly items: readonly ChannelDueItem[];
  /** Actions proposed complete and waiting for the chair: counted only. */
  readonly proposedComplete: number;
  /**
   * The Teams ids (29:…) of the people who own something on the card (named owners, and the
   * current members of an owning group), first owners first, at most 60: their clients fetch
   * their own view of the card.
   */
  readonly ownerTeamsUserIds: readonly string[];
}
