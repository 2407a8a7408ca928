import { formatLongDate, isLocalDate, type LocalDate } from './dates.js';
import type { Due } from './actions.js';

/**
 * Reading pasted minutes into proposed actions, before anything is saved. Plain text as copied out
 * of Word or a PDF, in the styles councils use:
 * - the two-column table (discussion and actions side by side, tab-separated; numbered minutes such
 *   as "8.3."; the right-hand cell is the action; **bold** actions inside the discussion; a standalone
 *   "AM to put this on the agenda" paragraph);
 * - numbered paragraphs with "Action:" / "ACTION -" lines naming owners by initials or name;
 * - an action table pasted from Word (Ref / Action / Owner / Due), tab- or pipe-separated.
 * The parser only reads words: who "TN" is, is for the caller to resolve against the people and
 * groups of the day. Anything it is not sure of is a doubt, shown to the person, never guessed away.
 */

export const MINUTES_STYLES = ['two-column', 'action-lines', 'action-table'] as const;
export type MinutesStyle = (typeof MINUTES_STYLES)[number];

export const MINUTES_STYLE_LABELS: Record<MinutesStyle, string> = {
  'two-column': 'Minutes with discussion and actions side by side',
  'action-lines': 'Numbered minutes with Action lines',
  'action-table': 'A table of actions',
};

export const IMPORT_DOUBT_KINDS = ['no-owner', 'unknown-owner', 'ambiguous-owner', 'former-member', 'due', 'minute'] as const;
export type ImportDoubtKind = (typeof IMPORT_DOUBT_KINDS)[number];

export interface ImportDoubt {
  readonly kind: ImportDoubtKind;
  /** In plain words, for the person checking the import. */
  readonly message: string;
}

export interface ParsedAction {
  /** Stable within one text: the same paste gives the same keys, so a confirm can be repeated. */
  readonly key: string;
  /** As printed, without the trailing dot: "8.3". Empty when the minutes gave none. */
  readonly minuteRef: string;
  readonly text: string;
  /** The owners as the minutes write them: "TN", "MG", "Safer Families", "the chair". */
  readonly ownerTokens: readonly string[];
  /** The words the due date came from ("in September", "next meeting"), or null when the minutes give none. */
  readonly dueText: string | null;
  /** Resolved against the meeting's date; "next meeting" when the minutes give no date. */
  readonly due: Due;
  readonly doubts: readonly ImportDoubt[];
}

export interface ParsedMinutes {
  readonly style: MinutesStyle;
  readonly actions: readonly ParsedAction[];
}

export const MINUTES_TEXT_MAX = 240_000;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_PATTERN = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

function monthIndex(word: string): number {
  const w = word.toLowerCase().slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(w));
}

const pad = (n: number) => String(n).padStart(2, '0');

function lastDayOfMonth(year: number, month0: number): LocalDate {
  const d = new Date(Date.UTC(year, month0 + 1, 0));
  return `${year}-${pad(month0 + 1)}-${pad(d.getUTCDate())}`;
}

/** A month named without a year is the first such month on or after the meeting's month. */
function yearFor(month0: number, meetingDate: LocalDate): number {
  const [y, m] = meetingDate.split('-').map(Number) as [number, number];
  return month0 + 1 >= m ? y : y + 1;
}

interface DueReading {
  readonly due: Due;
  readonly dueText: string | null;
  readonly doubts: ImportDoubt[];
}

const NEXT_MEETING = /\b(?:the\s+)?next\s+(?:exec\s+|board\s+)?meeting\b/i;

