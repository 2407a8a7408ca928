import { formatLongDate, isLocalDate, type LocalDate } from './dates.js';
import { fail, ok, type Result } from './result.js';

/**
 * A Teams meeting's attendance report, read from the file the organiser downloads from the
 * meeting's Attendance tab (or from Graph's attendanceRecords, which carry the same facts).
 *
 * The download is three sections: "1. Summary" (title, start and end, count), "2. Participants"
 * (Name, First Join, Last Leave, In-Meeting Duration, Email, Participant ID (UPN), Role), and
 * "3. In-Meeting Activities" (one line per join). It is tab-separated and often UTF-16 LE with a
 * byte-order mark; re-saved from Excel it is comma-separated UTF-8. Dates are written in the
 * organiser's locale ("28/07/2020, 10:00:12" in en-GB, "7/28/20, 10:00:12 AM" in en-US), so a
 * date's order is worked out from the whole file, and from the meeting's day when the file
 * alone cannot tell (every day and month 12 or under).
 */

export interface AttendanceParticipant {
  /** 1-based position in the participants section: how the secretariat's choices refer to a row. */
  readonly row: number;
  /** As Teams shows it, with a "(Guest)" or "(External)" marker removed. */
  readonly name: string;
  /** Lower-cased; a guest's "#EXT#" UPN is turned back into the address it stands for. */
  readonly email: string | null;
  readonly upn: string | null;
  readonly role: string | null;
  /** Marked by Teams as a guest or external participant. */
  readonly guest: boolean;
  readonly durationSeconds: number | null;
}

/** A date as written, before its order is known. */
interface WrittenDate {
  readonly first: number;
  readonly second: number;
  readonly year: number;
  /** Only for yyyy-mm-dd, where the order is not in doubt. */
  readonly iso: boolean;
}

export interface AttendanceReport {
  readonly source: 'file' | 'graph';
  readonly title: string | null;
  readonly participants: readonly AttendanceParticipant[];
  /**
   * The day or days the report can be for: one when the dates say which order they are in,
   * two (day-first and month-first readings) when they do not, none when it has no dates.
   */
  readonly possibleDays: readonly LocalDate[];
  /** Rows of the participants section that had no name and were left out. */
  readonly skippedRows: number;
}

/** Largest report accepted: a 1,000-person meeting's download is well under this. */
export const MAX_ATTENDANCE_REPORT_BYTES = 1024 * 1024;
/** More rows than this is not one board's meeting. */
export const MAX_ATTENDANCE_PARTICIPANTS = 2000;

const unreadable = (message: string) => fail<never>('ATTENDANCE.UNREADABLE', message);
const DOWNLOAD_HINT = 'Download the attendance report from the meeting\u2019s Attendance tab in Teams and upload that file as it is, or paste its text.';

/** Turns the downloaded bytes into text: UTF-16 LE/BE with a byte-order mark, UTF-16 LE without one, or UTF-8. */
export function decodeReportBytes(bytes: Uint8Array): Result<string> {
  if (bytes.length === 0) return unreadable('The file is empty. ' + DOWNLOAD_HINT);
  const kind = binaryKind(bytes);
  if (kind) return unreadable(`This file is ${kind}, not an attendance report. ${DOWNLOAD_HINT}`);
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return ok(new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2)));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return ok(new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2)));
    if (looksLikeUtf16LeWithoutMark(bytes)) return ok(new TextDecoder('utf-16le', { fatal: true }).decode(bytes));
    return ok(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return unreadable(`This file is not text in UTF-8 or UTF-16, so it cannot be an attendance report. ${DOWNLOAD_HINT}`);
  }
}

function binaryKind(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'a GIF image';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a compressed file such as an Excel workbook (.xlsx) or a zip: save the report as CSV or upload the downloaded .csv';
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return 'an old-style Office document (.xls or .doc)';
  return null;
}

/** Many zero bytes at odd positions and none at even ones: UTF-16 LE text that lost its mark. */
function looksLikeUtf16LeWithoutMark(bytes: Uint8Array): boolean {
  const sample = Math.min(bytes.length, 400) & ~1;
  if (sample < 4) return false;
  let oddZeros = 0;
  let evenZeros = 0;
  for (let i = 0; i < sample; i++) {
    if (bytes[i] === 0) {
      if (i % 2) oddZeros++;
      else evenZeros++;
    }
  }
  return oddZeros > sample / 4 && evenZeros === 0;
}

/** Splits one line into cells: tab- or comma-separated, with CSV's double quotes. */
function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

