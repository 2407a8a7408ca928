import { describe, expect, it } from 'vitest';
import { checkReportDay, decodeReportBytes, nameKey, parseAttendanceReport, readDuration, reportFromGraph } from '../../bot/domain/attendance-report.js';
import { guest, teamsAttendanceReport, utf16leWithBom, utf8, type ReportPerson } from '../support/teams-attendance-reports.js';

const PEOPLE: readonly ReportPerson[] = [
  { name: 'Matt Garrett', email: 'mg@saferplymouth.example', role: 'Organizer', minutes: 90 },
  { name: 'Naismith, Tracey', email: 'Tracey.Naismith@Plymouth.gov.uk', minutes: 30 },
  guest('Jo Bloggs', 'jo.bloggs@probation.example', { minutes: 61 }),
  { name: 'Sam Jones', email: 'sam.jones@devon-cornwall.police.example', role: 'Presenter', joinedAfter: 15, minutes: 70 },
];

function read(bytes: Uint8Array) {
  const text = decodeReportBytes(bytes);
  if (!text.ok) throw new Error(text.error.message);
  const report = parseAttendanceReport(text.value);
  if (!report.ok) throw new Error(report.error.message);
  return report.value;
}

describe('reading a Teams attendance report download', () => {
  it('reads the UTF-16 LE, tab-separated, en-GB download Teams gives the organiser', () => {
    const report = read(utf16leWithBom(teamsAttendanceReport({ date: '2020-07-28', locale: 'en-GB', people: PEOPLE })));
    expect(report.title).toBe('Safer Plymouth Exec');
    expect(report.possibleDays).toEqual(['2020-07-28']);
    expect(report.participants.map((p) => [p.name, p.email, p.guest, p.role, p.durationSeconds])).toEqual([
      ['Matt Garrett', 'mg@saferplymouth.example', false, 'Organizer', 90 * 60 + 5],
      ['Naismith, Tracey', 'tracey.naismith@plymouth.gov.uk', false, 'Attendee', 30 * 60 + 5],
      ['Jo Bloggs', 'jo.bloggs@probation.example', true, 'Attendee', 61 * 60 + 5],
      ['Sam Jones', 'sam.jones@devon-cornwall.police.example', false, 'Presenter', 70 * 60 + 5],
    ]);
    // The in-meeting activities section repeats people: it is not read as more participants.
    expect(report.participants).toHaveLength(4);
  });

  it('reads the same report re-saved as comma-separated UTF-8, with US dates and 12-hour times', () => {
    const text = teamsAttendanceReport({ date: '2020-07-28', start: '14:00', locale: 'en-US', delimiter: ',', people: PEOPLE });
    expect(text).toContain('"7/28/20, 2:00:00 PM"');
    for (const bytes of [utf8(text), utf8(text, true)]) {
      const report = read(bytes);
      expect(report.possibleDays).toEqual(['2020-07-28']);
      expect(report.participants.map((p) => p.name)).toEqual(['Matt Garrett', 'Naismith, Tracey', 'Jo Bloggs', 'Sam Jones']);
    }
  });

  it('turns a guest\u2019s #EXT# sign-in back into their address when the email column is empty', () => {
    const text = teamsAttendanceReport({ date: '2020-07-28', locale: 'en-GB', people: [{ name: 'Ann Other (External)', email: '', upn: 'ann.other_partner.org.uk#EXT#@saferplymouth.onmicrosoft.com' }] });
    const [p] = read(utf8(text)).participants;
    expect(p).toMatchObject({ name: 'Ann Other', email: 'ann.other@partner.org.uk', guest: true });
  });

  it('keeps both readings of a date that could be either, and lets the meeting\u2019s day decide', () => {
    const report = read(utf8(teamsAttendanceReport({ date: '2020-08-03', locale: 'en-GB', people: PEOPLE })));
    expect(report.possibleDays).toEqual(['2020-03-08', '2020-08-03']);
    expect(checkReportDay(report, '2020-08-03')).toEqual({ ok: true, value: '2020-08-03' });
    const wrong = checkReportDay(report, '2020-09-01');
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toContain('8 March 2020 or 3 August 2020');
  });

  it('says plainly when the report is for another day', () => {
    const report = read(utf16leWithBom(teamsAttendanceReport({ date: '2020-07-21', locale: 'en-GB', people: PEOPLE })));
    const checked = checkReportDay(report, '2020-07-28');
    expect(checked).toEqual({
      ok: false,
      error: { code: 'ATTENDANCE.OTHER_MEETING', message: 'This report is for a meeting on 21 July 2020, but this meeting was on 28 July 2020. Choose the attendance report of the meeting of 28 July 2020.' },
    });
  });

  it('refuses what is not an attendance report, naming what it is', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const decoded = decodeReportBytes(png);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatchObject({ code: 'ATTENDANCE.UNREADABLE', message: expect.stringContaining('a PNG image') });

    const actionLog = parseAttendanceReport('Ref,Action,Owner,Due\r\n8.3,TN to bring the terms of reference,TN,next meeting\r\n');
    expect(actionLog.ok).toBe(false);
    if (!actionLog.ok) expect(actionLog.error.message).toMatch(/does not look like a Teams attendance report.*"Ref", "Action", "Owner", "Due"/);

    const noOne = parseAttendanceReport('1. Summary\nMeeting title\tExec\n\n2. Participants\nName\tFirst Join\tEmail\tRole\n');
    expect(noOne.ok).toBe(false);
    if (!noOne.ok) expect(noOne.error.message).toContain('lists nobody');

    for (const empty of [Buffer.alloc(0), utf8('   \r\n')]) {
      const text = decodeReportBytes(empty);
      const result = text.ok ? parseAttendanceReport(text.value) : text;
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/empty/);
    }
    const latin1 = decodeReportBytes(Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0xe9, 0xff, 0x41]));
    expect(latin1.ok).toBe(false);
  });

  it('reads durations in the forms Teams writes them', () => {
    expect([readDuration('1h 29m 50s'), readDuration('29m 5s'), readDuration('45s'), readDuration('1:02:03'), readDuration('')]).toEqual([5390, 1745, 45, 3723, null]);
  });

  it('compares names as people write them', () => {
    expect(nameKey('Naismith, Tracey')).toBe(nameKey('  tracey   NAISMITH '));
    expect(nameKey('Jo Bloggs (Guest)')).toBe(nameKey('jo bloggs'));
    expect(nameKey('Zoë Lee')).toBe(nameKey('Zoe Lee'));
  });

  it('reads Graph\u2019s attendance records the same way', () => {
    const report = reportFromGraph('2020-07-28', [
      { emailAddress: 'mg@saferplymouth.example', identity: { displayName: 'Matt Garrett', id: 'a' }, role: 'Organizer', totalAttendanceInSeconds: 5400 },
      { emailAddress: null, identity: { displayName: 'Jo Bloggs (Guest)', id: null }, role: 'Attendee', totalAttendanceInSeconds: 300 },
      { emailAddress: null, identity: null, role: 'Attendee', totalAttendanceInSeconds: 0 },
    ]);
    expect(report.ok).toBe(true);
    if (report.ok) {
      expect(report.value.possibleDays).toEqual(['2020-07-28']);
      expect(report.value.participants.map((p) => [p.name, p.email, p.guest])).toEqual([
        ['Matt Garrett', 'mg@saferplymouth.example', false],
        ['Jo Bloggs', null, true],
      ]);
      expect(report.value.skippedRows).toBe(1);
    }
  });
});

