import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, ConversationInstall, Delivery, Meeting, Member, Membership, ReportRound, Theme, ThemeReport } from '../../bot/domain/index.js';
import { DEFAULT_RETENTION_POLICY, SUBSTITUTE_PLACEHOLDER } from '../../bot/domain/retention.js';
import { createJsonLogger } from '../../bot/observability/logger.js';
import { purgeExpired, type PurgeCounts } from '../../bot/services/retention.js';
import type { Store } from '../../bot/store/store.js';
import { DEFAULT_TEST_NOW, type TestApp } from '../support/app.js';
import { aDelivery, anAction } from '../support/records.js';
import { diff, recordIn, snapshot, STORES, without, type Snapshot } from './data-protection-stores.js';

/**
 * The purge on both stores, over the demo board plus records of every kind on both sides of
 * their retention line: exactly the expired ones go (or lose what has expired), nothing else
 * changes, a second run finds nothing, a record someone changes meanwhile is skipped, and the
 * log line holds counts only.
 */
const NOW = DEFAULT_TEST_NOW; // 23 November 2026
const policy = DEFAULT_RETENTION_POLICY;

const status = (at: string, to: Action['status']) => ({ id: `h-${at}`, at, byMemberId: 'mem-mg', kind: 'status' as const, note: null, from: 'open', to });
const audit = (id: string, at: string, summary: string) => ({ id, at, byMemberId: 'mem-am', summary });

const install = (id: string, overrides: Partial<ConversationInstall>): ConversationInstall => ({
  id,
  scope: 'personal',
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.trafficmanager.net/uk/',
  teamId: null,
  channelId: null,
  memberId: null,
  teamsUserId: null,
  installedAt: '2026-01-05T10:00:00.000Z',
  reference: { conversation: { id } },
  ...overrides,
});

const delivery = (id: string, overrides: Partial<Delivery>): Delivery => aDelivery({ id, status: 'sent', attempts: 1, ...overrides, lastAttemptAt: overrides.lastAttemptAt ?? overrides.createdAt ?? null });

