import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../bot/config.js';
import type { ActionUpdate, ConversationInstall, Membership } from '../../bot/domain/index.js';
import {
  actionAfterErasure,
  actionPastRetention,
  addYears,
  anonymisedMember,
  DEFAULT_RETENTION_POLICY,
  deliveryPastRetention,
  ERASED_INITIALS,
  ERASED_NAME,
  ERASED_NOTE,
  erasureAuditLine,
  erasureTarget,
  installPastRetention,
  isErased,
  leaverContactsPastRetention,
  leftOn,
  mayErase,
  meetingPapersPastRetention,
  mentionsPerson,
  redactPerson,
  withoutSubstituteNames,
  SUBSTITUTE_PLACEHOLDER,
} from '../../bot/domain/retention.js';
import { retentionPolicyFrom } from '../../bot/services/retention.js';
import { aDelivery, aMeeting, aMember, anAction } from '../support/records.js';

const policy = DEFAULT_RETENTION_POLICY;
const membership = (overrides: Partial<Membership> = {}): Membership => ({
  id: 'ms-1',
  groupId: 'grp-exec',
  memberId: 'mem-tn',
  role: 'theme-lead',
  decisionMaker: false,
  deputyForMemberId: null,
  startDate: '2020-01-01',
  endDate: '2026-03-31',
  ...overrides,
});
const line = (overrides: Partial<ActionUpdate>): ActionUpdate => ({ id: 'h', at: '2025-01-01T10:00:00.000Z', byMemberId: null, kind: 'note', note: null, from: null, to: null, ...overrides });
const install = (overrides: Partial<ConversationInstall> = {}): ConversationInstall => ({
  id: 'a:chat-1',
  scope: 'personal',
  tenantId: 't',
  serviceUrl: 'https://smba.example/',
  teamId: null,
  channelId: null,
  memberId: 'mem-tn',
  teamsUserId: '29:tn',
  installedAt: '2026-01-01T10:00:00.000Z',
  reference: {},
  ...overrides,
});

describe('retention rules', () => {
  it('counts years to the same day, and 29 February to 28 February in a common year', () => {
    expect(addYears('2020-07-28', 6)).toBe('2026-07-28');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('keeps a closed action six years from the day it was closed, then lets it go', () => {
    const closed = anAction({ status: 'closed', createdAt: '2018-01-10T10:00:00.000Z', history: [line({ kind: 'status', from: 'open', to: 'closed', at: '2020-07-28T10:00:00.000Z' })] });
    expect(actionPastRetention(closed, policy, '2026-07-28')).toBe(false);
    expect(actionPastRetention(closed, policy, '2026-07-29')).toBe(true);
    // Reopened and closed again: counted from the last closure.
    const reclosed = { ...closed, history: [...closed.history, line({ kind: 'status', from: 'closed', to: 'open', at: '2021-01-01T10:00:00.000Z' }), line({ kind: 'status', from: 'open', to: 'closed', at: '2022-05-01T10:00:00.000Z' })] };
    expect(actionPastRetention(reclosed, policy, '2026-07-29')).toBe(false);
    // Without a status line (imported), the day it was recorded counts.
    expect(actionPastRetention(anAction({ status: 'dropped', createdAt: '2019-03-01T10:00:00.000Z' }), policy, '2025-03-02')).toBe(true);
    expect(actionPastRetention(anAction({ status: 'in-progress', createdAt: '2001-01-01T10:00:00.000Z' }), policy, '2026-01-01')).toBe(false);
  });

  it('keeps meeting papers six years from the meeting', () => {
    expect(meetingPapersPastRetention('2020-07-28', policy, '2026-07-28')).toBe(false);
    expect(meetingPapersPastRetention('2020-07-28', policy, '2026-07-29')).toBe(true);
  });

  it('keeps a ledger line 90 days from its last attempt, whatever its status', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    expect(deliveryPastRetention(aDelivery({ createdAt: '2026-08-20T09:00:00.000Z', lastAttemptAt: '2026-08-25T10:00:00.000Z', status: 'sent' }), policy, now)).toBe(false);
    expect(deliveryPastRetention(aDelivery({ createdAt: '2026-08-20T09:00:00.000Z', lastAttemptAt: null, status: 'sending' }), policy, now)).toBe(true);
  });

  it('knows a leaver by the end of their last membership, and keeps their contact details a year after it', () => {
    const ms = [membership(), membership({ id: 'ms-2', groupId: 'grp-da', endDate: '2026-05-31' })];
    expect(leftOn('mem-tn', ms, '2026-11-23')).toBe('2026-05-31');
    expect(leftOn('mem-tn', [...ms, membership({ id: 'ms-3', endDate: null })], '2026-11-23')).toBeNull();
    expect(leftOn('mem-tn', [membership({ startDate: '2027-01-01', endDate: '2027-12-31' })], '2026-11-23')).toBeNull();
    expect(leftOn('mem-xx', ms, '2026-11-23')).toBeNull();
    expect(leaverContactsPastRetention(aMember(), ms, policy, '2027-05-31')).toBe(false);
    expect(leaverContactsPastRetention(aMember(), ms, policy, '2027-06-01')).toBe(true);
    expect(leaverContactsPastRetention(aMember({ email: null }), ms, policy, '2027-06-01')).toBe(false);
  });

  it('keeps a personal chat while it reaches someone current, and lets it go 30 days after it stops', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const current = { memberLeftOn: null, memberKnown: true, refusedSince: null };
    expect(installPastRetention(install(), current, policy, now)).toBe(false);
    expect(installPastRetention(install(), { ...current, memberLeftOn: '2026-10-24' }, policy, now)).toBe(false);
    expect(installPastRetention(install(), { ...current, memberLeftOn: '2026-10-23' }, policy, now)).toBe(true);
    expect(installPastRetention(install({ memberId: null }), { ...current, memberKnown: false }, policy, now)).toBe(true);
    expect(installPastRetention(install({ memberId: null, installedAt: '2026-11-01T10:00:00.000Z' }), { ...current, memberKnown: false }, policy, now)).toBe(false);
    expect(installPastRetention(install(), { ...current, refusedSince: '2026-10-01T10:00:00.000Z' }, policy, now)).toBe(true);
    expect(installPastRetention(install(), { ...current, refusedSince: '2026-11-10T10:00:00.000Z' }, policy, now)).toBe(false);
    expect(installPastRetention(install({ scope: 'team', memberId: null }), { ...current, memberKnown: false }, policy, now)).toBe(false);
  });

  it('replaces substitutes\u2019 names and keeps who they stood in for', () => {
    const meeting = aMeeting({ substitutes: [{ name: 'Jo Bloggs', organisationId: 'org-police', forMemberId: 'mem-tm' }] });
    expect(withoutSubstituteNames(meeting).substitutes).toEqual([{ name: SUBSTITUTE_PLACEHOLDER, organisationId: 'org-police', forMemberId: 'mem-tm' }]);
  });
});