describe('reading the download Teams gave before 2021', () => {
  it('takes each name in the join-and-leave log once, and the day from its timestamps', () => {
    const text = ['Full Name\tUser Action\tTimestamp', 'Matt Garrett\tJoined\t28/07/2020, 09:58:01', 'Jo Bloggs (Guest)\tJoined\t28/07/2020, 10:01:12', 'Matt Garrett\tLeft\t28/07/2020, 10:20:00', 'Matt Garrett\tJoined\t28/07/2020, 10:25:00', ''].join('\r\n');
    const report = read(utf16leWithBom(text));
    expect(report.possibleDays).toEqual(['2020-07-28']);
    expect(report.participants.map((p) => [p.name, p.email, p.guest])).toEqual([
      ['Matt Garrett', null, false],
      ['Jo Bloggs', null, true],
    ]);
  });
});

describe('hostile reports', () => {
  it('reads a report whose cells are huge runs of spaces and dots, without matching anyone by them', () => {
    const long = `a${' '.repeat(150_000)}b`;
    const dots = `${'a.'.repeat(40_000)}_${'b.'.repeat(40_000)}#EXT`;
    // No timing asserted (benches time things): uncut, these cells keep a pattern busy for over a minute, past the test's timeout.
    const report = parseAttendanceReport(`Name\tFirst Join\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\n${long}\t${long}\t${long}\t${dots}\t${dots}\n`);
    expect(report.ok).toBe(true);
    if (report.ok) expect(report.value.participants[0]).toMatchObject({ email: null, upn: null, durationSeconds: null });
  });
});