/** Records of every kind around their retention line, added to the demo board. */
async function addFixture(store: Store): Promise<void> {
  await store.actions.create(anAction({ id: 'act-old-closed', meetingId: 'mtg-exec-1', status: 'closed', createdAt: '2019-06-01T10:00:00.000Z', text: 'Jo Bloggs to circulate the 2019 DHR action plan.', history: [status('2020-05-01T10:00:00.000Z', 'closed')] }));
  await store.actions.create(anAction({ id: 'act-imported-closed', meetingId: 'mtg-exec-1', status: 'closed', createdAt: '2015-03-01T10:00:00.000Z', history: [] }));
  await store.actions.create(anAction({ id: 'act-dropped-kept', meetingId: 'mtg-exec-1', status: 'dropped', createdAt: '2019-06-01T10:00:00.000Z', history: [status('2021-01-10T10:00:00.000Z', 'dropped')] }));
  await store.actions.create(anAction({ id: 'act-ancient-open', meetingId: 'mtg-exec-1', status: 'open', createdAt: '2012-06-01T10:00:00.000Z' }));

  const old: Meeting = {
    id: 'mtg-exec-2018',
    groupId: 'grp-exec',
    date: '2018-01-16',
    kind: 'exec',
    title: 'Safer Plymouth Exec',
    attendeeIds: ['mem-mg', 'mem-am'],
    apologyIds: ['mem-tm'],
    agenda: [{ minute: '1', title: 'Minutes' }],
    paperDeadline: '2018-01-05',
    status: 'held',
    substitutes: [
      { name: 'Jo Bloggs', organisationId: 'org-police', forMemberId: 'mem-tm' },
      { name: 'Sam Smith', organisationId: 'org-ccg', forMemberId: null },
    ],
    audit: [audit('mtg-exec-2018:a1', '2018-01-16T15:00:00.000Z', 'Attendance recorded: 2 present, 1 apologies, 2 substitutes'), audit('mtg-exec-2018:a2', '2025-02-01T10:00:00.000Z', 'Title checked')],
  };
  await store.meetings.create(old);
  await store.reportRounds.create({ id: 'round-mtg-exec-2018', meetingId: old.id, deadline: '2018-01-05', closedAt: '2018-01-16T15:00:00.000Z' } satisfies ReportRound);
  for (const themeId of ['thm-domestic-abuse', 'thm-mental-health']) {
    await store.themeReports.create({
      id: `round-mtg-exec-2018:${themeId}`,
      roundId: 'round-mtg-exec-2018',
      themeId,
      leadMemberId: 'mem-hs',
      versions: [{ content: { progress: 'Referrals from the 2017 MARAC reviewed.', asks: '', risks: 'Court delays.', data: '', rag: 'amber' }, submittedAt: '2018-01-02T10:00:00.000Z', submittedByMemberId: 'mem-hs' }],
    } satisfies ThemeReport);
  }
  await store.meetings.create({ ...old, id: 'mtg-exec-2022', date: '2022-03-15', substitutes: [{ name: 'Alex Example', organisationId: 'org-police', forMemberId: 'mem-tm' }], audit: [] });
  await store.reportRounds.create({ id: 'round-mtg-exec-2022', meetingId: 'mtg-exec-2022', deadline: '2022-03-04' });
  await store.themeReports.create({ id: 'round-mtg-exec-2022:thm-domestic-abuse', roundId: 'round-mtg-exec-2022', themeId: 'thm-domestic-abuse', leadMemberId: 'mem-hs', versions: [] });

  const gw = (await store.members.get('mem-gw'))!;
  await store.members.update({ ...gw, email: 'georgia.webb@probation.example', entraObjectId: '7e57a9e5-0000-4000-8000-00000000a0a1', audit: [audit('mem-gw:a1', '2016-07-21T10:00:00.000Z', 'Email (none) \u2192 georgia.webb@probation.example')] } as Member, gw.version);
  const tn = (await store.members.get('mem-tn'))!;
  await store.members.update({ ...tn, audit: [audit('mem-tn:a1', '2019-03-01T10:00:00.000Z', 'Job title Officer \u2192 Theme lead, Safer Communities'), audit('mem-tn:a2', '2024-03-01T10:00:00.000Z', 'Other initials (none) \u2192 TNA')] } as Member, tn.version);
  const pd = (await store.memberships.get('ms-board-pd'))!;
  await store.memberships.update({ ...pd, audit: [audit('ms-board-pd:a1', '2016-07-21T10:00:00.000Z', 'Membership ended on 21 July 2016')] } as Membership, pd.version);
  const p1 = (await store.themes.get('thm-2014-p1'))!;
  await store.themes.update({ ...p1, audit: [audit('thm-2014-p1:a1', '2015-09-24T10:00:00.000Z', 'Active until (none) \u2192 24 September 2015')] } as Theme, p1.version);

  await store.deliveries.create(delivery('reminder:act-exec-3-08:2026-08-01:before:mem-tn', { createdAt: '2026-08-01T09:00:00.000Z' }));
  await store.deliveries.create(delivery('digest:2026-05-04:mem-mg', { kind: 'digest', status: 'failed', failureCode: 'HTTP_500', createdAt: '2026-05-04T09:00:00.000Z' }));
  await store.deliveries.create(delivery('digest:2026-08-10:exec-channel', { kind: 'digest', status: 'sending', createdAt: '2026-08-10T09:00:00.000Z' }));
  await store.deliveries.create(delivery('digest:2026-11-09:mem-mg', { kind: 'digest', createdAt: '2026-11-13T09:00:00.000Z' }));
  await store.deliveries.create(delivery('digest:2026-11-16:mem-mg', { kind: 'digest', status: 'pending', createdAt: '2026-11-22T09:00:00.000Z' }));
  await store.deliveries.create(delivery('reminder:act-exec-3-08:2026-10-01:overdue-1:mem-tn', { status: 'failed', failureCode: 'MessageWritesBlocked', conversationId: 'a:chat-tn', createdAt: '2026-10-01T09:00:00.000Z' }));
  await store.deliveries.create(delivery('reminder:act-exec-3-03:2026-11-15:before:mem-hs', { status: 'failed', failureCode: 'MessageWritesBlocked', conversationId: 'a:chat-hs', createdAt: '2026-11-15T09:00:00.000Z' }));
  await store.deliveries.create(delivery('reminder:act-x:2026-09-01:before:mem-sh', { status: 'failed', failureCode: 'MessageWritesBlocked', conversationId: 'a:chat-sh', createdAt: '2026-09-01T09:00:00.000Z' }));
  await store.deliveries.create(delivery('reminder:act-x:2026-09-10:before:mem-sh', { conversationId: 'a:chat-sh', createdAt: '2026-09-10T09:00:00.000Z' }));
  // Welcome lines: kept while their chat is, however old; gone with it.
  await store.deliveries.create(delivery('welcome:a:chat-hs:2026-01-05T10:00:00.000Z', { conversationId: 'a:chat-hs', createdAt: '2026-01-05T10:00:01.000Z' }));
  await store.deliveries.create(delivery('welcome:a:chat-tn:2026-01-05T10:00:00.000Z', { conversationId: 'a:chat-tn', createdAt: '2026-01-05T10:00:01.000Z' }));
  await store.deliveries.create(delivery('welcome:a:chat-uninstalled:2026-01-05T10:00:00.000Z', { conversationId: 'a:chat-uninstalled', createdAt: '2026-01-05T10:00:01.000Z' }));

  await store.installs.create(install('a:chat-pd', { memberId: 'mem-pd', teamsUserId: '29:pd' }));
  await store.installs.create(install('a:chat-unlinked-old', { installedAt: '2026-09-01T10:00:00.000Z', teamsUserId: '29:stranger-1' }));
  await store.installs.create(install('a:chat-unlinked-new', { installedAt: '2026-11-20T10:00:00.000Z', teamsUserId: '29:stranger-2' }));
  await store.installs.create(install('a:chat-tn', { memberId: 'mem-tn', teamsUserId: '29:tn' }));
  await store.installs.create(install('a:chat-hs', { memberId: 'mem-hs', teamsUserId: '29:hs' }));
  await store.installs.create(install('a:chat-sh', { memberId: 'mem-sh', teamsUserId: '29:sh' }));
  await store.installs.create(install('19:exec@thread.tacv2', { scope: 'team', teamId: '19:exec@thread.tacv2', channelId: '19:exec@thread.tacv2', installedAt: '2020-01-01T10:00:00.000Z' }));
}

