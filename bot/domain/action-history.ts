import { ACTION_STATUS_LABELS, ACTION_UPDATE_LABELS, type ActionStatus, type ActionUpdate } from './actions.js';
import { formatLongDate, isLocalDate, type LocalDate } from './dates.js';

/**
 * An action's history line in words a person reads, the one wording the cards, the tab and the
 * exports all show: initials and group names for owners, labels for statuses, British dates, and
 * the date of the meeting for a roll-over. The stored line keeps the codes (`member:mem-tn`,
 * `proposed-complete`, `2026-11-17`, `next-meeting`, a meeting id) because code reads them back.
 */

/** Who and what the ids in a history line are: the directory, or anything shaped like it. */
export interface HistoryNames {
  readonly members: readonly { readonly id: string; readonly initials: string }[];
  readonly groups: readonly { readonly id: string; readonly name: string }[];
  readonly meetings: readonly { readonly id: string; readonly date: LocalDate }[];
}

/** The parts of a line, for a table that shows them in separate columns (the subject-access export). */
export interface ActionUpdateWords {
  /** "Status changed", "Rolled over": ACTION_UPDATE_LABELS. */
  readonly label: string;
  /** "Open → Proposed complete"; null when the kind of line says it all (an update, a deferral). */
  readonly change: string | null;
  /** What the person wrote: the update, the reason, the note on a decision. */
  readonly note: string | null;
}

const FORMER_MEMBER = 'a former member';

function ownerWords(value: string | null, names: HistoryNames): string {
  const words = (value ?? '')
    .split(',')
    .filter(Boolean)
    .map((key) => {
      if (key.startsWith('member:')) return names.members.find((m) => m.id === key.slice('member:'.length))?.initials || FORMER_MEMBER;
      if (key.startsWith('group:')) return names.groups.find((g) => g.id === key.slice('group:'.length))?.name || 'a group no longer listed';
      return 'someone';
    });
  return words.join(', ') || 'nobody';
}

function dueWords(value: string | null): string {
  if (value === null || value === '') return 'no date';
  if (value === 'next-meeting') return 'the next meeting';
  return isLocalDate(value) ? formatLongDate(value) : 'another date';
}

function statusWords(value: string | null): string {
  return value !== null && value in ACTION_STATUS_LABELS ? ACTION_STATUS_LABELS[value as ActionStatus] : 'another status';
}

function meetingWords(id: string | null, names: HistoryNames): string {
  const meeting = id ? names.meetings.find((m) => m.id === id) : undefined;
  return meeting ? `the meeting of ${formatLongDate(meeting.date)}` : 'a meeting no longer listed';
}

const quoted = (text: string | null) => `\u201c${text ?? ''}\u201d`;

export function actionUpdateWords(line: ActionUpdate, names: HistoryNames): ActionUpdateWords {
  const label = ACTION_UPDATE_LABELS[line.kind] ?? 'Changed';
  const note = line.note?.trim() ? line.note.trim() : null;
  const words = (change: string | null): ActionUpdateWords => ({ label, change, note });
  switch (line.kind) {
    case 'created':
      return words(line.to ? `owners ${ownerWords(line.to, names)}` : 'no owner named yet');
    case 'owners':
      return words(`${ownerWords(line.from, names)} \u2192 ${ownerWords(line.to, names)}`);
    case 'status':
      return words(`${statusWords(line.from)} \u2192 ${statusWords(line.to)}`);
    case 'due':
    case 'date-change-requested':
    case 'date-change-approved':
      return words(`${dueWords(line.from)} \u2192 ${dueWords(line.to)}`);
    case 'date-change-refused':
      return words(`${dueWords(line.to)} asked for, stays ${dueWords(line.from)}`);
    case 'rolled-over': {
      const wasDue = line.from && line.from !== 'next-meeting' ? ` (it was due ${dueWords(line.from)})` : '';
      return words(`from ${meetingWords(line.to, names)} to the next meeting${wasDue}`);
    }
    case 'text':
      return words(`${quoted(line.from)} \u2192 ${quoted(line.to)}`);
    case 'note':
    case 'deferred':
      return words(null);
  }
}

/**
 * "Status changed: Open → Proposed complete – On the agenda for the next theme leads meeting.",
 * "Rolled over from the meeting of 13 October 2026 to the next meeting", "Update: List drafted."
 */
export function describeActionUpdate(line: ActionUpdate, names: HistoryNames): string {
  const { label, change, note } = actionUpdateWords(line, names);
  if (line.kind === 'rolled-over') return `${label} ${change}${note ? ` \u2013 ${note}` : ''}`;
  if (change === null) return note ? `${label}: ${note}` : label;
  return `${label}: ${change}${note ? ` \u2013 ${note}` : ''}`;
}
