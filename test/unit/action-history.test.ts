import { describe, expect, it } from 'vitest';
import { actionUpdateWords, describeActionUpdate, type ActionUpdate, type HistoryNames } from '../../bot/domain/index.js';

const names: HistoryNames = {
  members: [
    { id: 'mem-tn', initials: 'TN' },
    { id: 'mem-sh', initials: 'SH' },
  ],
  groups: [{ id: 'grp-safer-families', name: 'Safer Families' }],
  meetings: [{ id: 'mtg-exec-3', date: '2026-10-13' }],
};

const line = (kind: ActionUpdate['kind'], fields: Partial<Pick<ActionUpdate, 'from' | 'to' | 'note'>> = {}): ActionUpdate => ({
  id: 'h1',
  at: '2026-11-23T10:00:00.000Z',
  byMemberId: 'mem-tn',
  kind,
  note: fields.note ?? null,
  from: fields.from ?? null,
  to: fields.to ?? null,
});

describe('an action history line in words', () => {
  it.each([
    [line('created', { to: 'member:mem-tn,group:grp-safer-families' }), 'Agreed at the meeting: owners TN, Safer Families'],
    [line('created'), 'Agreed at the meeting: no owner named yet'],
    [line('note', { note: 'List drafted.' }), 'Update: List drafted.'],
    [line('status', { from: 'open', to: 'proposed-complete', note: 'On the agenda.' }), 'Status changed: Open \u2192 Proposed complete \u2013 On the agenda.'],
    [line('owners', { from: 'member:mem-tn', to: 'member:mem-sh' }), 'Owners changed: TN \u2192 SH'],
    [line('owners', { from: 'member:mem-tn', to: '' }), 'Owners changed: TN \u2192 nobody'],
    [line('due', { from: '2026-11-17', to: '2026-12-15' }), 'Due date changed: 17 November 2026 \u2192 15 December 2026'],
    [line('due', { from: '2026-11-17', to: 'next-meeting' }), 'Due date changed: 17 November 2026 \u2192 the next meeting'],
    [line('date-change-requested', { from: 'next-meeting', to: '2027-01-15', note: 'Away until January.' }), 'New date requested: the next meeting \u2192 15 January 2027 \u2013 Away until January.'],
    [line('date-change-approved', { from: '2026-11-17', to: '2027-01-15' }), 'New date approved: 17 November 2026 \u2192 15 January 2027'],
    [line('date-change-refused', { from: '2026-11-17', to: '2027-01-15' }), 'New date refused: 15 January 2027 asked for, stays 17 November 2026'],
    [line('rolled-over', { from: 'next-meeting', to: 'mtg-exec-3' }), 'Rolled over from the meeting of 13 October 2026 to the next meeting'],
    [line('rolled-over', { from: '2026-10-01', to: 'mtg-exec-3', note: 'Deferred by the chair' }), 'Rolled over from the meeting of 13 October 2026 to the next meeting (it was due 1 October 2026) \u2013 Deferred by the chair'],
    [line('text', { from: 'TN to enquire.', to: 'TN to find out.' }), 'Wording corrected: \u201cTN to enquire.\u201d \u2192 \u201cTN to find out.\u201d'],
    [line('deferred', { note: 'Waiting for the coordinator.' }), 'Deferred by the chair: Waiting for the coordinator.'],
    [line('deferred'), 'Deferred by the chair'],
  ])('%#: %s', (update, words) => {
    expect(describeActionUpdate(update, names)).toBe(words);
  });

  it('never shows an id, a code or an ISO date, even for people, groups and meetings no longer listed', () => {
    const gone: HistoryNames = { members: [], groups: [], meetings: [] };
    const texts = [
      describeActionUpdate(line('owners', { from: 'member:mem-xx', to: 'group:grp-gone' }), gone),
      describeActionUpdate(line('rolled-over', { from: 'next-meeting', to: 'mtg-gone' }), gone),
      describeActionUpdate(line('status', { from: 'weird-code', to: 'closed' }), gone),
      describeActionUpdate(line('due', { from: 'not a date', to: '' }), gone),
    ];
    expect(texts).toEqual([
      'Owners changed: a former member \u2192 a group no longer listed',
      'Rolled over from a meeting no longer listed to the next meeting',
      'Status changed: another status \u2192 Closed',
      'Due date changed: another date \u2192 no date',
    ]);
  });

  it('gives the parts apart, for a table with a column each', () => {
    expect(actionUpdateWords(line('status', { from: 'open', to: 'in-progress', note: 'Started.' }), names)).toEqual({ label: 'Status changed', change: 'Open \u2192 In progress', note: 'Started.' });
  });
});
