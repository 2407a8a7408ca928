import { daysBetween, type ActionStatus, type LocalDate } from '../domain/index.js';

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "9 Feb 2027" for a calendar date. */
export function formatDate(date: LocalDate | null): string {
  if (!date) return 'not set';
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return longDate.format(new Date(Date.UTC(y, m - 1, d)));
}

/** "23 Nov 2026 (in 5 days)", "(today)", "(12 days overdue)". */
export function formatDue(dueDate: LocalDate | null, today: LocalDate): string {
  if (!dueDate) return 'the next meeting (not yet scheduled)';
  const days = daysBetween(today, dueDate);
  const when = days === 0 ? 'today' : days > 0 ? `in ${days} day${days === 1 ? '' : 's'}` : `${-days} day${days === -1 ? '' : 's'} overdue`;
  return `${formatDate(dueDate)} (${when})`;
}

/**
 * An action's due date as the card shows it, following the view: "(n days overdue)" only when the
 * action is overdue (the domain's isOverdue: an action proposed complete, closed or dropped is not,
 * whatever its date), "(today)"/"(in n days)" only while it is still to be done.
 */
export function dueLabel(view: { readonly dueDate: LocalDate | null; readonly overdue: boolean; readonly status: ActionStatus }, today: LocalDate): string {
  if (!view.dueDate) return 'the next meeting (not yet scheduled)';
  if (view.overdue) return formatDue(view.dueDate, today);
  const stillToDo = view.status === 'open' || view.status === 'in-progress';
  return stillToDo && view.dueDate >= today ? formatDue(view.dueDate, today) : formatDate(view.dueDate);
}

export type NoticeTone = 'good' | 'attention' | 'warning' | 'accent';

export interface CardNotice {
  readonly text: string;
  readonly tone: NoticeTone;
}

/** Lists show the start of long texts; the full text is one click (or the tab) away. Keeps cards far under Teams' size limit. */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Text someone typed (an action, a note, a reason, a report, a name) as a TextBlock or a Fact
 * must show it. Teams reads those as markdown and expands `{{DATE(...)}}`/`{{TIME(...)}}`, so
 * `**x**`, `[link](http://evil)`, `\n\n# heading` or `- item` in a note would restyle the card
 * or plant a link. Each character that can start markdown gets a backslash (CommonMark shows
 * `\*` as `*`), braces too, so no date function and no `${...}` template can match either.
 * Never for Input values or action data: those are shown and sent back exactly as stored.
 */
export function plainText(text: string): string {
  return text
    .replace(/[\\`*_{}[\]<>#|~&]/g, '\\$&')
    .replace(/^([ \t]*)([-+=])/gm, '$1\\$2')
    .replace(/^([ \t]*\d{1,9})([.)])(?=[ \t]|$)/gm, '$1\\$2');
}