const squash = (s: string) => s.toLowerCase().replace(/[\s_]+/g, ' ').trim();
const SECTION = /^(?:\d+\.\s*)?(summary|participants|in-meeting activities|in meeting activities)$/i;

/** The columns of the participants section, by the names Teams gives them (any case). */
const COLUMNS = {
  name: ['name', 'full name', 'participant name'],
  firstJoin: ['first join', 'first join time', 'join time'],
  duration: ['in-meeting duration', 'in meeting duration', 'duration', 'attendance duration'],
  email: ['email', 'email address'],
  upn: ['participant id (upn)', 'participant id', 'upn'],
  role: ['role'],
} as const;

function columnIndex(header: readonly string[], names: readonly string[]): number {
  return header.findIndex((h) => (names as readonly string[]).includes(squash(h)));
}

/** The summary's start time: "Start time", "Meeting start time". */
const SUMMARY_START = ['start time', 'meeting start time', 'first join'];
const SUMMARY_TITLE = ['meeting title', 'title', 'meeting name'];

/**
 * Reads the report's text. Fails, naming what is wrong, for anything that is not a Teams
 * attendance report (another CSV, an empty participants section).
 */
export function parseAttendanceReport(text: string): Result<AttendanceReport> {
  const cleaned = text.replace(/^\uFEFF/, '');
  if (!cleaned.trim()) return unreadable('The report is empty. ' + DOWNLOAD_HINT);
  if (/[\u0000-\u0008\u000e-\u001f]/.test(cleaned.slice(0, 4000))) {
    return unreadable(`This is not a text file, so it cannot be an attendance report. ${DOWNLOAD_HINT}`);
  }
  const lines = cleaned.split(/\r\n|\n|\r/);
  const delimiter = lines.some((l) => l.includes('\t')) ? '\t' : ',';
  const rows = lines.map((l) => splitLine(l, delimiter));

  let section: string | null = null;
  let title: string | null = null;
  let start: WrittenDate | null = null;
  let header: string[] | null = null;
  let sawParticipantsHeading = false;
  const participantRows: string[][] = [];
  const dates: WrittenDate[] = [];

  for (const cells of rows) {
    const first = cells[0] ?? '';
    const nonEmpty = cells.filter((c) => c !== '');
    const heading = nonEmpty.length === 1 ? SECTION.exec(first) : null;
    if (heading) {
      section = heading[1]!.toLowerCase().startsWith('in') ? 'activities' : heading[1]!.toLowerCase();
      if (section === 'participants') sawParticipantsHeading = true;
      continue;
    }
    if (nonEmpty.length === 0) {
      // A blank line ends the participants table (the activities section follows).
      if (section === 'participants' && header) section = 'after-participants';
      continue;
    }
    if (section === 'summary' || section === null) {
      const key = squash(first);
      if (SUMMARY_TITLE.includes(key) && cells[1]) title = cells[1];
      if (SUMMARY_START.includes(key) && cells[1]) start = readDate(cells[1]) ?? start;
    }
    // A report without section headings (older downloads, a pasted table): the header row is enough.
    if ((section === 'participants' || section === null || section === 'summary') && !header && columnIndex(cells, COLUMNS.name) >= 0 && (columnIndex(cells, COLUMNS.email) >= 0 || columnIndex(cells, COLUMNS.upn) >= 0)) {
      header = cells;
      section = 'participants';
      continue;
    }
    if (section === 'participants' && header) participantRows.push(cells);
  }

  if (!header) {
    const older = joinLeaveLog(rows);
    if (older) return older;
    const firstLine = rows.find((r) => r.some((c) => c !== '')) ?? [];
    const shown = firstLine.slice(0, 5).map((c) => `"${c.slice(0, 40)}"`).join(', ');
    return unreadable(
      sawParticipantsHeading
        ? `The Participants section has no heading row with Name and Email (or Participant ID (UPN)) columns. ${DOWNLOAD_HINT}`
        : `This does not look like a Teams attendance report: it has no Participants section with Name and Email columns (its first line reads ${shown || 'nothing'}). ${DOWNLOAD_HINT}`,
    );
  }
  const at = {
    name: columnIndex(header, COLUMNS.name),
    firstJoin: columnIndex(header, COLUMNS.firstJoin),
    duration: columnIndex(header, COLUMNS.duration),
    email: columnIndex(header, COLUMNS.email),
    upn: columnIndex(header, COLUMNS.upn),
    role: columnIndex(header, COLUMNS.role),
  };
  const participants: AttendanceParticipant[] = [];
  let skipped = 0;
  for (const cells of participantRows) {
    const cell = (i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '');
    const rawName = cell(at.name);
    if (!rawName) {
      skipped++;
      continue;
    }
    if (participants.length >= MAX_ATTENDANCE_PARTICIPANTS) return unreadable(`The report lists more than ${MAX_ATTENDANCE_PARTICIPANTS} participants: that is not one board meeting.`);
    const joined = readDate(cell(at.firstJoin));
    if (joined) dates.push(joined);
    participants.push(participant(participants.length + 1, rawName, cell(at.email), cell(at.upn), cell(at.role), readDuration(cell(at.duration))));
  }
  if (participants.length === 0) return unreadable(`The report\u2019s Participants section lists nobody. ${DOWNLOAD_HINT}`);
  if (start) dates.unshift(start);
  return ok({ source: 'file', title, participants, possibleDays: possibleDays(dates), skippedRows: skipped });
}