const EXPECTED: PurgeCounts = { closedActions: 2, themePapers: 2, paperRounds: 1, substitutes: 2, auditLines: 5, ledgerLines: 5, installs: 3, leaverContacts: 1, conflicts: 0 };
const ZERO: PurgeCounts = { closedActions: 0, themePapers: 0, paperRounds: 0, substitutes: 0, auditLines: 0, ledgerLines: 0, installs: 0, leaverContacts: 0, conflicts: 0 };
const countsOf = ({ at: _at, dryRun: _dry, ...counts }: { at: string; dryRun: boolean } & PurgeCounts) => counts;

/** A store whose action set lets the test act just before the purge deletes one action. */
function racingStore(store: Store, actionId: string, meanwhile: () => Promise<void>): Store {
  let raced = false;
  const actions = store.actions;
  return {
    ...Object.fromEntries(Object.entries(store).filter(([, set]) => typeof set === 'object')),
    actions: {
      get: (id) => actions.get(id),
      list: (q, p) => actions.list(q, p),
      all: (q) => actions.all(q),
      create: (r) => actions.create(r),
      update: (r, v) => actions.update(r, v),
      async delete(id, version) {
        if (id === actionId && !raced) {
          raced = true;
          await meanwhile();
        }
        return actions.delete(id, version);
      },
    },
    close: () => store.close(),
  } as Store;
}

