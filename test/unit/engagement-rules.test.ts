import { describe, expect, it } from 'vitest';
import { attendanceOutcome, isPoorAttendance, lastLetterLine, letterAuditSummary, meetingsCounted, type Meeting } from '../../bot/domain/index.js';

/** The rules behind the chair's letter (issue 12, item 3), as the README states them. */

const meeting = (id: string, date: string, attendeeIds: string[], apologyIds: string[] = [], status: Meeting['status'] = 'held'): Meeting => ({
  id,
  groupId: 'grp-exec',
  date,
  kind: 'exec',
  title: 'Safer Plymouth Exec',
  attendeeIds,
  apologyIds,
  agenda: [],
  paperDeadline: null,
  status,
});

describe('poor attendance', () => {
  it('is being represented at fewer than half of the meetings counted', () => {
    expect(isPoorAttendance(1, 4)).toBe(true);
    expect(isPoorAttendance(2, 4)).toBe(false);
    expect(isPoorAttendance(1, 3)).toBe(true);
    expect(isPoorAttendance(2, 3)).toBe(false);
    expect(isPoorAttendance(0, 1)).toBe(true);
  });

  it('is never found from no meetings at all: absence from nothing proves nothing', () => {
    expect(isPoorAttendance(0, 0)).toBe(false);
  });
});

describe('the meetings counted', () => {
  const meetings = [
    meeting('m1', '2026-01-13', ['a']),
    meeting('m2', '2026-04-14', ['a']),
    meeting('m3', '2026-07-14', [], [], 'held'),
    meeting('m4', '2026-09-15', ['a'], [], 'cancelled'),
    meeting('m5', '2026-10-13', ['a']),
    meeting('m6', '2026-12-15', [], [], 'scheduled'),
    { ...meeting('other', '2026-10-20', ['a']), groupId: 'grp-other' },
  ];

  it('are the group\u2019s latest N on or before today, not cancelled, with attendance recorded, newest first', () => {
    expect(meetingsCounted(meetings, 'grp-exec', '2026-11-23', 4).map((m) => m.id)).toEqual(['m5', 'm2', 'm1']);
    expect(meetingsCounted(meetings, 'grp-exec', '2026-11-23', 2).map((m) => m.id)).toEqual(['m5', 'm2']);
    expect(meetingsCounted(meetings, 'grp-exec', '2026-04-14', 4).map((m) => m.id)).toEqual(['m2', 'm1']);
  });
});

describe('an organisation at a meeting', () => {
  const ours = new Set(['p1', 'p2']);
  it('attended when any of its people attended, even if another sent apologies', () => {
    expect(attendanceOutcome({ attendeeIds: ['x', 'p2'], apologyIds: ['p1'] }, ours)).toBe('attended');
  });
  it('sent apologies when nobody attended but someone apologised', () => {
    expect(attendanceOutcome({ attendeeIds: ['x'], apologyIds: ['p1'] }, ours)).toBe('apologies');
  });
  it('was absent otherwise', () => {
    expect(attendanceOutcome({ attendeeIds: ['x'], apologyIds: [] }, ours)).toBe('absent');
  });
});

describe('the letter on the audit trail', () => {
  it('is worded for people and found again as the latest letter', () => {
    const summary = letterAuditSummary('Safer Plymouth Exec', ['no-decision-maker', 'poor-attendance']);
    expect(summary).toBe('Chair\u2019s letter drafted (Safer Plymouth Exec): no current decision-making member; poor attendance');
    const audit = [
      { id: '1', at: '2026-01-01T10:00:00.000Z', byMemberId: 'mem-mg', summary },
      { id: '2', at: '2026-02-01T10:00:00.000Z', byMemberId: 'mem-am', summary: 'Name Fire → Fire and Rescue' },
      { id: '3', at: '2026-03-01T10:00:00.000Z', byMemberId: 'mem-am', summary },
    ];
    expect(lastLetterLine(audit)?.id).toBe('3');
    expect(lastLetterLine(audit.slice(1, 2))).toBeUndefined();
    expect(lastLetterLine(undefined)).toBeUndefined();
  });
});
