import type { LocalDate } from './dates.js';

/**
 * A theme (domestic abuse, safer families...) or, in the older board's language, a
 * numbered priority. Both have leads who report to the Exec; priorities from a past
 * plan are kept for the record with `activeUntil` set.
 */
export interface Theme {
  readonly id: string;
  readonly name: string;
  /** The board's priority number, where the theme was adopted as a numbered priority. */
  readonly priorityNumber: number | null;
  /** Usually one; the 2014 plan shared some priorities between two leads. Empty = lead not yet identified. */
  readonly leadMemberIds: readonly string[];
  /** Who leads when no single person does ("all Safer Plymouth partners"). */
  readonly leadNote: string | null;
  readonly activeUntil: LocalDate | null;
}

export function isActiveTheme(theme: Theme, today: LocalDate): boolean {
  return theme.activeUntil === null || theme.activeUntil >= today;
}
