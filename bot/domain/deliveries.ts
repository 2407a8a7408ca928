import { addDays, weekdayOf, type LocalDate } from './dates.js';
import type { Delivery } from './teams-presence.js';

/**
 * The delivery ledger's rules. A message goes out at most once because its ledger line
 * is created before it is sent, under an id that names the message (its slot), and a
 * create on an existing id fails. What is left to decide is when a line that is still
 * pending may be taken over: only when the process that wrote it has clearly died.
 */
export const DEFAULT_DELIVERY_LEASE_MS = 10 * 60_000;

export function reminderDeliveryId(slotKey: string, memberId: string): string {
  return `reminder:${slotKey}:${memberId}`;
}

/** One notice per person per change that made them an owner (the history line's id names the change). */
export function ownerAssignedDeliveryId(actionId: string, historyLineId: string, memberId: string): string {
  return `assigned:${actionId}:${historyLineId}:${memberId}`;
}

/** One notice per recipient per submitted version of a report. */
export function reportReceivedDeliveryId(reportId: string, version: number, memberId: string): string {
  return `report-in:${reportId}:v${version}:${memberId}`;
}

export function reportPromptDeliveryId(slotKey: string): string {
  return `report-prompt:${slotKey}`;
}

export function roundSummaryDeliveryId(roundId: string): string {
  return `channel-summary:${roundId}`;
}

export function digestDeliveryId(weekKey: string, recipient: string): string {
  return `digest:${weekKey}:${recipient}`;
}

/**
 * The board channel's "due and overdue" card for a week (named by its Monday): posted once, on
 * the first sweep of the week with something due, then updated in place (its activity id is on
 * this line) as actions change.
 */
export function channelDueDeliveryId(weekKey: string): string {
  return `channel-due:${weekKey}`;
}

/**
 * The welcome a personal install gets, once per install: Teams (and the Agents Playground, on
 * every page load) re-sends install events, which find the install and this line; an uninstall
 * removes the install, so installing again is a new install with a new time, and a new welcome.
 */
export function welcomeDeliveryId(conversationId: string, installedAt: string): string {
  return `welcome:${conversationId}:${installedAt}`;
}

/** A pending or sending line whose owner has not touched it for a whole lease is taken to be abandoned by a crashed sweep. */
export function isAbandoned(delivery: Delivery, now: Date, leaseMs: number = DEFAULT_DELIVERY_LEASE_MS): boolean {
  if (delivery.status !== 'pending' && delivery.status !== 'sending') return false;
  const touched = Date.parse(delivery.lastAttemptAt ?? delivery.createdAt);
  return Number.isFinite(touched) && now.getTime() - touched >= leaseMs;
}

/**
 * What a sweep does on finding a message's line already there. `sending` means the post
 * may have reached Teams before the sweep died; Teams cannot be asked, so such a line is
 * never posted again: it becomes `in-doubt` for the secretariat. A `pending` line (written
 * by an older version before it claimed, then abandoned) was never on the wire: send it.
 */
export function recoveryFor(delivery: Delivery, now: Date, leaseMs: number = DEFAULT_DELIVERY_LEASE_MS): 'skip' | 'resend' | 'in-doubt' {
  if (!isAbandoned(delivery, now, leaseMs)) return 'skip';
  return delivery.status === 'sending' ? 'in-doubt' : 'resend';
}

/** The Monday of the week a date falls in: the chair's digest is one per week, named by it. */
export function weekOf(date: LocalDate): LocalDate {
  const weekday = weekdayOf(date);
  return addDays(date, -((weekday + 6) % 7));
}

/**
 * The weekly digest is due on the first working day of the week (a Monday bank holiday
 * moves it to Tuesday): the caller only sweeps on working days, so "this week's digest,
 * not yet sent" is the whole rule, and the ledger makes it once.
 */
export function digestWeekKey(today: LocalDate): string {
  return weekOf(today);
}
