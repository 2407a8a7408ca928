import { describe, expect, it } from 'vitest';
import { actionRag, applyActionChange, dueDateOf, isOverdue, rollOverAt, type Actor } from '../../bot/domain/index.js';
import { aMeeting, anAction } from '../support/records.js';

const now = new Date('2026-11-23T10:00:00Z');
const owner: Actor = { memberId: 'mem-tn', chairsExec: false, isSecretariat: false, groupIds: [] };
const chair: Actor = { memberId: 'mem-mg', chairsExec: true, isSecretariat: false, groupIds: [] };
const secretariat: Actor = { memberId: 'mem-am', chairsExec: false, isSecretariat: true, groupIds: [] };
const bystander: Actor = { memberId: 'mem-cc', chairsExec: false, isSecretariat: false, groupIds: ['grp-exec'] };
const ctx = (actor: Actor) => ({ actor, now, updateId: 'chg-00000001' });

describe('who may change an action', () => {
  it('lets an owner add a note, and the note starts the work', () => {
    const result = applyActionChange(anAction(), { kind: 'add-note', note: 'Draft shared with the group' }, ctx(owner));
    expect(result.ok && result.value.status).toBe('in-progress');
    expect(result.ok && result.value.history.at(-1)).toMatchObject({ kind: 'note', byMemberId: 'mem-tn', note: 'Draft shared with the group', at: now.toISOString() });
  });

  it('lets an owner propose completion but not close', () => {
    expect(applyActionChange(anAction(), { kind: 'set-status', status: 'proposed-complete' }, ctx(owner)).ok).toBe(true);
    const closing = applyActionChange(anAction(), { kind: 'set-status', status: 'closed' }, ctx(owner));
    expect(closing.ok ? null : closing.error.code).toBe('ACTION.FORBIDDEN');
  });

  it('does not let an owner change owners or dates', () => {
    const owners = applyActionChange(anAction(), { kind: 'set-owners', owners: [] }, ctx(owner));
    const due = applyActionChange(anAction(), { kind: 'set-due', due: { kind: 'date', date: '2027-01-01' } }, ctx(owner));
    expect([owners.ok, due.ok]).toEqual([false, false]);
  });

  it('lets the chair and the secretariat close, drop, reassign and re-date', () => {
    for (const actor of [chair, secretariat]) {
      expect(applyActionChange(anAction(), { kind: 'set-status', status: 'closed' }, ctx(actor)).ok).toBe(true);
      expect(applyActionChange(anAction(), { kind: 'set-status', status: 'dropped', note: 'Overtaken by the new strategy' }, ctx(actor)).ok).toBe(true);
      expect(applyActionChange(anAction(), { kind: 'set-status', status: 'dropped' }, ctx(actor))).toMatchObject({ ok: false, error: { code: 'ACTION.INVALID_CHANGE' } });
      expect(applyActionChange(anAction(), { kind: 'set-owners', owners: [{ kind: 'member', memberId: 'mem-am' }] }, ctx(actor)).ok).toBe(true);
      expect(applyActionChange(anAction(), { kind: 'set-due', due: { kind: 'date', date: '2027-01-01' } }, ctx(actor)).ok).toBe(true);
    }
  });

  it('gives a member who is not an owner read-only access', () => {
    const result = applyActionChange(anAction(), { kind: 'add-note', note: 'x' }, ctx(bystander));
    expect(result.ok ? null : result.error.code).toBe('ACTION.FORBIDDEN');
  });

  it('treats members of an owning group as owners ("Safer Families to look into this")', () => {
    const action = anAction({ owners: [{ kind: 'group', groupId: 'grp-safer-families' }] });
    const sfMember: Actor = { ...bystander, groupIds: ['grp-safer-families'] };
    expect(applyActionChange(action, { kind: 'add-note', note: 'Looking at MASH data' }, ctx(sfMember)).ok).toBe(true);
    expect(applyActionChange(action, { kind: 'add-note', note: 'x' }, ctx(bystander)).ok).toBe(false);
  });

  it('refuses an empty note and an overlong one with a message that says what to fix', () => {
    const empty = applyActionChange(anAction(), { kind: 'add-note', note: '   ' }, ctx(owner));
    expect(empty.ok ? null : empty.error).toMatchObject({ code: 'ACTION.INVALID_CHANGE', message: expect.stringMatching(/empty/) });
    const long = applyActionChange(anAction(), { kind: 'add-note', note: 'x'.repeat(2001) }, ctx(owner));
    expect(long.ok ? null : long.error.code).toBe('ACTION.INVALID_CHANGE');
  });
});

