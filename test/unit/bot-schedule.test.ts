/**
 * What is due when: the reminder and report-prompt slots at their boundaries, the working-time
 * gate across England and Wales bank holidays and both clock changes, the weekly digest key,
 * and when the ledger may take over a delivery a crashed sweep left pending.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_POLICY, DEFAULT_REPORT_PROMPT_POLICY, dueReminder, dueReportPrompt, isWorkingTime, type Action } from '../../bot/domain/index.js';
import { digestWeekKey, isAbandoned, reminderDeliveryId } from '../../bot/domain/deliveries.js';
import { aDelivery, aMeeting, anAction, aThemeReport } from '../support/records.js';

const ownerIsTN = (id: string) => id === 'mem-tn';
const dueOn = (date: string, overrides: Partial<Action> = {}) => anAction({ due: { kind: 'date', date }, ...overrides });
const slotOn = (action: Action, today: string) => dueReminder(action, [aMeeting()], today, DEFAULT_REMINDER_POLICY, ownerIsTN);

describe('action reminders (5 days before, on the day, then every 7 days overdue)', () => {
  const action = dueOn('2026-11-20');

  it('nothing until five days before the due date', () => {
    expect(slotOn(action, '2026-11-14')).toBeNull();
    expect(slotOn(action, '2026-11-15')).toMatchObject({ stage: 'before', slotKey: 'act-1:2026-11-20:before' });
  });

  it('the "before" slot is one slot whichever day inside it the sweep runs', () => {
    expect(slotOn(action, '2026-11-19')?.slotKey).toBe(slotOn(action, '2026-11-15')?.slotKey);
  });

  it('on the day, and for the first week overdue, the on-day slot; then one slot per overdue week', () => {
    expect(slotOn(action, '2026-11-20')).toMatchObject({ stage: 'on-day' });
    expect(slotOn(action, '2026-11-26')).toMatchObject({ stage: 'on-day' });
    expect(slotOn(action, '2026-11-27')).toMatchObject({ stage: 'overdue', slotKey: 'act-1:2026-11-20:overdue-1' });
    expect(slotOn(action, '2026-12-03')?.slotKey).toBe('act-1:2026-11-20:overdue-1');
    expect(slotOn(action, '2026-12-04')?.slotKey).toBe('act-1:2026-11-20:overdue-2');
  });

  it('stops as soon as the owner updates the action inside the reminder window', () => {
    const updated = dueOn('2026-11-20', {
      history: [{ id: 'h1', at: '2026-11-16T09:00:00.000Z', byMemberId: 'mem-tn', kind: 'note', note: 'Done most of it', from: null, to: null }],
    });
    expect(slotOn(updated, '2026-11-20')).toBeNull();
    const before = dueOn('2026-11-20', {
      history: [{ id: 'h1', at: '2026-11-01T09:00:00.000Z', byMemberId: 'mem-tn', kind: 'note', note: 'Early note', from: null, to: null }],
    });
    expect(slotOn(before, '2026-11-20')).toMatchObject({ stage: 'on-day' });
  });

  it('an update by someone who is not an owner does not stop them', () => {
    const byChair = dueOn('2026-11-20', {
      history: [{ id: 'h1', at: '2026-11-18T09:00:00.000Z', byMemberId: 'mem-mg', kind: 'note', note: 'Chased', from: null, to: null }],
    });
    expect(slotOn(byChair, '2026-11-20')).toMatchObject({ stage: 'on-day' });
  });

  it('none for proposed-complete, closed or ownerless actions', () => {
    expect(slotOn(dueOn('2026-11-20', { status: 'proposed-complete' }), '2026-11-20')).toBeNull();
    expect(slotOn(dueOn('2026-11-20', { status: 'closed' }), '2026-11-20')).toBeNull();
    expect(slotOn(dueOn('2026-11-20', { owners: [] }), '2026-11-20')).toBeNull();
  });

  it('due on a bank holiday (Mon 28 Dec 2026): no sweep that day, the on-day reminder goes on the next working day', () => {
    const christmas = dueOn('2026-12-28');
    expect(isWorkingTime(new Date('2026-12-28T10:00:00Z'))).toBe(false);
    expect(isWorkingTime(new Date('2026-12-29T10:00:00Z'))).toBe(true);
    expect(slotOn(christmas, '2026-12-29')).toMatchObject({ stage: 'on-day', slotKey: 'act-1:2026-12-28:on-day' });
  });

  it('each recipient of a reminder has a ledger line of its own', () => {
    expect(reminderDeliveryId('act-1:2026-11-20:before', 'mem-mg')).not.toBe(reminderDeliveryId('act-1:2026-11-20:before', 'mem-jk'));
  });
});

describe('theme-lead report prompts (14 days before the deadline, chased every 3 days, and on the day)', () => {
  const round = { id: 'rnd-1', meetingId: 'mtg-1', deadline: '2026-12-15' };
  const report = aThemeReport();
  const at = (today: string) => dueReportPrompt(report, round, today, DEFAULT_REPORT_PROMPT_POLICY);

  it('prompts from 14 days before the deadline, once per slot', () => {
    expect(at('2026-11-30')).toBeNull();
    expect(at('2026-12-01')).toMatchObject({ stage: 'prompt', slotKey: 'rnd-1:thm-da:prompt' });
    expect(at('2026-12-03')?.slotKey).toBe('rnd-1:thm-da:prompt');
  });

  it('chases every three days, then on the deadline day, then stops', () => {
    expect(at('2026-12-04')).toMatchObject({ stage: 'chase', slotKey: 'rnd-1:thm-da:chase-1' });
    expect(at('2026-12-07')?.slotKey).toBe('rnd-1:thm-da:chase-2');
    expect(at('2026-12-15')).toMatchObject({ stage: 'chase', slotKey: 'rnd-1:thm-da:deadline' });
    expect(at('2026-12-16')).toBeNull();
  });

  it('nothing for a lead who has reported, or a theme with no lead', () => {
    const submitted = aThemeReport({ versions: [{ content: { progress: 'p', asks: '', risks: 'r', data: '', rag: 'green' }, submittedAt: '2026-12-02T10:00:00Z', submittedByMemberId: 'mem-hs' }] });
    expect(dueReportPrompt(submitted, round, '2026-12-04', DEFAULT_REPORT_PROMPT_POLICY)).toBeNull();
    expect(dueReportPrompt(aThemeReport({ leadMemberId: null }), round, '2026-12-04', DEFAULT_REPORT_PROMPT_POLICY)).toBeNull();
  });
});

describe('working time: 09:00-17:00 London, weekdays, not bank holidays', () => {
  it.each([
    ['Fri 27 Mar 2026 08:30 UTC = 08:30 GMT', '2026-03-27T08:30:00Z', false],
    ['Mon 30 Mar 2026 08:30 UTC = 09:30 BST (after the March change)', '2026-03-30T08:30:00Z', true],
    ['Mon 30 Mar 2026 16:30 UTC = 17:30 BST', '2026-03-30T16:30:00Z', false],
    ['Fri 23 Oct 2026 08:30 UTC = 09:30 BST', '2026-10-23T08:30:00Z', true],
    ['Mon 26 Oct 2026 08:30 UTC = 08:30 GMT (after the October change)', '2026-10-26T08:30:00Z', false],
    ['Mon 26 Oct 2026 16:30 UTC = 16:30 GMT', '2026-10-26T16:30:00Z', true],
    ['Mon 26 Oct 2026 17:00 UTC = 17:00 GMT (closing time)', '2026-10-26T17:00:00Z', false],
    ['Sat 28 Nov 2026 11:00', '2026-11-28T11:00:00Z', false],
    ['Fri 25 Dec 2026 (Christmas Day)', '2026-12-25T11:00:00Z', false],
    ['Mon 31 Aug 2026 (summer bank holiday)', '2026-08-31T11:00:00Z', false],
    ['Mon 29 Mar 2027 (Easter Monday)', '2027-03-29T11:00:00Z', false],
    ['Mon 23 Nov 2026 10:00', '2026-11-23T10:00:00Z', true],
  ])('%s → %s', (_label, iso, expected) => {
    expect(isWorkingTime(new Date(iso))).toBe(expected);
  });
});

describe('the weekly digest', () => {
  it('is named by the Monday of the week, so a Tuesday after a bank-holiday Monday is the same week', () => {
    expect(digestWeekKey('2026-11-23')).toBe('2026-11-23');
    expect(digestWeekKey('2026-11-27')).toBe('2026-11-23');
    expect(digestWeekKey('2026-09-01')).toBe('2026-08-31');
    expect(digestWeekKey('2026-11-30')).toBe('2026-11-30');
  });
});

describe('the delivery ledger lease', () => {
  const now = new Date('2026-11-23T10:30:00Z');
  it('a pending line is left alone for ten minutes, then may be taken over', () => {
    expect(isAbandoned(aDelivery({ status: 'pending', createdAt: '2026-11-23T10:21:00Z', lastAttemptAt: '2026-11-23T10:21:00Z' }), now)).toBe(false);
    expect(isAbandoned(aDelivery({ status: 'pending', createdAt: '2026-11-23T10:20:00Z', lastAttemptAt: '2026-11-23T10:20:00Z' }), now)).toBe(true);
  });
  it('sent and failed lines are never taken over', () => {
    expect(isAbandoned(aDelivery({ status: 'sent', createdAt: '2026-11-20T10:00:00Z' }), now)).toBe(false);
    expect(isAbandoned(aDelivery({ status: 'failed', createdAt: '2026-11-20T10:00:00Z' }), now)).toBe(false);
  });
});
