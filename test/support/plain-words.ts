import {
  ACTION_STATUSES,
  ACTION_UPDATE_KINDS,
  GROUP_KINDS,
  MEETING_KINDS,
  MEETING_STATUSES,
  MEMBERSHIP_ROLES,
  RESPONSIBLE_AUTHORITY_KINDS,
  type ReportState,
} from '../../bot/domain/index.js';

/**
 * The plain-words finder (issue 14, item 2): what a person reads must carry no internal code, no
 * record id and no ISO date. Shared by the plain-words walk and every test of a document people read.
 */

const REPORT_STATES: readonly ReportState[] = ['not-in-yet', 'submitted', 'late', 'missing', 'no-lead'];

/** Codes of the domain's own tables that a person would read as jargon: the hyphenated ones, as stored. */
const CODES = [...new Set([...ACTION_STATUSES, ...ACTION_UPDATE_KINDS, ...MEMBERSHIP_ROLES, ...RESPONSIBLE_AUTHORITY_KINDS, ...GROUP_KINDS, ...REPORT_STATES, 'next-meeting'])].filter((c) =>
  c.includes('-'),
);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What must not be read: a name for the finding, and where in the text it is. Case-sensitive: "Vice-chair" is a label, "vice-chair" the code. */
const FORBIDDEN: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'an internal code', pattern: new RegExp(`(?<![\\w-])(?:${CODES.map(escape).join('|')})(?![\\w-])`, 'g') },
  { what: 'a date-change code', pattern: /date-change-/g },
  { what: 'an owner key', pattern: /\b(?:member|group):[a-z]/g },
  { what: 'a record id', pattern: /(?<![\w-])(?:mem|mtg|act|grp|thm|org|ms|rnd|round)-[a-z0-9]/g },
  { what: 'an ISO date', pattern: /\d{4}-\d{2}-\d{2}/g },
];

/**
 * Codes that are plain words ("submitted", "amber", "open", "chair"): shown as they are stored, they
 * stand alone, as a badge, a cell or a heading's last part, in lower case where a label has a capital.
 */
const BARE_CODES = new Set<string>([...ACTION_STATUSES, 'requested', 'submitted', 'late', ...REPORT_STATES, 'red', 'amber', 'green', 'RED', 'AMBER', 'GREEN', ...MEETING_STATUSES, ...MEETING_KINDS, ...MEMBERSHIP_ROLES, ...RESPONSIBLE_AUTHORITY_KINDS, ...GROUP_KINDS]);

/** Every forbidden thing in a text, each with the line it is on, so a failure says what to fix. */
export function findCodes(where: string, text: string): string[] {
  const found: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const context = line.trim().slice(0, 200);
    for (const { what, pattern } of FORBIDDEN) {
      for (const match of line.matchAll(pattern)) found.push(`${where}: ${what} "${match[0]}" in "${context}"`);
    }
    for (const piece of line.split(/,|\s[\u2013\u00b7|]\s|:\s/)) {
      const bare = piece.trim().replace(/^"|"$/g, '');
      if (BARE_CODES.has(bare)) found.push(`${where}: a bare code "${bare}" in "${context}"`);
    }
  }
  return found;
}