describe('erasure rules', () => {
  const tn = aMember({ otherInitials: ['TNA'] });
  const ms = [membership()];
  const target = erasureTarget(tn, ms);

  it('refuses someone who still sits on a group, or ends today, naming where', () => {
    const groupName = () => 'Safer Plymouth Exec';
    const refused = mayErase(tn, [membership({ endDate: null })], '2026-11-23', groupName);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toMatch(/still a member of Safer Plymouth Exec\. End their memberships first/);
    expect(mayErase(tn, [membership({ endDate: '2026-11-23' })], '2026-11-23', groupName).ok).toBe(false);
    const chair = mayErase(tn, [membership({ role: 'secretariat', endDate: null })], '2026-11-23', groupName);
    expect(!chair.ok && chair.error.message).toMatch(/someone else must take that role first/);
    expect(mayErase(tn, ms, '2026-11-23', groupName).ok).toBe(true);
    expect(mayErase(tn, [], '2026-11-23', groupName).ok).toBe(true);
  });

  it('takes their full name out of any text, and their initials only from texts written while they sat', () => {
    expect(redactPerson('Tracey Naismith (TN) will bring the list; TNX is someone else.', target, '2025-01-01T10:00:00Z')).toBe(`${ERASED_NAME} (${ERASED_INITIALS}) will bring the list; TNX is someone else.`);
    expect(redactPerson('TN to share the list. TNA agreed.', target, '2025-01-01T10:00:00Z')).toBe(`${ERASED_NAME} to share the list. ${ERASED_NAME} agreed.`);
    // Written after they left: TN is whoever has those initials now; their name still goes.
    expect(redactPerson('TN to chase tracey naismith\u2019s old list.', target, '2026-06-01T10:00:00Z')).toBe(`TN to chase ${ERASED_INITIALS}\u2019s old list.`);
    expect(mentionsPerson('TN to chase', target, '2026-06-01T10:00:00Z')).toBe(false);
    expect(mentionsPerson('TN to chase', target, '2025-06-01T10:00:00Z')).toBe(true);
    expect(mentionsPerson('The TNT report', target, '2025-06-01T10:00:00Z')).toBe(false);
  });

  it('takes their initials to mean them up to today while they still sit, and at any time if they never sat', () => {
    const sitting = erasureTarget(tn, [membership({ endDate: null })]);
    expect(sitting).toMatchObject({ from: '2020-01-01', until: '9999-12-31' });
    expect(mentionsPerson('TN to chase', sitting, '2026-11-23T10:00:00Z')).toBe(true);
    expect(mentionsPerson('TN to chase', sitting, '2019-12-31T10:00:00Z')).toBe(false);
    expect(erasureTarget(tn, [])).toMatchObject({ from: '0000-01-01', until: '9999-12-31' });
    expect(erasureTarget(tn, [membership(), membership({ id: 'ms-2', endDate: '2026-06-30' })]).until).toBe('2026-07-01');
  });

  it('keeps their notes without their name by default, and removes them when asked', () => {
    const action = anAction({
      createdAt: '2025-01-01T09:00:00.000Z',
      text: 'TN will bring terms of reference to the next meeting.',
      history: [line({ byMemberId: 'mem-tn', note: 'Drafted with TN\u2019s team.' }), line({ id: 'h2', byMemberId: 'mem-mg', note: 'Thanks TN.' }), line({ id: 'h3', byMemberId: 'mem-tn', kind: 'status', from: 'open', to: 'in-progress' })],
    });
    const kept = actionAfterErasure(action, 'mem-tn', target, false);
    expect(kept.text).toBe(`${ERASED_NAME} will bring terms of reference to the next meeting.`);
    expect(kept.history.map((h) => h.note)).toEqual([`Drafted with ${ERASED_INITIALS}\u2019s team.`, `Thanks ${ERASED_INITIALS}.`, null]);
    expect(kept.history.map((h) => h.byMemberId)).toEqual(['mem-tn', 'mem-mg', 'mem-tn']);
    expect(kept.owners).toEqual(action.owners);
    const removed = actionAfterErasure(action, 'mem-tn', target, true);
    expect(removed.history.map((h) => h.note)).toEqual([ERASED_NOTE, `Thanks ${ERASED_INITIALS}.`, null]);
  });

  it('anonymises their record and says who erased it and when, never whom', () => {
    const line = erasureAuditLine('mem-tn', 'mem-am', 'AM', new Date('2026-11-23T10:00:00Z'));
    const erased = anonymisedMember({ ...tn, entraObjectId: '00000000-0000-4000-8000-000000000006', teamsUserId: '29:tn', audit: [{ id: 'a1', at: '2025-01-01T00:00:00Z', byMemberId: 'mem-am', summary: 'Name Tracey Nasmith \u2192 Tracey Naismith' }] }, line);
    expect(erased).toMatchObject({ name: ERASED_NAME, initials: ERASED_INITIALS, otherInitials: [], jobTitle: '', email: null, entraObjectId: null, teamsUserId: null, organisationId: tn.organisationId });
    expect(erased.audit?.map((l) => l.summary)).toEqual(['Details changed', 'Erased on 23 November 2026 by AM']);
    expect(JSON.stringify(erased)).not.toMatch(/Naismith|TN\b|tn@/);
    expect(isErased(erased)).toBe(true);
    expect(isErased(tn)).toBe(false);
  });
});

