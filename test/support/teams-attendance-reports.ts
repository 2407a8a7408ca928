/**
 * Teams meeting attendance reports as the organiser downloads them from the meeting's Attendance
 * tab: "1. Summary", "2. Participants", "3. In-Meeting Activities", tab-separated (or comma, as
 * Excel re-saves it), dates in the organiser's locale. Generated, so each test says what it holds.
 */

export interface ReportPerson {
  readonly name: string;
  readonly email: string;
  /** The sign-in Teams shows; a guest's is "first.last_their.domain#EXT#@tenant.onmicrosoft.com". */
  readonly upn?: string;
  readonly role?: 'Organizer' | 'Presenter' | 'Attendee';
  /** Minutes after the start that they joined, and how long they stayed. */
  readonly joinedAfter?: number;
  readonly minutes?: number;
}

export interface ReportOptions {
  readonly title?: string;
  /** The meeting's day, YYYY-MM-DD. */
  readonly date: string;
  /** 24-hour HH:MM. */
  readonly start?: string;
  readonly locale: 'en-GB' | 'en-US';
  readonly delimiter?: '\t' | ',';
  readonly people: readonly ReportPerson[];
}

function stamp(date: string, minutesAfterMidnight: number, locale: ReportOptions['locale']): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const h = Math.floor(minutesAfterMidnight / 60) % 24;
  const min = minutesAfterMidnight % 60;
  const sec = (minutesAfterMidnight * 7) % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (locale === 'en-GB') return `${two(d)}/${two(m)}/${y}, ${two(h)}:${two(min)}:${two(sec)}`;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${m}/${d}/${String(y).slice(2)}, ${h12}:${two(min)}:${two(sec)} ${h < 12 ? 'AM' : 'PM'}`;
}

const duration = (minutes: number) => (minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m 5s` : `${minutes}m 5s`);

export function teamsAttendanceReport(options: ReportOptions): string {
  const sep = options.delimiter ?? '\t';
  const cell = (v: string) => (sep === ',' && /[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const line = (...cells: string[]) => cells.map(cell).join(sep);
  const [sh, sm] = (options.start ?? '10:00').split(':').map(Number) as [number, number];
  const start = sh * 60 + sm;
  const end = start + 90;
  const rows = options.people.map((p) => {
    const joined = start + (p.joinedAfter ?? 0);
    const minutes = p.minutes ?? 85;
    return { p, first: stamp(options.date, joined, options.locale), last: stamp(options.date, joined + minutes, options.locale), minutes };
  });
  return [
    line('1. Summary'),
    line('Meeting title', options.title ?? 'Safer Plymouth Exec'),
    line('Attended participants', String(options.people.length)),
    line('Start time', stamp(options.date, start, options.locale)),
    line('End time', stamp(options.date, end, options.locale)),
    line('Meeting duration', duration(90)),
    line('Average attendance time', duration(80)),
    '',
    line('2. Participants'),
    line('Name', 'First Join', 'Last Leave', 'In-Meeting Duration', 'Email', 'Participant ID (UPN)', 'Role'),
    ...rows.map(({ p, first, last, minutes }) => line(p.name, first, last, duration(minutes), p.email, p.upn ?? p.email, p.role ?? 'Attendee')),
    '',
    line('3. In-Meeting Activities'),
    line('Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Participant ID (UPN)', 'Role'),
    ...rows.map(({ p, first, last, minutes }) => line(p.name, first, last, duration(minutes), p.email, p.upn ?? p.email, p.role ?? 'Attendee')),
    '',
  ].join('\r\n');
}

/** As Teams writes the download: UTF-16 little-endian with a byte-order mark. */
export function utf16leWithBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

export function utf8(text: string, withBom = false): Buffer {
  return Buffer.concat([withBom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}

/** A guest from a partner agency, as Teams lists them. */
export function guest(name: string, email: string, extra: Partial<ReportPerson> = {}): ReportPerson {
  const [local, domain] = email.split('@') as [string, string];
  return { name: `${name} (Guest)`, email, upn: `${local}_${domain}#EXT#@saferplymouth.onmicrosoft.com`, ...extra };
}