/**
 * The download Teams gave before 2021: one line per join or leave ("Full Name", "User Action",
 * "Timestamp"), with no email. Each name is one participant; the day is the first timestamp's.
 */
function joinLeaveLog(rows: readonly string[][]): Result<AttendanceReport> | null {
  const headerAt = rows.findIndex((r) => columnIndex(r, ['full name']) >= 0 && columnIndex(r, ['user action']) >= 0 && columnIndex(r, ['timestamp']) >= 0);
  if (headerAt < 0) return null;
  const header = rows[headerAt]!;
  const [name, stamp] = [columnIndex(header, ['full name']), columnIndex(header, ['timestamp'])];
  const seen = new Map<string, AttendanceParticipant>();
  const dates: WrittenDate[] = [];
  for (const cells of rows.slice(headerAt + 1)) {
    const raw = (cells[name] ?? '').trim();
    if (!raw) continue;
    const at = readDate(cells[stamp] ?? '');
    if (at) dates.push(at);
    const key = nameKey(raw);
    if (!seen.has(key)) {
      if (seen.size >= MAX_ATTENDANCE_PARTICIPANTS) return unreadable(`The report lists more than ${MAX_ATTENDANCE_PARTICIPANTS} participants: that is not one board meeting.`);
      seen.set(key, participant(seen.size + 1, raw, '', '', '', null));
    }
  }
  if (seen.size === 0) return unreadable(`The report lists nobody. ${DOWNLOAD_HINT}`);
  return ok({ source: 'file', title: null, participants: [...seen.values()], possibleDays: possibleDays(dates), skippedRows: 0 });
}

const GUEST_MARK = /\s*\((guest|external|unverified|invited guest)\)\s*$/i;

/** One participant, with a guest's marker and "#EXT#" address undone so they can be matched. */
export function participant(row: number, longName: string, longEmail: string, longUpn: string, rawRole: string, durationSeconds: number | null): AttendanceParticipant {
  // Cut before any pattern runs: a cell of 100,000 spaces must not make a regular expression crawl.
  const [rawName, rawEmail, rawUpn] = [longName.slice(0, 300), longEmail.slice(0, 320), longUpn.slice(0, 320)];
  const guest = GUEST_MARK.test(rawName) || /#ext#/i.test(rawUpn) || /#ext#/i.test(rawEmail);
  const name = rawName.replace(GUEST_MARK, '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const email = toAddress(rawEmail) ?? toAddress(rawUpn);
  return { row, name, email, upn: toAddress(rawUpn), role: rawRole.slice(0, 40) || null, guest, durationSeconds };
}

/** "jo.bloggs_partner.org#EXT#@tenant.onmicrosoft.com" is jo.bloggs@partner.org. */
function toAddress(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  if (!value) return null;
  const external = /^(.+)_([^_@#]+\.[^_@#]+)#ext#@/i.exec(value);
  if (external) return `${external[1]}@${external[2]}`;
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : null;
}

/** "1h 29m 50s", "29m 5s", "45s", "1:29:50". */
export function readDuration(text: string): number | null {
  const t = text.slice(0, 100).trim().toLowerCase();
  if (!t) return null;
  const clock = /^(\d+):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (clock) return clock[3] !== undefined ? Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]) : Number(clock[1]) * 60 + Number(clock[2]);
  const parts = [...t.matchAll(/(\d+)\s*(h|hr|hrs|hours?|m|min|mins|minutes?|s|sec|secs|seconds?)\b/g)];
  if (!parts.length) return null;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (p[2]!.startsWith('h') ? 3600 : p[2]!.startsWith('m') ? 60 : 1), 0);
}

