/**
 * `allowed`: what one person may do with one action, decided once by the domain and carried in
 * every view. It must never offer what the server would refuse: each change it allows is one
 * applyActionChange accepts for that person (given sensible values), and each it withholds on
 * permission grounds is one the server refuses as ACTION.FORBIDDEN.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, actionAllowed, applyActionChange, type Action, type ActionChange, type ActionStatus, type Actor } from '../../bot/domain/index.js';
import { anAction } from '../support/records.js';

const now = new Date('2026-11-23T10:00:00Z');
const owner: Actor = { memberId: 'mem-tn', chairsExec: false, isSecretariat: false, groupIds: [] };
const groupMember: Actor = { memberId: 'mem-zz', chairsExec: false, isSecretariat: false, groupIds: ['grp-safer-families'] };
const chair: Actor = { memberId: 'mem-mg', chairsExec: true, isSecretariat: false, groupIds: [] };
const secretariat: Actor = { memberId: 'mem-am', chairsExec: false, isSecretariat: true, groupIds: [] };
const bystander: Actor = { memberId: 'mem-cc', chairsExec: false, isSecretariat: false, groupIds: ['grp-exec'] };
const ctx = (actor: Actor) => ({ actor, now, updateId: 'chg-00000001' });

const inStatus = (status: ActionStatus, extra: Partial<Action> = {}): Action => ({ ...anAction(), status, ...extra });
const requested = (status: ActionStatus = 'in-progress'): Action =>
  inStatus(status, { dateChangeRequest: { requestedByMemberId: 'mem-tn', requestedAt: now.toISOString(), proposedDate: '2027-01-15', reason: 'Waiting on the OPCC' } });

describe('allowed: the one rule for what a person may do with an action', () => {
  it('an owner of an open action may propose it complete, add a note and ask for a new date; nothing else', () => {
    expect(actionAllowed(owner, inStatus('open'))).toEqual({
      status: ['in-progress', 'proposed-complete'],
      markDone: true,
      addNote: true,
      requestDate: true,
      decideDate: false,
      setOwners: false,
      setDue: false,
      editText: false,
      defer: false,
      drop: false,
      close: false,
    });
  });

  it('a group-owned action is the group members\u2019 to act on', () => {
    const action = inStatus('open', { owners: [{ kind: 'group', groupId: 'grp-safer-families' }] });
    expect(actionAllowed(groupMember, action)).toMatchObject({ markDone: true, addNote: true, requestDate: true, close: false });
  });

  it('once proposed complete, an owner may move it back but not mark it done again; closed, they may only add a note', () => {
    expect(actionAllowed(owner, inStatus('proposed-complete'))).toMatchObject({ status: ['open', 'in-progress'], markDone: false, requestDate: true });
    expect(actionAllowed(owner, inStatus('closed'))).toMatchObject({ status: [], markDone: false, addNote: true, requestDate: false });
  });

  it('the chair and the secretariat manage it: close, drop, re-date, reassign, defer, decide a requested date; they set the date, not ask for it', () => {
    for (const actor of [chair, secretariat]) {
      const allowed = actionAllowed(actor, requested());
      expect(allowed).toMatchObject({ markDone: true, close: true, drop: true, setDue: true, setOwners: true, editText: true, defer: true, decideDate: true, requestDate: false });
      expect(allowed.status).toEqual(['open', 'proposed-complete', 'closed', 'dropped']);
    }
    expect(actionAllowed(chair, inStatus('in-progress')).decideDate).toBe(false);
    expect(actionAllowed(chair, inStatus('closed'))).toMatchObject({ close: false, drop: false, defer: false, markDone: false, status: ['open', 'in-progress', 'proposed-complete', 'dropped'] });
  });

  it('someone who neither owns nor manages the action may read it and do nothing', () => {
    const allowed = actionAllowed(bystander, requested());
    expect(allowed.status).toEqual([]);
    expect(Object.entries(allowed).filter(([key, value]) => key !== 'status' && value !== false)).toEqual([]);
  });

  it('never offers what the server refuses, and never withholds on permission what the server accepts', () => {
    const actions = [...ACTION_STATUSES.map((s) => inStatus(s)), ...ACTION_STATUSES.map((s) => requested(s))];
    for (const actor of [owner, chair, secretariat, bystander]) {
      for (const action of actions) {
        const allowed = actionAllowed(actor, action);
        const checks: [boolean, ActionChange][] = [
          ...ACTION_STATUSES.filter((s) => s !== action.status).map((s): [boolean, ActionChange] => [allowed.status.includes(s), { kind: 'set-status', status: s, note: 'Reason given' }]),
          [allowed.addNote, { kind: 'add-note', note: 'Progress' }],
          [allowed.setOwners, { kind: 'set-owners', owners: [] }],
          [allowed.setDue, { kind: 'set-due', due: { kind: 'date', date: '2027-02-01' } }],
          [allowed.editText, { kind: 'edit-text', text: 'Corrected wording' }],
        ];
        if (allowed.requestDate) checks.push([true, { kind: 'request-date-change', proposedDate: '2027-01-20', reason: 'Waiting' }]);
        if (allowed.decideDate) checks.push([true, { kind: 'decide-date-change', approve: true }]);
        if (allowed.defer) checks.push([true, { kind: 'defer' }]);
        for (const [offered, change] of checks) {
          const result = applyActionChange(action, change, ctx(actor));
          const where = `${actor.memberId} ${change.kind}${change.kind === 'set-status' ? ` ${change.status}` : ''} on ${action.status}`;
          if (offered) expect(result.ok, where).toBe(true);
          else expect(result.ok ? 'accepted' : result.error.code, where).toBe('ACTION.FORBIDDEN');
        }
      }
    }
  });
});
