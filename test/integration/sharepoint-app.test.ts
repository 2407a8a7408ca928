import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import type { GraphStandIn } from '../stand-ins/graph-sharepoint.js';

/**
 * The whole server with STORE=sharepoint: the same startApp, seeding, tab API and bot
 * endpoint as `npm start`, persisting to SharePoint lists on the Graph stand-in.
 */
describe('the app on SharePoint lists (Graph stand-in)', () => {
  let standIn: GraphStandIn;
  let app: TestApp;

  beforeAll(async () => {
    standIn = await provisionedStandIn({ retryAfterSeconds: 1 });
    app = await startTestApp({
      env: { STORE: 'sharepoint', SHAREPOINT_SITE_ID: standIn.siteId, GRAPH_BASE_URL: standIn.baseUrl },
      store: {
        graph: { fetch: standIn.fetch, customHosts: [standIn.host], retry: recordingRetry(10), tokenProvider: async () => standIn.token },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await standIn?.close();
  });

  it('seeds the demo into the lists and serves it through the tab API', async () => {
    expect((await app.as(null, '/healthz')).body).toEqual({ status: 'ok', store: 'sharepoint' });
    const res = await app.as('MG', '/api/tab/actions?limit=500');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(18);
    expect(standIn.items('SaferExec Actions').length).toBe(18);
  });

  it('turns a stale eTag into the same conflict the embedded store reports', async () => {
    const first = await app.as('TN', '/api/tab/actions/act-exec-3-08');
    const version = first.body.version as string;
    const change = (id: string) => ({ method: 'POST', body: JSON.stringify({ version, changeId: id, change: { kind: 'add-note', note: `note ${id}` } }) });
    const a = await app.as('TN', '/api/tab/actions/act-exec-3-08/changes', change('chg-sp-000001'));
    const b = await app.as('TN', '/api/tab/actions/act-exec-3-08/changes', change('chg-sp-000002'));
    expect([a.status, b.status]).toEqual([200, 409]);
  });

  it('completes a burst of edits with one Graph request in five failing: nothing lost, nothing doubled', async () => {
    standIn.setFaults({ rate: 0.2, kinds: ['429', '503', '504-after-write', 'reset-after-write'], seed: 7 });
    const owned: Record<string, string> = {
      'act-exec-3-06': 'AM', 'act-exec-3-09': 'AM', 'act-exec-3-12': 'AM', 'act-exec-3-10': 'TN', 'act-exec-3-11': 'TM', 'act-exec-3-03': 'HS', 'act-exec-3-04': 'TW',
    };
    try {
      const results = await Promise.all(
        Object.entries(owned).map(async ([id, initials], i) => {
          // Each person edits their own action, retrying as the tab would after a network error or conflict.
          for (let attempt = 0; attempt < 6; attempt++) {
            const current = await app.as(initials, `/api/tab/actions/${id}`);
            if (current.status !== 200) continue;
            const res = await app.as(initials, `/api/tab/actions/${id}/changes`, {
              method: 'POST',
              body: JSON.stringify({ version: current.body.version, changeId: `chg-burst-${String(i).padStart(4, '0')}`, change: { kind: 'add-note', note: `Burst update ${i}` } }),
            });
            if (res.status === 200) return res.status;
          }
          return 0;
        }),
      );
      expect(results.every((s) => s === 200)).toBe(true);
    } finally {
      standIn.setFaults(undefined);
    }
    expect(standIn.requests.some((r) => r.fault)).toBe(true);
    for (const [i, id] of Object.keys(owned).entries()) {
      const action = await app.store.actions.get(id);
      expect(action?.history.filter((h) => h.id === `chg-burst-${String(i).padStart(4, '0')}`)).toHaveLength(1);
    }
    expect(standIn.items('SaferExec Actions').length).toBe(18);
    expect((await listAll(app.store.actions, {})).length).toBe(18);
  });
});
