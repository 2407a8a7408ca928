import type { Audited } from './audit.js';
import { isLocalDate, type LocalDate } from './dates.js';
import { fail, ok, type Result } from './result.js';

/**
 * A theme (domestic abuse, safer families...) or, in the older board's language, a
 * numbered priority. Both have leads who report to the Exec; priorities from a past
 * plan are kept for the record with `activeUntil` set.
 */
export interface Theme extends Audited {
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

export const THEME_NAME_MAX = 200;

export type ThemeFields = Pick<Theme, 'name' | 'leadMemberIds' | 'leadNote' | 'priorityNumber' | 'activeUntil'>;

/** Leads are checked by the caller against current people; this checks the theme itself. */
export function validateTheme(fields: ThemeFields, selfId: string | null, themes: readonly Theme[], today: LocalDate): Result<ThemeFields> {
  const name = fields.name.trim();
  if (!name) return fail('THEME.INVALID', 'Give the theme a name (for example Domestic abuse).');
  if (name.length > THEME_NAME_MAX) return fail('THEME.INVALID', `A theme name can be at most ${THEME_NAME_MAX} characters.`);
  if (new Set(fields.leadMemberIds).size !== fields.leadMemberIds.length) return fail('THEME.INVALID', 'A lead is listed twice.');
  if (fields.leadMemberIds.length > 4) return fail('THEME.INVALID', 'A theme can have at most four leads.');
  if (fields.activeUntil !== null && !isLocalDate(fields.activeUntil)) return fail('THEME.INVALID', 'The end date must be a real date (YYYY-MM-DD).');
  const clash = themes.find((t) => t.id !== selfId && isActiveTheme(t, today) && t.name.toLowerCase() === name.toLowerCase());
  if (clash) return fail('THEME.INVALID', `There is already an active theme called ${clash.name}.`);
  const leadNote = fields.leadNote?.trim() || null;
  return ok({ ...fields, name, leadNote });
}
