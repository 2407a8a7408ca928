import { describe, expect, it } from 'vitest';
import {
  applyActionChange,
  arrivalFrom,
  defaultPaperDeadline,
  dueDateOf,
  isDeferred,
  isWorkingDay,
  newAction,
  nextMeetingAfter,
  ownersAddedBy,
  rollOverAt,
  ROLLED_OVER_DEFERRED_NOTE,
  validateAttendance,
  validateMeetingPlan,
  validatePerson,
  type Actor,
  type Membership,
} from '../../bot/domain/index.js';
import { aMeeting, aMember, anAction } from '../support/records.js';

const now = new Date('2026-11-23T10:00:00Z');
const chair: Actor = { memberId: 'mem-mg', chairsExec: true, isSecretariat: false, groupIds: ['grp-exec'] };
const lead: Actor = { memberId: 'mem-tn', chairsExec: false, isSecretariat: false, groupIds: ['grp-exec'] };
const ctx = (actor: Actor, updateId = 'chg-00000001') => ({ actor, now, updateId });

const plan = { groupId: 'grp-exec', date: '2027-03-02', startTime: '10:00', title: 'Safer Plymouth Exec', kind: 'exec' as const, paperDeadline: null, agenda: [] };

describe('scheduling a meeting', () => {
  it('puts the paper deadline seven working days before, skipping weekends and bank holidays', () => {
    // Tuesday 2 March 2027: seven working days back is Friday 19 February.
    expect(defaultPaperDeadline('2027-03-02')).toBe('2027-02-19');
    // Across Easter 2027 (Good Friday 26 March, Easter Monday 29 March).
    const deadline = defaultPaperDeadline('2027-04-06');
    expect(deadline).toBe('2027-03-24');
    expect(isWorkingDay(deadline)).toBe(true);
  });

  it('fills in the default deadline and trims the agenda', () => {
    const result = validateMeetingPlan({ ...plan, agenda: [{ minute: ' 8.3 ', title: ' Serious violence ' }] }, '2026-11-23');
    expect(result).toEqual({ ok: true, value: { ...plan, paperDeadline: '2027-02-19', agenda: [{ minute: '8.3', title: 'Serious violence' }] } });
  });

  it.each([
    ['a date in the past', { date: '2026-11-20' }, /in the past/],
    ['a time that is not HH:MM', { startTime: '9am' }, /24-hour time/],
    ['a deadline on the meeting day', { paperDeadline: '2027-03-02' }, /before the meeting date/],
    ['an empty title', { title: '  ' }, /title/],
    ['a minute that is not a number', { agenda: [{ minute: 'AOB', title: 'Any other business' }] }, /minute number/],
    ['a minute twice', { agenda: [{ minute: '1', title: 'Minutes' }, { minute: '1', title: 'Again' }] }, /appears twice/],
  ])('refuses %s, saying what to fix', (_what, change, message) => {
    const result = validateMeetingPlan({ ...plan, ...change }, '2026-11-23');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toMatch(message);
  });

  it('leaves a cancelled meeting out when working out the next meeting', () => {
    const meetings = [aMeeting({ id: 'a', date: '2026-12-01' }), aMeeting({ id: 'b', date: '2027-03-02', status: 'cancelled' }), aMeeting({ id: 'c', date: '2027-06-01' })];
    expect(nextMeetingAfter(meetings, 'grp-exec', '2026-12-01')?.id).toBe('c');
  });
});

describe('attendance', () => {
  it('refuses someone both present and apologising, and a substitute for someone present', () => {
    expect(validateAttendance(['m1'], ['m1'], []).ok).toBe(false);
    expect(validateAttendance(['m1'], [], [{ name: 'Deputy', organisationId: null, forMemberId: 'm1' }]).ok).toBe(false);
    expect(validateAttendance(['m1'], ['m2'], [{ name: 'Deputy', organisationId: 'org-fire', forMemberId: 'm2' }]).ok).toBe(true);
  });
});

