import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAdapter } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../bot/demo/seed.js';
import type { ApiRequest, ApiResponse, Route } from '../../bot/http/api-types.js';
import { botAdminRoutes } from '../../bot/http/bot-admin-api.js';
import { tabApiRoutes } from '../../bot/http/tab-api.js';
import { CHANNEL_VERBS, REPORT_VERBS } from '../../bot/cards/verbs.js';
import { channelDueDeliveryId, weekOf } from '../../bot/domain/deliveries.js';
import { londonDate } from '../../bot/domain/index.js';
import { fixedClock } from '../../bot/services/clock.js';
import type { TeamReach } from '../../bot/services/installs.js';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { SaferExecBot } from '../../bot/teams/safer-exec-bot.js';
import type { RecordSet, Store } from '../../bot/store/store.js';
import { DEFAULT_TEST_NOW } from '../support/app.js';
import { execute, personal, teamsUser } from '../stand-ins/bot-connector-activities.js';
import { teamsAttendanceReport, utf8 } from '../support/teams-attendance-reports.js';

/** The lists the directory is made of: a request's context reads each once. */
const DIRECTORY_SETS = ['organisations', 'members', 'groups', 'memberships', 'themes', 'meetings'] as const;
type DirectorySet = (typeof DIRECTORY_SETS)[number];

/** The store, with every whole-list read of a directory list counted (a read with no filter: what loadDirectory does). */
function counting(store: Store): { store: Store; reads: Record<DirectorySet, number>; memberLookups: () => number; reset(): void } {
  const reads = Object.fromEntries(DIRECTORY_SETS.map((s) => [s, 0])) as Record<DirectorySet, number>;
  // Filtered reads of the members (by Teams id, object id, email): finding the caller outside the directory.
  let memberLookups = 0;
  const wrap = <T extends { readonly id: string }, Q>(name: DirectorySet, set: RecordSet<T, Q>): RecordSet<T, Q> =>
    new Proxy(set, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if ((key === 'all' || key === 'list') && typeof value === 'function') {
          return (query: Q, ...rest: unknown[]) => {
            if (query && typeof query === 'object' && Object.keys(query).length === 0) reads[name]++;
            else if (name === 'members') memberLookups++;
            return (value as (...args: unknown[]) => unknown).call(target, query, ...rest);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const wrapped = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if ((DIRECTORY_SETS as readonly string[]).includes(String(key))) return wrap(key as DirectorySet, value as RecordSet<{ id: string }, unknown>);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    store: wrapped,
    reads,
    memberLookups: () => memberLookups,
    reset: () => {
      DIRECTORY_SETS.forEach((s) => (reads[s] = 0));
      memberLookups = 0;
    },
  };
}

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function setUp(seeded: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'request-context-'));
  dirs.push(dir);
  const store = new SqliteStore({ filename: join(dir, 'safer-exec.db') });
  stores.push(store);
  if (seeded) await seedDemoIfEmpty(store, DEFAULT_TEST_NOW);
  const counted = counting(store);
  const clock = fixedClock(DEFAULT_TEST_NOW);
  // The board's team in Teams: one newcomer on its roster.
  const newcomer = { teamsUserId: '29:newcomer', aadObjectId: null, name: 'Robin Newcomer', email: 'robin.newcomer@partner.example', userPrincipalName: null };
  const teamReach = { roster: { members: async () => ({ status: 'ok', team: {}, members: [newcomer] }), openPersonalChat: async () => ({ ok: false, failure: 'refused', failureCode: 'test' }) } } as unknown as TeamReach;
  const routes = [
    ...tabApiRoutes({ store: counted.store, clock, identity: { localMode: true } }),
    ...botAdminRoutes({ store: counted.store, clock, identity: { localMode: true }, teamReach }),
  ];
  const call = async (method: Route['method'], path: string, who: string, init: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {}): Promise<ApiResponse> => {
    const route = routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`no route ${method} ${path}`);
    const request: ApiRequest = { params: init.params ?? {}, query: init.query ?? {}, body: init.body, headers: { 'x-dev-user': who }, remoteAddress: '127.0.0.1' };
    counted.reset();
    return route.handler(request);
  };
  return { call, reads: counted.reads, store, counted };
}