describe('date-change requests: the owner asks, the chair decides', () => {
  const requested = () => {
    const r = applyActionChange(anAction(), { kind: 'request-date-change', proposedDate: '2027-01-15', reason: 'Waiting on OPCC guidance' }, ctx(owner));
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  it('records the request without changing the due date', () => {
    const action = requested();
    expect(action.due).toEqual({ kind: 'next-meeting' });
    expect(action.dateChangeRequest).toMatchObject({ proposedDate: '2027-01-15', requestedByMemberId: 'mem-tn' });
  });

  it('moves the due date when the chair approves, and clears the request', () => {
    const approved = applyActionChange(requested(), { kind: 'decide-date-change', approve: true }, ctx(chair));
    expect(approved.ok && approved.value.due).toEqual({ kind: 'date', date: '2027-01-15' });
    expect(approved.ok && approved.value.dateChangeRequest).toBeNull();
  });

  it('keeps the date when the chair refuses', () => {
    const refused = applyActionChange(requested(), { kind: 'decide-date-change', approve: false, note: 'Needed for the bid' }, ctx(chair));
    expect(refused.ok && refused.value.due).toEqual({ kind: 'next-meeting' });
    expect(refused.ok && refused.value.history.at(-1)?.kind).toBe('date-change-refused');
  });

  it('does not let the owner decide their own request', () => {
    expect(applyActionChange(requested(), { kind: 'decide-date-change', approve: true }, ctx(owner)).ok).toBe(false);
  });

  it('refuses a request with no reason, an impossible date, or a date in the past', () => {
    for (const change of [
      { kind: 'request-date-change' as const, proposedDate: '2027-01-15', reason: ' ' },
      { kind: 'request-date-change' as const, proposedDate: '2027-02-30', reason: 'r' },
      { kind: 'request-date-change' as const, proposedDate: '2026-01-01', reason: 'r' },
    ]) {
      expect(applyActionChange(anAction(), change, ctx(owner)).ok).toBe(false);
    }
  });
});

describe('due dates, overdue and RAG', () => {
  const meetings = [aMeeting({ id: 'mtg-1', date: '2026-07-28' }), aMeeting({ id: 'mtg-2', date: '2026-10-20' }), aMeeting({ id: 'mtg-3', date: '2027-01-19' })];

  it('makes "by the next meeting" the date of the group\u2019s next meeting', () => {
    expect(dueDateOf(anAction(), meetings)).toBe('2026-10-20');
  });

  it('is overdue only from the day after the due date, and never once proposed complete', () => {
    const action = anAction({ due: { kind: 'date', date: '2026-11-23' } });
    expect(isOverdue(action, '2026-11-23', '2026-11-23')).toBe(false);
    expect(isOverdue(action, '2026-11-23', '2026-11-24')).toBe(true);
    expect(isOverdue({ ...action, status: 'proposed-complete' }, '2026-11-23', '2026-11-24')).toBe(false);
  });

  it('rates overdue red, soon or unassigned amber, and closed none', () => {
    expect(actionRag(anAction(), '2026-11-01', '2026-11-23')).toBe('red');
    expect(actionRag(anAction(), '2026-11-30', '2026-11-23')).toBe('amber');
    expect(actionRag(anAction(), '2027-02-01', '2026-11-23')).toBe('green');
    expect(actionRag(anAction({ owners: [] }), '2027-02-01', '2026-11-23')).toBe('amber');
    expect(actionRag(anAction({ status: 'closed' }), '2026-11-01', '2026-11-23')).toBeNull();
  });

  it('rolls an open action over at the meeting it was due, once, and counts from there', () => {
    const rolled = rollOverAt(anAction(), meetings[1]!, meetings, now, 'roll-1');
    expect(rolled?.rolloverCount).toBe(1);
    expect(dueDateOf(rolled!, meetings)).toBe('2027-01-19');
    expect(rollOverAt(rolled!, meetings[1]!, meetings, now, 'roll-2')).toBeNull();
    expect(rollOverAt(anAction({ status: 'closed' }), meetings[1]!, meetings, now, 'roll-3')).toBeNull();
  });
});
