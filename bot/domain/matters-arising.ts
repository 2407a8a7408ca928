import { isOpenStatus, ROLLED_OVER_DEFERRED_NOTE, type Action, type ActionUpdate } from './actions.js';
import type { LocalDate } from './dates.js';
import type { Meeting } from './meetings.js';

/**
 * The list the chair walks through at the start of a meeting: what the last meeting
 * asked for, and what has happened to it since.
 */

/** An action is a matter arising at a meeting if the previous meeting agreed it or carried it over. */
export function isMatterArisingFrom(action: Action, previous: Meeting): boolean {
  if (action.meetingId === previous.id) return true;
  return action.history.some((h) => h.kind === 'rolled-over' && h.to === previous.id);
}

export type ArrivalKind = 'agreed' | 'rolled-over' | 'deferred';

export const ARRIVAL_LABELS: Record<ArrivalKind, string> = {
  agreed: 'Agreed at the last meeting',
  'rolled-over': 'Rolled over',
  deferred: 'Deferred',
};

/** How an action came to be a matter arising from the previous meeting: agreed there, or carried from it. */
export function arrivalFrom(action: Action, previous: Meeting): ArrivalKind {
  if (action.meetingId === previous.id) return 'agreed';
  const line = action.history.find((h) => h.kind === 'rolled-over' && h.to === previous.id);
  return line?.note === ROLLED_OVER_DEFERRED_NOTE ? 'deferred' : 'rolled-over';
}

/**
 * History lines written after the previous meeting's day and up to the day of this one:
 * "what changed since". The creation line is the minute itself, and the roll-over at the previous
 * meeting is how the item arrived (shown as its arrival), so neither is a change, whichever day
 * the meeting was recorded as held.
 */
export function changesSince(action: Action, previous: Meeting, upToDate: LocalDate): ActionUpdate[] {
  return action.history.filter((h) => {
    if (h.kind === 'created') return false;
    if (h.kind === 'rolled-over' && h.to === previous.id) return false;
    const day = h.at.slice(0, 10);
    return day > previous.date && day <= upToDate;
  });
}

/** The actions that keep slipping: still open after being carried over at two or more meetings. */
export function isRepeatedlyRolledOver(action: Action): boolean {
  return isOpenStatus(action.status) && action.rolloverCount > 1;
}