/** Finds a due date in an action's words (or a Due cell): a date, a month, or the next meeting. */
export function readDue(text: string, meetingDate: LocalDate, fromDueCell = false): DueReading {
  const doubts: ImportDoubt[] = [];
  const dates: { date: LocalDate; words: string }[] = [];
  const seen = (date: LocalDate | null, words: string) => {
    if (date && isLocalDate(date)) dates.push({ date, words: words.trim().replace(/[.,;]$/, '') });
  };
  for (const m of text.matchAll(new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_PATTERN}\\.?(?:\\s+(\\d{4}))?\\b`, 'gi'))) {
    const month0 = monthIndex(m[2]!);
    const year = m[3] ? Number(m[3]) : yearFor(month0, meetingDate);
    seen(`${year}-${pad(month0 + 1)}-${pad(Number(m[1]))}`, m[0]);
  }
  for (const m of text.matchAll(/\b(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b/g)) {
    const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    seen(`${year}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`, m[0]);
  }
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) seen(m[0], m[0]);
  if (dates.length === 0) {
    const monthWords = fromDueCell
      ? new RegExp(`^\\s*(?:(?:by\\s+)?(?:the\\s+)?end\\s+of\\s+|in\\s+|by\\s+|during\\s+)?${MONTH_PATTERN}\\.?(?:\\s+(\\d{4}))?\\s*$`, 'i')
      : new RegExp(`\\b(?:(?:by\\s+)?(?:the\\s+)?end\\s+of|in|by|during|for)\\s+${MONTH_PATTERN}\\b\\.?(?:\\s+(\\d{4}))?`, 'i');
    const m = monthWords.exec(text);
    // "the analyst support agreed in July" tells when something happened, not when it is due.
    const before = m ? text.slice(0, m.index) : '';
    const past = /\b(?:\w+ed|held|met|made|began|begun|ran|run|done|seen|given)\s*$/i.test(before) && !/\bbe\s+\w+\s*$/i.test(before);
    if (m && !past) {
      const month0 = monthIndex(m[1]!);
      const year = m[2] ? Number(m[2]) : yearFor(month0, meetingDate);
      seen(lastDayOfMonth(year, month0), m[0]);
    }
  }
  const next = NEXT_MEETING.exec(text);
  if (dates.length === 0 && !next) {
    const cell = text.trim();
    if (fromDueCell && cell && !/^(?:n\/?a|-+|–|none)$/i.test(cell)) {
      doubts.push({ kind: 'due', message: `The due date "${cell}" is not a date: it is set to the next meeting; choose a date if one was meant.` });
      return { due: { kind: 'next-meeting' }, dueText: cell, doubts };
    }
    return { due: { kind: 'next-meeting' }, dueText: null, doubts };
  }
  if (dates.length === 0) return { due: { kind: 'next-meeting' }, dueText: next![0], doubts };
  const first = dates[0]!;
  if (dates.length > 1 && dates.some((d) => d.date !== first.date)) {
    doubts.push({ kind: 'due', message: `The minutes give more than one date (${dates.map((d) => `"${d.words}"`).join(', ')}): the first, ${formatLongDate(first.date)}, is used; check which was meant.` });
  }
  if (next) {
    doubts.push({ kind: 'due', message: `The minutes say both "${next[0]}" and "${first.words}": the date, ${formatLongDate(first.date)}, is used; choose the next meeting if that was meant.` });
  }
  if (first.date < meetingDate) {
    doubts.push({ kind: 'due', message: `"${first.words}" is before the meeting (${formatLongDate(meetingDate)}): choose the date the action is due.` });
  }
  return { due: { kind: 'date', date: first.date }, dueText: first.words, doubts };
}

const INITIALS = '[A-Z]{2,4}';
/** Lower-case words that may end an owner's name: "Theme leads", "the chair". */
const ROLE_WORDS = '(?:leads?|members?|group|team|chair|vice-chair|secretariat|partners|officers?)';
/** A capitalised word of a name: its second letter is lower case, so it never also reads as initials. */
const CAP_WORD = "[A-Z][a-z'\u2019][A-Za-z'\u2019]*";
const NAME_PHRASE = `(?:(?:[Tt]he\\s+)?(?:${CAP_WORD}\\s+){0,3}(?:${CAP_WORD}|${ROLE_WORDS})|(?:[Tt]he\\s+)?(?:[a-z]+\\s+)?${ROLE_WORDS})`;
const OWNER_ONE = `(?:${INITIALS}|${NAME_PHRASE})`;
// At most six owners in one list: a bound, so a hostile paste ("AB, AB, AB, …") cannot make the match backtrack for minutes.
const OWNER_LIST = `${OWNER_ONE}(?:\\s*(?:,|&|\\/|\\+|\\band\\b)\\s*${OWNER_ONE}){0,5}`;
/** Words that start sentences but never name an owner: "Need to begin", "It is likely". */
const NOT_OWNERS = new Set(
  'need needs feel felt happy it this that there these those we i they he she you our looked using due since would could should may might ask asks concerns highlighted volunteered agreed also all any each everyone nobody none members partners all'.split(' '),
);

const SUBJECT_ACTION = new RegExp(`^(${OWNER_LIST})\\s*(?:[\u2013\u2014-]\\s*|:\\s*)?(?:[Tt]o|will|shall|agreed\\s+to)\\s+(?!be\\b)[a-z]`);
const PASSIVE_ACTION = /^(.{3,120}?)\s+(?:to be|should be|is to be|are to be|needs? to be|must be)\s+[a-z]+/;
const BY_OWNER = new RegExp(`\\bby\\s+(${OWNER_LIST})(?=[\\s,.;:]|$)`);

export function splitOwnerList(list: string): string[] {
  return list
    .split(/\s*(?:,|;|&|\/|\+|\band\b)\s*/)
    .map((t) => t.trim().replace(/^[(\s]+|[)\s.:]+$/g, ''))
    .filter((t) => t.length > 0);
}

function isOwnerPhrase(phrase: string): boolean {
  return splitOwnerList(phrase).every((t) => {
    const first = t.replace(/^the\s+/i, '').split(/\s+/)[0]!.toLowerCase();
    const lone = t.split(/\s+/).length === 1;
    // A single capitalised word is a name only as initials ("TN"), not as a verb ("Need").
    if (lone && !/^[A-Z]{2,4}$/.test(t)) return /^(?:chair|secretariat)$/i.test(t);
    return /^[A-Z]{2,4}$/.test(t) || !NOT_OWNERS.has(first);
  });
}

const SENTENCE_SPLIT = /(?<=[.!?])\s+(?=[A-Z*])/;

/** Who an action names as its owners: "TN to…", "MG and JK to…", "AM – To…", "…sent by the chair", "… (TN)". */
export function ownersInText(text: string): string[] {
  for (const sentence of text.split(SENTENCE_SPLIT)) {
    const m = SUBJECT_ACTION.exec(sentence.trim());
    if (m && isOwnerPhrase(m[1]!)) return splitOwnerList(m[1]!);
  }
  const by = BY_OWNER.exec(text);
  if (by && isOwnerPhrase(by[1]!)) return splitOwnerList(by[1]!);
  const trailing = new RegExp(`(?:[\u2013\u2014-]\\s*|\\(\\s*(?:owner|lead|by|action)?\\s*:?\\s*)(${INITIALS}(?:\\s*(?:,|&|\\/|\\band\\b)\\s*${INITIALS}){0,5})\\s*\\)?\\.?\\s*$`).exec(text.trim());
  if (trailing) return splitOwnerList(trailing[1]!);
  return [];
}

/** A sentence of discussion that is itself an action: it names an owner and what they will do, or a thing to be done. */
function sentenceAction(sentence: string, opensParagraph: boolean): boolean {
  const s = sentence.trim();
  const m = SUBJECT_ACTION.exec(s);
  if (m && isOwnerPhrase(m[1]!)) return true;
  // "OPiC data to be released…": an action without an owner, when it stands as its own paragraph;
  // inside a paragraph it is usually part of what is being described ("sub meetings to be had…").
  return opensParagraph && PASSIVE_ACTION.test(s) && !/\bwill be\b/.test(s.split(/\s+/).slice(0, 6).join(' '));
}

const clean = (text: string) => text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();

/** "8.3." / "8.3" / "I." (a PDF's reading of "1.") at the start of a line or a cell. */
const MINUTE_AT_START = /^\s*((?:\d{1,3}|[Il\u0131]{1,2})(?:\.\d{1,3}){0,3})\.?(?=\s|$)/;

function minuteOf(raw: string): string {
  return raw.replace(/[Il\u0131]/g, '1').replace(/\.$/, '');
}

interface Draft {
  minuteRef: string;
  text: string;
  ownerTokens?: string[];
  dueCell?: string;
  speaker?: string | null;
}

function finish(drafts: readonly Draft[], meetingDate: LocalDate): ParsedAction[] {
  const counts = new Map<string, number>();
  return drafts
    .filter((d) => clean(d.text).length > 0)
    .map((d) => {
      const text = clean(d.text);
      const ref = d.minuteRef;
      const n = (counts.get(ref) ?? 0) + 1;
      counts.set(ref, n);
      const ownerTokens = d.ownerTokens ?? ownersInText(text);
      const reading = d.dueCell !== undefined ? readDue(d.dueCell, meetingDate, true) : readDue(text, meetingDate);
      const doubts: ImportDoubt[] = [];
      if (!ref) doubts.push({ kind: 'minute', message: 'No minute number was found for this action: add the minute it belongs to.' });
      if (ownerTokens.length === 0) {
        doubts.push({
          kind: 'no-owner',
          message: d.speaker
            ? `The minutes name no owner (it sits in ${d.speaker}\u2019s part of the discussion): choose one, or leave it for the chair to assign.`
            : 'The minutes name no owner: choose one, or leave it for the chair to assign.',
        });
      }
      doubts.push(...reading.doubts);
      return { key: `${ref || 'x'}-${n}`, minuteRef: ref, text, ownerTokens, dueText: reading.dueText, due: reading.due, doubts };
    });
}

const SEPARATOR_ROW = /^\s*\|?\s*:?-{2,}/;
const HEADER_NAMES = {
  ref: /^(?:ref(?:erence)?\.?|no\.?|minute(?: ref| no\.?)?|item|#|min(?:ute)?\.?)$/i,
  action: /^(?:actions?|action agreed|description|what)$/i,
  owner: /^(?:owners?|lead|leads|who|by whom|responsible|action by|assigned to)$/i,
  due: /^(?:due(?: date)?|deadline|date|by when|when|target(?: date)?|timescale)$/i,
};

function splitRow(line: string, separator: '\t' | '|'): string[] {
  let cells = line.split(separator).map((c) => c.trim());
  if (separator === '|') {
    if (cells[0] === '') cells = cells.slice(1);
    if (cells.at(-1) === '') cells = cells.slice(0, -1);
  }
  return cells;
}

function actionTable(lines: readonly string[]): { columns: Record<keyof typeof HEADER_NAMES, number>; separator: '\t' | '|'; start: number } | null {
  for (let i = 0; i < lines.length; i++) {
    for (const separator of ['\t', '|'] as const) {
      if (!lines[i]!.includes(separator)) continue;
      const cells = splitRow(lines[i]!, separator);
      const find = (p: RegExp) => cells.findIndex((c) => p.test(c.replace(/\*\*/g, '').trim()));
      const columns = { ref: find(HEADER_NAMES.ref), action: find(HEADER_NAMES.action), owner: find(HEADER_NAMES.owner), due: find(HEADER_NAMES.due) };
      if (columns.action >= 0 && columns.owner >= 0) return { columns, separator, start: i + 1 };
    }
  }
  return null;
}

function parseActionTable(lines: readonly string[], table: NonNullable<ReturnType<typeof actionTable>>): Draft[] {
  const drafts: Draft[] = [];
  const { columns, separator } = table;
  for (const line of lines.slice(table.start)) {
    if (!line.trim() || SEPARATOR_ROW.test(line)) continue;
    if (!line.includes(separator)) {
      // A cell's second line, pasted on a line of its own.
      const last = drafts.at(-1);
      if (last && line.trim()) last.text += ` ${line.trim()}`;
      continue;
    }
    const cells = splitRow(line, separator);
    const cell = (i: number) => (i >= 0 ? (cells[i] ?? '') : '');
    const text = cell(columns.action);
    if (!text) continue;
    const ref = minuteOf(cell(columns.ref).replace(/^(?:minute|item)\s*/i, '').trim());
    drafts.push({
      minuteRef: /^\d{1,3}(\.\d{1,3}){0,3}$/.test(ref) ? ref : '',
      text,
      ownerTokens: splitOwnerList(cell(columns.owner)).filter((t) => !/^(?:tbc|tba|n\/a|-)$/i.test(t)),
      dueCell: cell(columns.due),
    });
  }
  return drafts;
}

const ACTION_LINE = /^\s*(?:[-\u2022*]\s*)?(?:agreed\s+)?actions?\s*(?:\(([^)]*)\))?\s*(?:[:\u2013\u2014-]+)\s*(.*)$/i;

/** "TN: circulate the list" / "Owner: TN" / "(TN, by 30 September)" after an Action: label. */
function actionLineParts(rest: string): { text: string; owners: string[] | null } {
  const labelled = /\b(?:owner|owners|lead|by whom|who)\s*:\s*([^;()]+?)(?:[;,)]|\s+due\b|\s*$)/i.exec(rest);
  if (labelled) return { text: rest, owners: splitOwnerList(labelled[1]!) };
  const prefixed = new RegExp(`^(${INITIALS}(?:\\s*(?:,|&|\\/|\\band\\b)\\s*${INITIALS}){0,5})\\s*[:\u2013\u2014-]\\s+(?![Tt]o\\b)(.+)$`).exec(rest);
  if (prefixed) return { text: rest, owners: splitOwnerList(prefixed[1]!) };
  return { text: rest, owners: null };
}

function parseProse(lines: readonly string[], explicitOnly: boolean): Draft[] {
  const drafts: Draft[] = [];
  let minute = '';
  let speaker: string | null = null;
  let inActionList = false;
  let lastTableAction: Draft | null = null;
  for (let raw of lines) {
    raw = raw.replace(/\u00a0/g, ' ');
    if (!raw.trim()) {
      inActionList = false;
      continue;
    }
    // Bold actions anywhere: "**TN to enquire about…**".
    for (const m of raw.matchAll(/\*\*([^*]+)\*\*/g)) {
      if (clean(m[1]!).split(' ').length >= 3) drafts.push({ minuteRef: minute, text: m[1]!, speaker });
    }
    const line = raw.replace(/\*\*([^*]+)\*\*/g, (all, inner: string) => (clean(inner).split(' ').length >= 3 ? '' : inner));

    if (line.includes('\t')) {
      const cells = line.split('\t').map((c) => c.trim());
      const start = MINUTE_AT_START.exec(cells[0]!);
      let rest = cells;
      if (start && start[0].trim() === cells[0]) {
        minute = minuteOf(start[1]!);
        rest = cells.slice(1);
      }
      const discussion = rest[0] ?? '';
      const who = new RegExp(`^(${INITIALS})\\s*(?:\\([^)]*\\)\\s*)?[\u2013\u2014-]`).exec(discussion);
      if (who) speaker = who[1]!;
      const actionCell = rest.length >= 2 ? rest[rest.length - 1]! : '';
      if (actionCell && !/^actions?$/i.test(actionCell)) {
        if (/^[a-z]/.test(actionCell) && lastTableAction) {
          lastTableAction.text += ` ${actionCell}`;
        } else {
          lastTableAction = { minuteRef: minute, text: actionCell, speaker };
          drafts.push(lastTableAction);
        }
      }
      continue;
    }
    lastTableAction = null;

    let text = line.trim();
    const numbered = MINUTE_AT_START.exec(text);
    if (numbered && (/^\d/.test(numbered[1]!) || /^[Il\u0131]{1,2}\.\s+[A-Z]/.test(text))) {
      minute = minuteOf(numbered[1]!);
      text = text.slice(numbered[0].length).trim();
      speaker = null;
    }
    const actionLine = ACTION_LINE.exec(text);
    if (actionLine) {
      const rest = actionLine[2]!.trim();
      if (!rest) {
        inActionList = true;
        continue;
      }
      const parts = actionLineParts(actionLine[1] ? `${rest} (${actionLine[1]})` : rest);
      drafts.push({ minuteRef: minute, text: parts.text, ...(parts.owners ? { ownerTokens: parts.owners } : {}) });
      continue;
    }
    if (inActionList && /^\s*(?:[-\u2022*]|\d+[.)]|[a-z][.)])\s+/.test(raw)) {
      const parts = actionLineParts(text.replace(/^(?:[-\u2022*]|\d+[.)]|[a-z][.)])\s+/, ''));
      drafts.push({ minuteRef: minute, text: parts.text, ...(parts.owners ? { ownerTokens: parts.owners } : {}) });
      continue;
    }
    inActionList = false;
    const who = new RegExp(`^(${INITIALS})\\s*[\u2013\u2014-]\\s`).exec(text);
    if (who) speaker = who[1]!;
    if (explicitOnly || !text) continue;
    const sentences = text.split(SENTENCE_SPLIT);
    sentences.forEach((sentence, i) => {
      if (sentenceAction(sentence, i === 0)) drafts.push({ minuteRef: minute, text: sentence, speaker });
    });
  }
  return drafts;
}

/**
 * Reads the minutes of the meeting held on `meetingDate` and proposes its actions, in the order
 * the minutes give them. Pure: the same text and date always give the same proposals and keys.
 */
export function parseMinutes(text: string, meetingDate: LocalDate): ParsedMinutes {
  const lines = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').split('\n');
  const table = actionTable(lines);
  if (table) return { style: 'action-table', actions: finish(parseActionTable(lines, table), meetingDate) };
  const explicit = lines.some((l) => ACTION_LINE.test(l.replace(/^\s*\d{1,3}(?:\.\d{1,3}){0,3}\.?\s+/, '')) && !/^\s*actions?\s*$/i.test(l.trim()) && !l.includes('\t'));
  const tabbed = lines.filter((l) => l.includes('\t')).length;
  const drafts = parseProse(lines, explicit);
  return { style: explicit && tabbed < 3 ? 'action-lines' : 'two-column', actions: finish(drafts, meetingDate) };
}
