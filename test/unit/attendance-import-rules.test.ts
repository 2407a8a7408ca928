import { describe, expect, it } from 'vitest';
import { parseAttendanceReport } from '../../bot/domain/attendance-report.js';
import type { Meeting, Member, Membership, Organisation } from '../../bot/domain/index.js';
import { attendanceFrom, proposeAttendance } from '../../bot/services/attendance-import.js';
import type { Directory } from '../../bot/services/directory.js';
import { teamsAttendanceReport } from '../support/teams-attendance-reports.js';

/** The proposal's rules on a small board built by hand: no store, no server. */
const v = <T>(record: T) => ({ ...record, version: '"1"' });
const person = (id: string, name: string, initials: string, organisationId: string | null, email: string | null): Member => ({ id, name, initials, otherInitials: [], organisationId, jobTitle: '', email, entraObjectId: null, teamsUserId: null });
const seat = (memberId: string, groupId = 'grp-exec', startDate = '2027-01-01', endDate: string | null = null): Membership => ({ id: `ms-${memberId}-${groupId}`, groupId, memberId, role: 'member', decisionMaker: true, deputyForMemberId: null, startDate, endDate });
const org = (id: string, name: string): Organisation => ({ id, name, authorityKind: null });

const MEETING: Meeting = { id: 'mtg-1', groupId: 'grp-exec', date: '2027-03-10', kind: 'exec', title: 'Exec', attendeeIds: ['mem-left-early'], apologyIds: ['mem-sh'], agenda: [], paperDeadline: null, substitutes: [{ name: 'Typed By Hand', organisationId: null, forMemberId: null }] };

function directory(): Directory {
  return {
    organisations: [org('org-police', 'Police'), org('org-probation', 'Probation'), org('org-council', 'Council')].map(v),
    members: [
      person('mem-mg', 'Matt Garrett', 'MG', 'org-police', 'matt.garrett@police.example'),
      person('mem-sh', 'Sarah Hill', 'SH', 'org-probation', 'sarah.hill@probation.example'),
      person('mem-js1', 'John Smith', 'JS', 'org-council', null),
      person('mem-js2', 'John Smith', 'JSM', 'org-police', null),
      person('mem-left-early', 'Lee Early', 'LE', 'org-council', 'lee.early@council.example'),
      // On the list, but on another group only: a substitute for their organisation here.
      person('mem-other', 'Olive Other', 'OO', 'org-council', 'olive.other@council.example'),
      // Sat on the Exec until last year.
      person('mem-former', 'Fred Former', 'FF', 'org-police', 'fred.former@police.example'),
    ].map(v),
    groups: [v({ id: 'grp-exec', name: 'Exec', kind: 'exec' as const, parentGroupId: null, themeId: null, remindVia: 'members' as const }), v({ id: 'grp-sub', name: 'Sub-group', kind: 'sub-group' as const, parentGroupId: 'grp-exec', themeId: null, remindVia: 'members' as const })],
    memberships: [seat('mem-mg'), seat('mem-sh'), seat('mem-js1'), seat('mem-js2'), seat('mem-left-early'), seat('mem-other', 'grp-sub'), seat('mem-former', 'grp-exec', '2025-01-01', '2026-12-31')].map(v),
    themes: [],
    meetings: [v(MEETING)],
  };
}

function propose(people: Parameters<typeof teamsAttendanceReport>[0]['people']) {
  const report = parseAttendanceReport(teamsAttendanceReport({ date: MEETING.date, locale: 'en-GB', people }));
  if (!report.ok) throw new Error(report.error.message);
  return proposeAttendance(report.value, v(MEETING), directory(), null);
}

describe('proposing attendance from a report', () => {
  it('merges a member who joined twice, and never matches by a name two people share', () => {
    const p = propose([
      { name: 'Matt Garrett', email: 'matt.garrett@police.example', minutes: 30 },
      { name: 'Matt Garrett', email: 'matt.garrett@police.example', minutes: 40 },
      { name: 'John Smith', email: 'john.smith@elsewhere.example' },
      { name: 'John Smith', email: 'john.smith@elsewhere.example' },
    ]);
    expect(p.present.map((x) => [x.memberId, x.minutes])).toEqual([['mem-mg', 70]]);
    expect(p.substitutes).toEqual([expect.objectContaining({ name: 'John Smith', knownPersonId: null, note: expect.stringContaining('More than one person on the list has this name') })]);
  });

  it('proposes a person on the list who does not sit on this group (or no longer does) as a substitute for their own organisation', () => {
    const p = propose([
      { name: 'Olive Other', email: 'olive.other@council.example' },
      { name: 'Fred Former', email: 'fred.former@police.example' },
    ]);
    expect(p.substitutes.map((s) => [s.name, s.knownPersonId, s.organisationId, s.organisationReason, s.record])).toEqual([
      ['Olive Other', 'mem-other', 'org-council', 'Their organisation on the people list', true],
      ['Fred Former', 'mem-former', 'org-police', 'Their organisation on the people list', true],
    ]);
    expect(p.substitutes[1]!.note).toBe('Fred Former is on the people list but was not a member of this group on 10 March 2027.');
  });

  it('guesses an organisation from an email domain only when everyone at that domain works there, and names the one absent member they may stand in for', () => {
    const p = propose([
      { name: 'Jo Bloggs', email: 'jo.bloggs@probation.example' },
      { name: 'Pat Gmail', email: 'pat@gmail.com' },
    ]);
    expect(p.substitutes.map((s) => [s.name, s.organisationId, s.forMemberId])).toEqual([
      ['Jo Bloggs', 'org-probation', 'mem-sh'],
      ['Pat Gmail', null, null],
    ]);
    expect(p.absent.find((a) => a.memberId === 'mem-sh')).toMatchObject({ proposed: 'apologies', apologiesRecorded: true });
    expect(p.absent.find((a) => a.memberId === 'mem-left-early')).toMatchObject({ proposed: 'absent', recordedPresentBefore: true });
  });

  it('adds up to the attendance the secretariat chose, keeping substitutes typed by hand', () => {
    const p = propose([
      { name: 'Matt Garrett', email: 'matt.garrett@police.example' },
      { name: 'Jo Bloggs', email: 'jo.bloggs@probation.example' },
      { name: 'Pat Gmail', email: 'pat@gmail.com' },
    ]);
    const chosen = attendanceFrom(p, MEETING, {
      substitutes: [{ row: 3, record: true, organisationId: 'org-council' }],
      members: [{ memberId: 'mem-left-early', as: 'present' }],
    });
    expect(chosen).toEqual({
      ok: true,
      value: {
        attendeeIds: ['mem-mg', 'mem-left-early'],
        apologyIds: ['mem-sh'],
        substitutes: [
          { name: 'Typed By Hand', organisationId: null, forMemberId: null },
          { name: 'Jo Bloggs', organisationId: 'org-probation', forMemberId: 'mem-sh' },
          { name: 'Pat Gmail', organisationId: 'org-council', forMemberId: null },
        ],
      },
    });
    expect(attendanceFrom(p, MEETING, { members: [{ memberId: 'mem-mg', as: 'absent' }] }).ok).toBe(false);
    expect(attendanceFrom(p, MEETING, { substitutes: [{ row: 1, record: true }] }).ok).toBe(false);
  });
});