/** "28/07/2020, 10:00:12", "7/28/20, 10:00:12 AM", "2020-07-28 10:00:12", "28.07.2020 10:00". */
function readDate(text: string): WrittenDate | null {
  const t = text.slice(0, 100).trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(t);
  if (iso) return { year: Number(iso[1]), first: Number(iso[2]), second: Number(iso[3]), iso: true };
  const written = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b/.exec(t);
  if (!written) return null;
  const year = written[3]!.length === 2 ? 2000 + Number(written[3]) : Number(written[3]);
  return { first: Number(written[1]), second: Number(written[2]), year, iso: false };
}

const localDate = (year: number, month: number, day: number): LocalDate | null => {
  const value = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isLocalDate(value) ? value : null;
};

/**
 * The report's day: its start time, else the earliest first join. The order of day and month is
 * the one every date in the file allows (a 28 in first place means day-first); when every date
 * allows both, both readings are kept and the meeting's own day decides.
 */
function possibleDays(dates: readonly WrittenDate[]): LocalDate[] {
  if (!dates.length) return [];
  const isoDate = dates.find((d) => d.iso);
  if (isoDate) {
    const day = localDate(isoDate.year, isoDate.first, isoDate.second);
    return day ? [day] : [];
  }
  const dayFirstPossible = dates.every((d) => d.second <= 12 && d.first <= 31);
  const monthFirstPossible = dates.every((d) => d.first <= 12 && d.second <= 31);
  const d = dates[0]!;
  const out = new Set<LocalDate>();
  if (dayFirstPossible) {
    const day = localDate(d.year, d.second, d.first);
    if (day) out.add(day);
  }
  if (monthFirstPossible) {
    const day = localDate(d.year, d.first, d.second);
    if (day) out.add(day);
  }
  return [...out].sort();
}

/**
 * Checks the report is for a meeting held on `meetingDate`, and says plainly when it is not.
 * A report with no dates at all (pasted without its summary) is taken at the secretariat's word.
 */
export function checkReportDay(report: Pick<AttendanceReport, 'possibleDays'>, meetingDate: LocalDate): Result<LocalDate | null> {
  if (report.possibleDays.length === 0) return ok(null);
  if (report.possibleDays.includes(meetingDate)) return ok(meetingDate);
  const days = report.possibleDays.map(formatLongDate);
  const when = days.length === 1 ? days[0] : `${days.join(' or ')} (its dates can be read either way)`;
  return fail(
    'ATTENDANCE.OTHER_MEETING',
    `This report is for a meeting on ${when}, but this meeting was on ${formatLongDate(meetingDate)}. Choose the attendance report of the meeting of ${formatLongDate(meetingDate)}.`,
  );
}

/** What Graph's attendanceRecords carry, in the shape Microsoft documents (learn.microsoft.com/graph/api/resources/attendancerecord). */
export interface GraphAttendanceRecord {
  readonly emailAddress?: string | null;
  readonly identity?: { readonly displayName?: string | null; readonly id?: string | null } | null;
  readonly role?: string | null;
  readonly totalAttendanceInSeconds?: number | null;
}

/** A Graph meetingAttendanceReport, read as the download is: its day is the London date of its start. */
export function reportFromGraph(meetingStartDay: LocalDate | null, records: readonly GraphAttendanceRecord[]): Result<AttendanceReport> {
  const participants = records
    .filter((r) => (r.identity?.displayName ?? r.emailAddress ?? '').trim())
    .map((r, i) => participant(i + 1, (r.identity?.displayName ?? r.emailAddress ?? '').trim(), r.emailAddress ?? '', '', r.role ?? '', r.totalAttendanceInSeconds ?? null));
  if (!participants.length) return unreadable('Teams has an attendance report for this meeting, but it lists nobody.');
  return ok({ source: 'graph', title: null, participants, possibleDays: meetingStartDay ? [meetingStartDay] : [], skippedRows: records.length - participants.length });
}

/** Names compared as people type them: case, spacing and a "Surname, First" order do not matter. */
export function nameKey(name: string): string {
  const plain = name.slice(0, 300).replace(GUEST_MARK, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9,' -]/g, ' ');
  const comma = /^([^,]+),\s*(.+)$/.exec(plain.trim());
  const ordered = comma ? `${comma[2]} ${comma[1]}` : plain;
  return ordered.replace(/[\s-]+/g, ' ').trim();
}
