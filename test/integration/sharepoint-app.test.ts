import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import type { GraphStandIn } from '../stand-ins/graph-sharepoint.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { botAdded, cardOf, cardText, execute, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';
import { ACTION_VERBS } from '../../bot/cards/verbs.js';

/**
 * The whole server with STORE=sharepoint: the same startApp, seeding, tab API and bot
 * endpoint as `npm start`, persisting to SharePoint lists on the Graph stand-in.
 */
describe('the app on SharePoint lists (Graph stand-in)', () => {
  let standIn: GraphStandIn;
  let app: TestApp;
  let connector: BotConnectorStandIn;

  beforeAll(async () => {
    connector = await startBotConnectorStandIn();
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
    await connector?.close();
  });

  it('seeds the demo into the lists and serves it through the tab API', async () => {
    expect((await app.as(null, '/healthz')).body).toEqual({ status: 'ok', store: 'sharepoint' });
    const res = await app.as('MG', '/api/tab/actions?limit=500');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(19);
    expect(standIn.items('SaferExec Actions').length).toBe(19);
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
      'act-exec-3-06': 'AM', 'act-exec-3-09': 'AM', 'act-exec-3-12': 'AM', 'act-exec-3-10': 'TN', 'act-exec-3-11': 'TM', 'act-exec-2-03': 'HS', 'act-exec-3-04': 'TW',
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
    expect(standIn.items('SaferExec Actions').length).toBe(19);
    expect((await listAll(app.store.actions, {})).length).toBe(19);
  });

  const REMINDED = ['TW', 'MG', 'JK', 'TM', 'AM'];
  const delivered = (initials: string) =>
    connector.received.filter((c) => c.method === 'POST' && c.status === 201 && c.path.includes('/activities') && c.conversationId === teamsUser(initials).personalConversationId);

  it('records installs and answers a card action from the SharePoint store', async () => {
    for (const initials of [...REMINDED, 'TN']) {
      const user = teamsUser(initials);
      expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
    }
    expect(standIn.items('SaferExec Installs').length).toBe(REMINDED.length + 1);
    const tn = teamsUser('TN');
    const action = (await app.store.actions.get('act-exec-3-10'))!;
    const press = await postActivity(app.url, execute(personal(connector.serviceUrl, tn), tn, ACTION_VERBS.markDone, { actionId: action.id, version: action.version }));
    expect(press.status).toBe(200);
    expect(cardText(press.body.value)).toMatch(/Proposed complete/);
    expect((await app.store.actions.get('act-exec-3-10'))!.status).toBe('proposed-complete');
  });

  it('sweeps with one Graph request in five answered 429 or 503: every reminder once, none twice', async () => {
    const monday = new Date('2026-11-23T10:00:00Z');
    const requestsBefore = standIn.requests.length;
    standIn.setFaults({ rate: 0.2, kinds: ['429', '503'], seed: 11 });
    try {
      const first = await app.sweep(monday);
      const second = await app.sweep(monday);
      expect(first.failed).toBe(0);
      expect(second.sent).toBe(0);
    } finally {
      standIn.setFaults(undefined);
    }
    expect(standIn.requests.slice(requestsBefore).filter((r) => r.fault === '429' || r.fault === '503').length).toBeGreaterThan(0);
    const ledger = await listAll(app.store.deliveries, {});
    expect(ledger.every((d) => d.status === 'sent')).toBe(true);
    // Owners who updated their action in the burst above are, rightly, not reminded.
    const reminders = ledger.filter((d) => d.kind === 'action-reminder');
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    for (const initials of REMINDED) {
      const ledgered = reminders.filter((d) => d.conversationId === teamsUser(initials).personalConversationId).length;
      const arrived = delivered(initials).filter((c) => cardText(cardOf(c.body)).includes('Reminder')).length;
      expect(arrived, initials).toBe(ledgered);
    }
    expect(new Set(ledger.map((d) => d.id)).size).toBe(standIn.items('SaferExec Deliveries').length);
  });
});