describe('people', () => {
  const ended: Membership = { id: 'ms-old', groupId: 'grp-exec', memberId: 'mem-old', role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2020-01-01', endDate: '2021-01-01' };
  const current: Membership = { ...ended, id: 'ms-tn', memberId: 'mem-tn', endDate: null };
  const members = [aMember(), aMember({ id: 'mem-old', name: 'Tom Norris', initials: 'TNO', email: null })];
  const fields = { name: 'Tina Newman', initials: 'tn', jobTitle: '', organisationId: null, email: null, entraObjectId: null };

  it('refuses initials a current person has, naming them', () => {
    const result = validatePerson(fields, null, members, [current, ended], '2026-11-23');
    expect(result.ok ? '' : result.error.message).toMatch(/TN are already used by Tracey Naismith/);
  });

  it('lets a former member\u2019s initials be used again, upper-cased', () => {
    const result = validatePerson({ ...fields, initials: 'tno' }, null, members, [current, ended], '2026-11-23');
    expect(result).toMatchObject({ ok: true, value: { initials: 'TNO' } });
  });

  it('refuses an object id that is not a GUID and an email already on someone else', () => {
    expect(validatePerson({ ...fields, initials: 'TW', entraObjectId: 'not-a-guid' }, null, members, [], '2026-11-23').ok).toBe(false);
    expect(validatePerson({ ...fields, initials: 'TW', email: 'TN@example.org' }, null, members, [], '2026-11-23').ok).toBe(false);
  });
});

describe('actions agreed, reworded, deferred and rolled over', () => {
  const meeting = aMeeting({ id: 'mtg-1', date: '2026-07-28' });
  const input = { meetingId: 'mtg-1', minuteRef: '8.3.', text: ' TN will bring terms of reference to the next meeting ', owners: [{ kind: 'member' as const, memberId: 'mem-tn' }], due: { kind: 'next-meeting' as const }, themeId: null };

  it('records an agreed action with its creation line; only the chair or secretariat may', () => {
    const created = newAction('act-x', input, meeting, ctx(chair));
    expect(created).toMatchObject({ ok: true, value: { minuteRef: '8.3', text: 'TN will bring terms of reference to the next meeting', status: 'open', history: [{ kind: 'created', byMemberId: 'mem-mg' }] } });
    expect(newAction('act-x', input, meeting, ctx(lead))).toMatchObject({ ok: false, error: { code: 'ACTION.FORBIDDEN' } });
    expect(newAction('act-x', { ...input, due: { kind: 'date', date: '2026-07-01' } }, meeting, ctx(chair)).ok).toBe(false);
  });

  it('keeps the old wording when the text is corrected', () => {
    const result = applyActionChange(anAction(), { kind: 'edit-text', text: 'TN will bring revised terms of reference' }, ctx(chair));
    expect(result.ok && result.value.history.at(-1)).toMatchObject({ kind: 'text', from: 'TN will bring terms of reference to the next meeting.', to: 'TN will bring revised terms of reference' });
    expect(applyActionChange(anAction(), { kind: 'edit-text', text: 'Changed' }, ctx(lead)).ok).toBe(false);
  });

  it('marks a deferred action\u2019s roll-over as deferred, and the deferral ends with it', () => {
    const meetings = [meeting, aMeeting({ id: 'mtg-2', date: '2026-10-13' }), aMeeting({ id: 'mtg-3', date: '2027-01-12' })];
    const deferred = applyActionChange(anAction(), { kind: 'defer', note: 'Waiting for the national guidance' }, ctx(chair));
    if (!deferred.ok) throw new Error(deferred.error.message);
    expect(isDeferred(deferred.value)).toBe(true);
    const rolled = rollOverAt(deferred.value, meetings[1]!, meetings, now, 'roll-1');
    expect(rolled?.history.at(-1)).toMatchObject({ kind: 'rolled-over', to: 'mtg-2', note: ROLLED_OVER_DEFERRED_NOTE });
    expect(rolled && isDeferred(rolled)).toBe(false);
    expect(rolled && dueDateOf(rolled, meetings)).toBe('2027-01-12');
    expect(rolled && rollOverAt(rolled, meetings[1]!, meetings, now, 'roll-2')).toBeNull();
    // Matters arising at meeting 3 says how it came: deferred at meeting 2, not agreed there.
    expect(rolled && arrivalFrom(rolled, meetings[1]!)).toBe('deferred');
    const plain = rollOverAt(anAction(), meetings[1]!, meetings, now, 'roll-3');
    expect(plain && arrivalFrom(plain, meetings[1]!)).toBe('rolled-over');
    expect(arrivalFrom(anAction({ meetingId: 'mtg-2' }), meetings[1]!)).toBe('agreed');
  });

  it('names the people a change of owners adds, not those already owners', () => {
    const line = { id: 'l1', at: now.toISOString(), byMemberId: 'mem-am', kind: 'owners' as const, note: null, from: 'member:mem-tn', to: 'member:mem-tn,member:mem-sh,group:grp-sf' };
    expect(ownersAddedBy(line)).toEqual({ memberIds: ['mem-sh'], groupIds: ['grp-sf'] });
    expect(ownersAddedBy({ ...line, kind: 'created', from: null, to: 'member:mem-tn' })).toEqual({ memberIds: ['mem-tn'], groupIds: [] });
    expect(ownersAddedBy({ ...line, kind: 'note' })).toEqual({ memberIds: [], groupIds: [] });
  });
});