describe.each(STORES)('the retention purge on $name', (storeUnderTest) => {
  let app: TestApp;
  let fixture: Snapshot;
  const lines: string[] = [];
  const logger = createJsonLogger((line) => lines.push(line));
  const purge = (options: { dryRun?: boolean; store?: Store } = {}) => purgeExpired({ store: options.store ?? app.store, logger }, policy, NOW, { dryRun: options.dryRun ?? false });

  beforeAll(async () => {
    app = await storeUnderTest.start();
    await addFixture(app.store);
    fixture = await snapshot(app.store);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('counts what a dry run would remove, and changes nothing', async () => {
    const result = await purge({ dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(countsOf(result)).toEqual(EXPECTED);
    expect(await snapshot(app.store)).toEqual(fixture);
  });

  it('deletes or reduces exactly what is past its retention, and nothing else changes', async () => {
    const result = await purge();
    expect(countsOf(result)).toEqual(EXPECTED);
    const after = await snapshot(app.store);
    expect(diff(fixture, after)).toEqual({
      actions: { removed: ['act-imported-closed', 'act-old-closed'], added: [], changed: [] },
      reportRounds: { removed: ['round-mtg-exec-2018'], added: [], changed: [] },
      themeReports: { removed: ['round-mtg-exec-2018:thm-domestic-abuse', 'round-mtg-exec-2018:thm-mental-health'], added: [], changed: [] },
      deliveries: {
        removed: ['digest:2026-05-04:mem-mg', 'digest:2026-08-10:exec-channel', 'reminder:act-exec-3-08:2026-08-01:before:mem-tn', 'welcome:a:chat-tn:2026-01-05T10:00:00.000Z', 'welcome:a:chat-uninstalled:2026-01-05T10:00:00.000Z'],
        added: [],
        changed: [],
      },
      installs: { removed: ['a:chat-pd', 'a:chat-tn', 'a:chat-unlinked-old'], added: [], changed: [] },
      members: { removed: [], added: [], changed: ['mem-gw', 'mem-tn'] },
      meetings: { removed: [], added: [], changed: ['mtg-exec-2018'] },
      memberships: { removed: [], added: [], changed: ['ms-board-pd'] },
      themes: { removed: [], added: [], changed: ['thm-2014-p1'] },
    });

    // The leaver keeps their name, initials and organisation as the minutes have them; their contact details and old audit line go.
    const gwBefore = recordIn<Member>(fixture, 'members', 'mem-gw');
    const gw = recordIn<Member>(after, 'members', 'mem-gw');
    expect(gw).toMatchObject({ name: 'Georgia Webb', initials: 'GW', email: null, entraObjectId: null, teamsUserId: null, audit: [] });
    expect(without(gw, 'email', 'entraObjectId', 'audit')).toEqual(without(gwBefore, 'email', 'entraObjectId', 'audit'));
    // A current member keeps their contact details; only their expired audit line goes.
    const tn = recordIn<Member>(after, 'members', 'mem-tn');
    expect(tn.email).toBe('tn@saferplymouth.example');
    expect(tn.audit?.map((l) => l.id)).toEqual(['mem-tn:a2']);
    expect(without(tn, 'audit')).toEqual(without(recordIn<Member>(fixture, 'members', 'mem-tn'), 'audit'));
    // The old meeting stays, with its attendance; its substitutes stay too, without their names.
    const meeting = recordIn<Meeting>(after, 'meetings', 'mtg-exec-2018');
    expect(meeting.substitutes).toEqual([
      { name: SUBSTITUTE_PLACEHOLDER, organisationId: 'org-police', forMemberId: 'mem-tm' },
      { name: SUBSTITUTE_PLACEHOLDER, organisationId: 'org-ccg', forMemberId: null },
    ]);
    expect(meeting.audit?.map((l) => l.id)).toEqual(['mtg-exec-2018:a2']);
    expect(without(meeting, 'substitutes', 'audit')).toEqual(without(recordIn<Meeting>(fixture, 'meetings', 'mtg-exec-2018'), 'substitutes', 'audit'));
    expect(recordIn<Membership>(after, 'memberships', 'ms-board-pd').audit).toEqual([]);
    expect(recordIn<Theme>(after, 'themes', 'thm-2014-p1').audit).toEqual([]);
    // Kept: the 2022 meeting's papers and substitute, the dropped action still inside six years, open actions however old, the demo's own closed action.
    for (const id of ['act-dropped-kept', 'act-ancient-open', 'act-exec-2-01']) expect(await app.store.actions.get(id)).toBeDefined();
    expect(recordIn<Meeting>(after, 'meetings', 'mtg-exec-2022').substitutes?.[0]?.name).toBe('Alex Example');
  });

  it('finds nothing the second time, and changes nothing', async () => {
    const before = await snapshot(app.store);
    expect(countsOf(await purge())).toEqual(ZERO);
    expect(await snapshot(app.store)).toEqual(before);
  });

  it('skips a record someone changes while it runs, and leaves their change in place', async () => {
    await app.store.actions.create(anAction({ id: 'act-reopened-meanwhile', meetingId: 'mtg-exec-1', status: 'closed', createdAt: '2018-06-01T10:00:00.000Z', history: [status('2019-05-01T10:00:00.000Z', 'closed')] }));
    const reopen = async () => {
      const current = (await app.store.actions.get('act-reopened-meanwhile'))!;
      const { version, ...record } = current;
      await app.store.actions.update({ ...record, status: 'open', history: [...record.history, { ...status('2026-11-23T09:59:00.000Z', 'open'), from: 'closed' }] }, version);
    };
    const result = await purge({ store: racingStore(app.store, 'act-reopened-meanwhile', reopen) });
    expect(countsOf(result)).toEqual({ ...ZERO, conflicts: 1 });
    expect((await app.store.actions.get('act-reopened-meanwhile'))?.status).toBe('open');
  });

  it('runs twice at once without an error or a record removed twice', async () => {
    await app.store.actions.create(anAction({ id: 'act-closed-2019', meetingId: 'mtg-exec-1', status: 'closed', createdAt: '2018-06-01T10:00:00.000Z', history: [status('2019-05-01T10:00:00.000Z', 'closed')] }));
    await app.store.deliveries.create(delivery('digest:2026-06-01:mem-mg', { kind: 'digest', createdAt: '2026-06-01T09:00:00.000Z' }));
    const before = await snapshot(app.store);
    const [a, b] = await Promise.all([purge(), purge()]);
    expect(a.closedActions + b.closedActions).toBe(1);
    expect(a.ledgerLines + b.ledgerLines).toBe(1);
    expect(diff(before, await snapshot(app.store))).toEqual({
      actions: { removed: ['act-closed-2019'], added: [], changed: [] },
      deliveries: { removed: ['digest:2026-06-01:mem-mg'], added: [], changed: [] },
    });
  });

  it('logs each run as one line of counts: no names, no people\u2019s ids, no text', () => {
    const purges = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'retention.purge');
    expect(purges.length).toBeGreaterThanOrEqual(6);
    const keys = ['time', 'level', 'event', 'at', 'dryRun', 'closedActions', 'themePapers', 'paperRounds', 'substitutes', 'auditLines', 'ledgerLines', 'installs', 'leaverContacts', 'conflicts', 'durationMs'];
    for (const line of purges) {
      expect(Object.keys(line).sort()).toEqual([...keys].sort());
      for (const key of keys.slice(5)) expect(typeof line[key]).toBe('number');
    }
    expect(purges.find((l) => l.dryRun === false)).toMatchObject({ closedActions: 2, themePapers: 2, installs: 3, leaverContacts: 1 });
    // Without each line's timestamp, whose minutes can read like a Teams id ("06:29:03" holds "29:").
    const all = lines
      .map((l) => {
        const { time: _time, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return JSON.stringify(rest);
      })
      .join('\n');
    for (const leak of ['Georgia', 'Webb', 'Jo Bloggs', 'Sam Smith', 'georgia.webb', 'mem-', 'act-', 'chat-', '29:', 'MARAC', 'DHR', 'Court delays']) expect(all).not.toContain(leak);
  });
});
