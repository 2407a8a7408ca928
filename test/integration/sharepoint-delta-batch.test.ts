import { afterEach, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { createSharePointStore, type SharePointStore } from '../../bot/store/sharepoint/sharepoint-store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { openStandInStore, provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { aMember, anAction } from '../support/records.js';
import type { GraphStandIn, GraphStandInOptions, RecordedRequest } from '../stand-ins/graph-sharepoint.js';
import { ACTION_VERBS } from '../../bot/cards/verbs.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { botAdded, cardText, execute, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

/**
 * The SharePoint read model asks for several lists' changes in one Graph JSON batch
 * (learn.microsoft.com/graph/json-batching): the directory that every request's context reads
 * costs one HTTP request once its freshness window has passed, not one per list.
 */

const WINDOW_MS = 300;
const pastTheWindow = (ms = WINDOW_MS) => new Promise((resolve) => setTimeout(resolve, ms + 50));
/** The app's window: long enough that a loaded machine answers two requests inside it. */
const APP_WINDOW_MS = 3_000;
const http = (made: readonly RecordedRequest[]) => made.filter((r) => !r.viaBatch);
const parts = (made: readonly RecordedRequest[]) => made.filter((r) => r.viaBatch);
const DIRECTORY = ['Organisations', 'Members', 'Groups', 'Memberships', 'Themes', 'Meetings'];

let standIn: GraphStandIn | undefined;
let app: TestApp | undefined;
let connector: BotConnectorStandIn | undefined;

afterEach(async () => {
  await app?.close();
  await standIn?.close();
  await connector?.close();
  app = undefined;
  standIn = undefined;
  connector = undefined;
});

async function openStore(options: GraphStandInOptions = {}, retry = recordingRetry()) {
  standIn = await provisionedStandIn(options);
  const store: SharePointStore = await openStandInStore(standIn, retry, { directoryFreshForMs: WINDOW_MS });
  return { standIn, store, retry };
}

/** The whole app on SharePoint lists over a fresh stand-in, with the app's window at APP_WINDOW_MS (closed after each test). */
async function startAppOnStandIn(): Promise<{ s: GraphStandIn; app: TestApp }> {
  const s = (standIn = await provisionedStandIn({ retryAfterSeconds: 1 }));
  const started = (app = await startTestApp({
    env: { STORE: 'sharepoint', SHAREPOINT_SITE_ID: s.siteId, GRAPH_BASE_URL: s.baseUrl },
    store: { graph: { fetch: s.fetch, customHosts: [s.host], retry: recordingRetry(10), tokenProvider: async () => s.token, directoryFreshForMs: APP_WINDOW_MS } },
  }));
  return { s, app: started };
}

/** The display name of the list a recorded request went to ("SaferExec Members" → "Members"). */
async function listNames(s: GraphStandIn): Promise<Map<string, string>> {
  const response = await s.fetch(`${s.baseUrl}/sites/${s.siteId}/lists`, { headers: { authorization: `Bearer ${s.token}` } });
  const lists = (await response.json()) as { value: { id: string; displayName: string }[] };
  return new Map(lists.value.map((l) => [l.id, l.displayName.replace(/^SaferExec /, '')]));
}
const listOf = (names: Map<string, string>, r: RecordedRequest) => names.get(decodeURIComponent(/\/lists\/([^/]+)/.exec(r.path)?.[1] ?? '')) ?? '?';

describe('delta calls gathered into Graph JSON batches', () => {
  it('answers GET /api/tab/me with one Graph HTTP request once the directory window has passed, and sees another instance\'s change', async () => {
    const { s, app } = await startAppOnStandIn();
    const names = await listNames(s);
    expect((await app.as('HS', '/api/tab/me')).status).toBe(200);
    // Within the window: memory, no Graph request at all.
    let before = s.requests.length;
    expect((await app.as('HS', '/api/tab/me')).status).toBe(200);
    expect(s.requests.slice(before)).toEqual([]);

    // Another instance renames HS; past the window the one batch brings the change.
    const other = await createSharePointStore({ graphBaseUrl: s.baseUrl, siteId: s.siteId, tokenProvider: async () => s.token, customHosts: [s.host], fetch: s.fetch });
    const hs = (await listAll(other.members, { initials: 'HS' }))[0]!;
    await other.members.update({ ...hs, name: 'Renamed Elsewhere' }, hs.version);
    expect((await app.as('HS', '/api/tab/me')).body.member.name).not.toBe('Renamed Elsewhere');
    await pastTheWindow(APP_WINDOW_MS);
    before = s.requests.length;
    const me = await app.as('HS', '/api/tab/me');
    expect(me.status).toBe(200);
    expect(me.body.member.name).toBe('Renamed Elsewhere');
    const made = s.requests.slice(before);
    expect(http(made).map((r) => `${r.method} ${r.operation} ${r.status}`)).toEqual(['POST batch 200']);
    expect(parts(made).every((r) => r.operation === 'items.delta' && r.status === 200)).toBe(true);
    expect(parts(made).map((r) => listOf(names, r)).sort()).toEqual([...DIRECTORY].sort());
    expect(s.httpRequestCount()).toBe(s.requests.length - s.batchedRequestCount());
  }, 120_000);

  it('answers GET /api/tab/actions with one Graph HTTP request once the directory window has passed: the actions list rides in the directory\'s batch', async () => {
    const { s, app } = await startAppOnStandIn();
    const names = await listNames(s);
    expect((await app.as('MG', '/api/tab/actions')).status).toBe(200);
    // Another instance rewords an action; past the window the one batch brings it with the directory.
    const other = await createSharePointStore({ graphBaseUrl: s.baseUrl, siteId: s.siteId, tokenProvider: async () => s.token, customHosts: [s.host], fetch: s.fetch });
    const action = (await other.actions.get('act-exec-3-11'))!;
    await other.actions.update({ ...action, text: 'Reworded on another instance' }, action.version);
    await pastTheWindow(APP_WINDOW_MS);
    const before = s.requests.length;
    const log = await app.as('MG', '/api/tab/actions');
    expect(log.status).toBe(200);
    expect((log.body.items as { id: string; text: string }[]).find((a) => a.id === 'act-exec-3-11')?.text).toBe('Reworded on another instance');
    const made = s.requests.slice(before);
    expect(http(made).map((r) => `${r.method} ${r.operation} ${r.status}`)).toEqual(['POST batch 200']);
    expect(parts(made).every((r) => r.operation === 'items.delta' && r.status === 200)).toBe(true);
    expect(parts(made).map((r) => listOf(names, r)).sort()).toEqual([...DIRECTORY, 'Actions'].sort());
  }, 120_000);

  it('reads for a card press with one Graph HTTP request once the directory window has passed (the installs and actions ride in the directory\'s batch), then writes once', async () => {
    connector = await startBotConnectorStandIn();
    const { s, app } = await startAppOnStandIn();
    const names = await listNames(s);
    const TM = teamsUser('TM');
    expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, TM), TM))).status).toBe(200);
    // Another instance rewords TM's action; past the window the press's one read brings it.
    const other = await createSharePointStore({ graphBaseUrl: s.baseUrl, siteId: s.siteId, tokenProvider: async () => s.token, customHosts: [s.host], fetch: s.fetch });
    const action = (await other.actions.get('act-exec-3-11'))!;
    const reworded = await other.actions.update({ ...action, text: 'Reworded on another instance' }, action.version);
    await pastTheWindow(APP_WINDOW_MS);
    const before = s.requests.length;
    const answer = await postActivity(app.url, execute(personal(connector.serviceUrl, TM), TM, ACTION_VERBS.addUpdate, { actionId: 'act-exec-3-11', version: reworded.version, note: 'Spoke to the OPCC.' }));
    expect(answer.status).toBe(200);
    expect(cardText(answer.body.value)).toContain('Update saved');
    expect(cardText(answer.body.value)).toContain('Reworded on another instance');
    const made = s.requests.slice(before);
    expect(http(made).map((r) => `${r.method} ${r.operation} ${r.status}`)).toEqual(['POST batch 200', 'PATCH items.update 200']);
    expect(parts(made).map((r) => listOf(names, r)).sort()).toEqual([...DIRECTORY, 'Installs', 'Actions'].sort());
  }, 120_000);

  it('answers matters arising and the action log export with one Graph HTTP request each once the directory window has passed', async () => {
    const { s, app } = await startAppOnStandIn();
    const names = await listNames(s);
    for (const [path, lists] of [
      ['/api/tab/matters-arising?meeting=mtg-exec-4', ['Actions', 'Report Rounds', 'Theme Reports']],
      ['/api/tab/exports/actions.csv', ['Actions']],
    ] as const) {
      expect((await app.as('AM', path)).status).toBe(200);
      await pastTheWindow(APP_WINDOW_MS);
      const before = s.requests.length;
      expect((await app.as('AM', path)).status).toBe(200);
      const made = s.requests.slice(before);
      expect(http(made).map((r) => `${r.method} ${r.operation} ${r.status}`)).toEqual(['POST batch 200']);
      expect(parts(made).map((r) => listOf(names, r)).sort()).toEqual([...DIRECTORY, ...lists].sort());
    }
  }, 120_000);

  it('refreshes every list a sweep reads in one batch once the directory window has passed', async () => {
    const { s, app } = await startAppOnStandIn();
    const names = await listNames(s);
    const monday = new Date('2026-11-23T10:00:00Z');
    await app.sweep(monday);
    await pastTheWindow(APP_WINDOW_MS);
    const before = s.requests.length;
    await app.sweep(monday);
    const reads = s.requests.slice(before).filter((r) => r.operation === 'batch' || r.operation === 'items.delta');
    expect(http(reads).map((r) => `${r.method} ${r.operation} ${r.status}`)).toEqual(['POST batch 200']);
    expect(parts(reads).map((r) => listOf(names, r)).sort()).toEqual([...DIRECTORY, 'Installs', 'Actions', 'Report Rounds', 'Theme Reports', 'Deliveries'].sort());
  }, 120_000);

  it('retries only the part of a batch that was answered 429, after its Retry-After', async () => {
    const { standIn: s, store, retry } = await openStore({ retryAfterSeconds: 2 });
    const names = await listNames(s);
    await store.members.create(aMember());
    await pastTheWindow();
    s.failNext('items.delta', '429');
    const before = s.requests.length;
    expect((await store.members.get('mem-tn'))?.initials).toBe(aMember().initials);
    const made = s.requests.slice(before);
    // Two HTTP requests: the batch of six, then a batch of the one part that was throttled.
    expect(http(made).map((r) => r.operation)).toEqual(['batch', 'batch']);
    const throttled = parts(made).filter((r) => r.status === 429);
    expect(throttled).toHaveLength(1);
    const firstRound = parts(made).slice(0, DIRECTORY.length);
    expect(firstRound.map((r) => listOf(names, r)).sort()).toEqual([...DIRECTORY].sort());
    expect(parts(made).slice(DIRECTORY.length).map((r) => `${listOf(names, r)} ${r.status}`)).toEqual([`${listOf(names, throttled[0]!)} 200`]);
    expect(retry.waits).toEqual([2000]);
  });

  it('restarts a list whose token expired (410 inside the batch) and pages past the first page alone', async () => {
    const { standIn: s, store } = await openStore({ maxPageSize: 2 });
    for (let i = 0; i < 5; i++) await store.members.create(aMember({ id: `mem-${i}`, initials: `M${i}`, email: `m${i}@example.org`, entraObjectId: null, teamsUserId: null }));
    expect(await listAll(store.members, {})).toHaveLength(5);
    const other = await createSharePointStore({ graphBaseUrl: s.baseUrl, siteId: s.siteId, tokenProvider: async () => s.token, customHosts: [s.host], fetch: s.fetch });
    await other.members.delete('mem-2', (await other.members.get('mem-2'))!.version);
    s.expireDeltaTokens('SaferExec Members');
    await pastTheWindow();
    const before = s.requests.length;
    expect((await listAll(store.members, {})).map((m) => m.id)).toEqual(['mem-0', 'mem-1', 'mem-3', 'mem-4'].sort((a, b) => (a < b ? -1 : 1)));
    const made = s.requests.slice(before);
    expect(http(made)[0]?.operation).toBe('batch');
    expect(parts(made).filter((r) => r.status === 410)).toHaveLength(1);
    // The fresh enumeration the 410's Location starts is paged on its own (2 items a page).
    expect(http(made).slice(1).every((r) => r.operation === 'items.delta' && r.status === 200)).toBe(true);
    expect(http(made).length).toBeGreaterThan(2);
  });

  it('falls back to full reads, list by list, when every part of the batch refuses delta', async () => {
    const { standIn: s, store } = await openStore({ refuseDelta: true });
    await store.members.create(aMember());
    expect((await store.members.get('mem-tn'))?.id).toBe('mem-tn');
    expect(s.requests.filter((r) => r.operation === 'items.delta').every((r) => r.viaBatch && r.status === 403)).toBe(true);
    expect(store.readModels.get('members')?.syncMode).toBe('full');
    expect(store.readModels.get('themes')?.syncMode).toBe('full');
    // From then on nothing is batched: each list reads in full on its own.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const before = s.requests.length;
    expect((await listAll(store.members, {})).map((m) => m.id)).toEqual(['mem-tn']);
    expect(s.requests.slice(before).map((r) => r.operation)).toEqual(['items.list']);
  });

  it('reads the directory right with one request in three throttled, batch parts included', async () => {
    const { standIn: s, store, retry } = await openStore({}, recordingRetry(12));
    for (let i = 0; i < 4; i++) await store.members.create(aMember({ id: `mem-${i}`, initials: `M${i}`, email: `m${i}@example.org` }));
    const other = await createSharePointStore({ graphBaseUrl: s.baseUrl, siteId: s.siteId, tokenProvider: async () => s.token, customHosts: [s.host], fetch: s.fetch, retry: recordingRetry(12) });
    s.setFaults({ rate: 0.34, kinds: ['429', '503'], seed: 5, operations: ['items.delta', 'batch'] });
    try {
      for (let round = 0; round < 4; round++) {
        const current = (await other.members.get('mem-1'))!;
        await other.members.update({ ...current, jobTitle: `Round ${round}` }, current.version);
        await pastTheWindow();
        const seen = await store.runInRequest(async () => (await Promise.all([listAll(store.members, {}), listAll(store.groups, {}), listAll(store.themes, {})]))[0]);
        expect(seen.find((m) => m.id === 'mem-1')?.jobTitle).toBe(`Round ${round}`);
      }
    } finally {
      s.setFaults(undefined);
    }
    expect(s.requests.some((r) => r.viaBatch && r.fault)).toBe(true);
    expect(retry.waits.length).toBeGreaterThan(0);
  });

  it('counts the lists a batch brought along as asked for the rest of the request, even with no window', async () => {
    standIn = await provisionedStandIn();
    const s = standIn;
    const store = await createSharePointStore({ graphBaseUrl: s.baseUrl, siteId: s.siteId, tokenProvider: async () => s.token, customHosts: [s.host], fetch: s.fetch, directoryFreshForMs: 0 });
    await listAll(store.members, {});
    const before = s.requests.length;
    await store.runInRequest(async () => {
      await listAll(store.members, {});
      await listAll(store.groups, {});
      await listAll(store.meetings, {});
    });
    expect(http(s.requests.slice(before)).map((r) => r.operation)).toEqual(['batch']);
    expect(parts(s.requests.slice(before))).toHaveLength(DIRECTORY.length);
  });

  it('retries the part of a list the request will read that was answered 429 alone, after its Retry-After, and asks no more in the request', async () => {
    const { standIn: s, store, retry } = await openStore({ retryAfterSeconds: 2 });
    const names = await listNames(s);
    await store.actions.create(anAction());
    await listAll(store.members, {});
    await pastTheWindow();
    // The actions read goes first, so its part is the one the stand-in throttles.
    s.failNext('items.delta', '429');
    const before = s.requests.length;
    const seen = await store.runInRequest(async () => {
      store.willRead(['members', 'groups', 'actions']);
      const actions = await listAll(store.actions, {});
      await listAll(store.members, {});
      await listAll(store.groups, {});
      return actions;
    });
    expect(seen.map((a) => a.id)).toEqual(['act-1']);
    const made = s.requests.slice(before);
    expect(http(made).map((r) => r.operation)).toEqual(['batch', 'batch']);
    expect(parts(made).map((r) => `${listOf(names, r)} ${r.status}`)).toEqual(['Actions 429', 'Members 200', 'Groups 200', 'Actions 200']);
    expect(retry.waits).toEqual([2000]);
  });

  it('restarts a list the request will read from the Location of its 410 inside the directory\'s batch', async () => {
    const { standIn: s, store } = await openStore({ maxPageSize: 2 });
    const names = await listNames(s);
    for (let i = 0; i < 5; i++) await store.actions.create(anAction({ id: `act-${i}` }));
    expect(await listAll(store.actions, {})).toHaveLength(5);
    await listAll(store.members, {});
    const other = await createSharePointStore({ graphBaseUrl: s.baseUrl, siteId: s.siteId, tokenProvider: async () => s.token, customHosts: [s.host], fetch: s.fetch });
    await other.actions.delete('act-2', (await other.actions.get('act-2'))!.version);
    s.expireDeltaTokens('SaferExec Actions');
    await pastTheWindow();
    const before = s.requests.length;
    const seen = await store.runInRequest(async () => {
      store.willRead(['actions']);
      await listAll(store.members, {});
      return listAll(store.actions, {});
    });
    expect(seen.map((a) => a.id)).toEqual(['act-0', 'act-1', 'act-3', 'act-4']);
    const made = s.requests.slice(before);
    expect(http(made)[0]?.operation).toBe('batch');
    expect(parts(made).filter((r) => r.status === 410).map((r) => listOf(names, r))).toEqual(['Actions']);
    // The fresh enumeration is paged alone (2 items a page); the actions read after it asks nothing more.
    expect(http(made).slice(1).map((r) => `${listOf(names, r)} ${r.operation} ${r.status}`)).toEqual(Array(2).fill('Actions items.delta 200'));
  });

  it('reads a list the request will read in full when its part of the batch refuses delta, trusted for the fallback window', async () => {
    const { standIn: s, store } = await openStore({ refuseDelta: true });
    const names = await listNames(s);
    await store.actions.create(anAction());
    const request = () =>
      store.runInRequest(async () => {
        store.willRead(['actions']);
        await listAll(store.members, {});
        return listAll(store.actions, {});
      });
    let before = s.requests.length;
    expect((await request()).map((a) => a.id)).toEqual(['act-1']);
    let made = s.requests.slice(before);
    expect(parts(made).filter((r) => listOf(names, r) === 'Actions').map((r) => `${r.operation} ${r.status}`)).toEqual(['items.delta 403']);
    expect(made.filter((r) => r.operation === 'items.list' && listOf(names, r) === 'Actions')).toHaveLength(1);
    expect(store.readModels.get('actions')?.syncMode).toBe('full');
    // Inside the fallback window (2 s) nothing is asked; past it each list reads in full on its own.
    before = s.requests.length;
    await request();
    expect(s.requests.slice(before)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    before = s.requests.length;
    await request();
    made = s.requests.slice(before);
    expect(made.map((r) => `${listOf(names, r)} ${r.operation}`).sort()).toEqual(['Actions items.list', 'Members items.list']);
  });

  it('sends one list on its own as a plain GET, and several asked at once as one batch', async () => {
    const { standIn: s, store } = await openStore();
    await Promise.all([listAll(store.actions, {}), listAll(store.deliveries, {})]);
    expect(http(s.requests.filter((r) => r.operation === 'batch' || r.operation === 'items.delta')).map((r) => r.operation)).toEqual(['batch']);
    const before = s.requests.length;
    await listAll(store.actions, {});
    expect(s.requests.slice(before).map((r) => `${r.operation} ${r.viaBatch}`)).toEqual(['items.delta false']);
  });
});

describe('the stand-in\'s $batch', () => {
  it('refuses a part whose URL carries a host or a version, answers by id in its own order, and counts one HTTP request', async () => {
    standIn = await provisionedStandIn();
    const s = standIn;
    const beforeHttp = s.httpRequestCount();
    const beforeParts = s.batchedRequestCount();
    const response = await s.fetch(`${s.baseUrl}/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: 'a', method: 'GET', url: `/sites/${s.siteId}/lists` },
          { id: 'b', method: 'GET', url: `/v1.0/sites/${s.siteId}/lists` },
          { id: 'c', method: 'GET', url: `${s.baseUrl}/sites/${s.siteId}/lists` },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { responses: { id: string; status: number }[] };
    expect(body.responses.map((r) => r.id)).not.toEqual(['a', 'b', 'c']);
    expect(Object.fromEntries(body.responses.map((r) => [r.id, r.status]))).toEqual({ a: 200, b: 400, c: 400 });
    expect(s.httpRequestCount() - beforeHttp).toBe(1);
    expect(s.batchedRequestCount() - beforeParts).toBe(3);
  });
});