describe('retention settings', () => {
  it('default to six years for actions, papers and audit, 90 days for the ledger, 30 for chats, a year for leavers\u2019 contacts', () => {
    expect(retentionPolicyFrom(parseConfig({}))).toEqual(DEFAULT_RETENTION_POLICY);
    expect(DEFAULT_RETENTION_POLICY).toEqual({ closedActionYears: 6, meetingPaperYears: 6, auditYears: 6, deliveryDays: 90, installDays: 30, leaverContactDays: 365 });
    expect(parseConfig({ RETENTION_CLOSED_ACTION_YEARS: '7', PURGE_HOUR: '3' })).toMatchObject({ RETENTION_CLOSED_ACTION_YEARS: 7, PURGE_HOUR: 3 });
  });

  it('refuses settings that would lose the ledger\u2019s protection or the proof of a blocked chat, listing each', () => {
    const problems = (env: Record<string, string>) => {
      try {
        parseConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems.join('\n');
      }
      throw new Error('expected the configuration to be refused');
    };
    const all = problems({ RETENTION_DELIVERY_DAYS: '10', RETENTION_AUDIT_YEARS: 'six', PURGE_HOUR: '24' });
    for (const name of ['RETENTION_DELIVERY_DAYS', 'RETENTION_AUDIT_YEARS', 'PURGE_HOUR']) expect(all).toContain(name);
    expect(problems({ RETENTION_INSTALL_DAYS: '120' })).toMatch(/RETENTION_INSTALL_DAYS must be less than RETENTION_DELIVERY_DAYS \(90\)/);
  });
});