describe('one request context: the directory is read once per request, at the edge', () => {
  it('reading the log, an action, who I am, the groups and governance, and changing an action: each directory list read once', async () => {
    const { call, reads } = await setUp(true);
    const requests: [Route['method'], string, Parameters<typeof call>[3]][] = [
      ['get', '/api/tab/me', {}],
      ['get', '/api/tab/actions', { query: { limit: '50' } }],
      ['get', '/api/tab/actions/:id', { params: { id: 'act-exec-3-08' } }],
      ['get', '/api/tab/groups', {}],
      ['get', '/api/tab/governance', {}],
      ['get', '/api/tab/matters-arising', { query: { meeting: 'mtg-exec-4' } }],
    ];
    for (const [method, path, init] of requests) {
      const answer = await call(method, path, 'TN', init);
      expect(answer.status, path).toBe(200);
      // The local-mode caller lookup by initials reads the directory the context is built from.
      expect(reads, path).toEqual({ organisations: 1, members: 1, groups: 1, memberships: 1, themes: 1, meetings: 1 });
    }
    const detail = (await call('get', '/api/tab/actions/:id', 'TN', { params: { id: 'act-exec-3-08' } })).body as { version: string };
    const changed = await call('post', '/api/tab/actions/:id/changes', 'TN', { params: { id: 'act-exec-3-08' }, body: { version: detail.version, changeId: 'chg-context-1', change: { kind: 'add-note', note: 'Drafted.' } } });
    expect(changed.status).toBe(200);
    expect(reads).toEqual({ organisations: 1, members: 1, groups: 1, memberships: 1, themes: 1, meetings: 1 });
  });

  it('the secretariat\u2019s records: a subject-access export, an erasure, the roster, an attendance import and a membership change each read the directory once', async () => {
    const { call, reads, store } = await setUp(true);
    const once = { organisations: 1, members: 1, groups: 1, memberships: 1, themes: 1, meetings: 1 };
    const meeting = (await store.meetings.get('mtg-exec-3'))!;
    const report = teamsAttendanceReport({ date: meeting.date, locale: 'en-GB', people: [{ name: 'Matt Garrett', email: 'mg@saferplymouth.example' }] });
    const tn = (await store.members.get('mem-tn'))!;
    const requests: [Route['method'], string, Parameters<typeof call>[3], number][] = [
      ['get', '/api/tab/people/:id/subject-access.json', { params: { id: 'mem-tn' } }, 200],
      ['get', '/api/tab/people/:id/subject-access.docx', { params: { id: 'mem-tn' } }, 200],
      // Refused (the initials do not match): the check still reads the directory once.
      ['post', '/api/tab/people/:id/erase', { params: { id: 'mem-tn' }, body: { version: tn.version, confirmInitials: 'TW' } }, 422],
      ['get', '/api/tab/bot/roster', {}, 200],
      ['get', '/api/tab/bot/unreachable', {}, 200],
      ['get', '/api/tab/bot/deliveries/failed', {}, 200],
      ['get', '/api/tab/meetings/:id/reports', { params: { id: 'mtg-exec-4' } }, 200],
      ['post', '/api/tab/bot/roster/import', { body: { people: [{ teamsUserId: '29:newcomer', name: 'Robin Newcomer', initials: 'RNW' }] } }, 201],
      ['post', '/api/tab/meetings/:id/attendance-import/preview', { params: { id: 'mtg-exec-3' }, body: { fileBase64: Buffer.from(utf8(report, true)).toString('base64') } }, 200],
      ['post', '/api/tab/memberships', { body: { groupId: 'grp-exec', memberId: 'mem-tn', role: 'member', decisionMaker: false, deputyForMemberId: null, startDate: '2026-01-01', endDate: null, membershipId: 'ms-context-1' } }, 201],
    ];
    for (const [method, path, init, status] of requests) {
      const answer = await call(method, path, 'AM', init);
      expect(answer.status, `${path} ${JSON.stringify(answer.body)}`).toBe(status);
      expect(reads, path).toEqual(once);
    }
    // The newcomer added from the roster (no memberships) is erased: the erasure reads the directory once too.
    const newcomer = (await store.members.list({ teamsUserId: '29:newcomer' }, { limit: 1 })).items[0]!;
    const erased = await call('post', '/api/tab/people/:id/erase', 'AM', { params: { id: newcomer.id }, body: { version: newcomer.version, confirmInitials: 'RNW' } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(reads).toEqual(once);
  });

  it('a bot turn: "report", a report saved from its card, and the board channel\u2019s weekly card (a view, a press) each read the directory once', async () => {
    const { counted, store } = await setUp(true);
    const bot = new SaferExecBot({ store: counted.store, clock: fixedClock(DEFAULT_TEST_NOW), logger: { log: () => undefined } });
    const adapter = new TestAdapter(async (context) => bot.run(context));
    const TN = teamsUser('TN');
    const where = personal('https://connector.invalid/', TN);
    const reportId = 'rnd-exec-4:thm-safer-communities';
    const content = { progress: 'Street pastors training agreed.', asks: '', risks: 'None.', data: '', rag: 'amber' };
    const turns = [execute(where, TN, REPORT_VERBS.open, {}), execute(where, TN, REPORT_VERBS.submit, { reportId, ...content })];
    for (const turn of turns) {
      counted.reset();
      await adapter.processActivity(turn as unknown as Parameters<typeof adapter.processActivity>[0]);
      expect(counted.reads, turn.value.action.verb).toEqual({ organisations: 1, members: 1, groups: 1, memberships: 1, themes: 1, meetings: 1 });
      // The presser is found in the turn's directory, not looked up in the store again.
      expect(counted.memberLookups(), turn.value.action.verb).toBe(0);
    }
    expect((await store.themeReports.get(reportId))!.versions.at(-1)!.content.progress).toBe(content.progress);

    // The board channel's weekly card: a view, and an owner's press of Mark done (the press and the card drawn after it share one read).
    const week = weekOf(londonDate(DEFAULT_TEST_NOW));
    const channel = '19:board-channel@thread.tacv2';
    const at = DEFAULT_TEST_NOW.toISOString();
    await store.deliveries.create({ id: channelDueDeliveryId(week), kind: 'channel-due', subjectId: week, conversationId: channel, status: 'sent', attempts: 1, createdAt: at, lastAttemptAt: at, activityId: 'activity-week', failureCode: null });
    const inChannel = { ...where, conversation: { id: channel, conversationType: 'channel', tenantId: where.conversation.tenantId } };
    const action = (await store.actions.get('act-exec-3-08'))!;
    for (const turn of [execute(inChannel, TN, CHANNEL_VERBS.view, { week }), execute(inChannel, TN, CHANNEL_VERBS.markDone, { week, actionId: action.id, version: action.version })]) {
      counted.reset();
      await adapter.processActivity(turn as unknown as Parameters<typeof adapter.processActivity>[0]);
      expect(counted.reads, turn.value.action.verb).toEqual({ organisations: 1, members: 1, groups: 1, memberships: 1, themes: 1, meetings: 1 });
    }
    expect((await store.actions.get(action.id))!.version).not.toBe(action.version);
  });

  it('from an empty store a caller nobody knows is refused, and nothing is read twice', async () => {
    const { call, reads } = await setUp(false);
    const answer = await call('get', '/api/tab/actions', 'TN');
    expect(answer.status).toBe(403);
    for (const set of DIRECTORY_SETS) expect(reads[set], set).toBeLessThanOrEqual(1);
  });
});
