import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action, Delivery } from '../../bot/domain/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { provisionedStandIn, recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { seededRandom } from '../support/seeded-random.js';
import type { GraphStandIn } from '../stand-ins/graph-sharepoint.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { botAdded, cardOf, cardText, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

/**
 * Two app instances (as two App Service instances would be) over one SharePoint site, each with
 * its own read model kept fresh by delta. People edit the same actions through both at once,
 * then both sweep the same instant. The lists on the stand-in are the judge: every change an
 * instance accepted is in the action's item exactly once, and no reminder is sent twice.
 */
const SEED = 0x7e0_1257;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Who may add a note to each action (its owners, the chair MG and the secretariat AM). */
const EDITS: Record<string, readonly string[]> = {
  'act-exec-3-14': ['MG', 'AM', 'HS', 'SH', 'TN', 'TW', 'RS'],
  'act-exec-3-10': ['TN', 'MG', 'AM'],
};
const PER_ACTION = 12;
const REMINDED = ['TW', 'MG', 'JK', 'TM', 'AM', 'TN'];

describe('two app instances on one SharePoint site', () => {
  let standIn: GraphStandIn;
  let connector: BotConnectorStandIn;
  let a: TestApp;
  let b: TestApp;

  const start = () =>
    startTestApp({
      env: { STORE: 'sharepoint', SHAREPOINT_SITE_ID: standIn.siteId, GRAPH_BASE_URL: standIn.baseUrl },
      store: { graph: { fetch: standIn.fetch, customHosts: [standIn.host], retry: recordingRetry(10), tokenProvider: async () => standIn.token } },
    });

  beforeAll(async () => {
    connector = await startBotConnectorStandIn();
    standIn = await provisionedStandIn({ retryAfterSeconds: 1 });
    a = await start();
    b = await start();
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await standIn?.close();
    await connector?.close();
  });

  /** The action as the stand-in's list holds it: the truth, whatever either instance remembers. */
  const stored = (id: string): Action => {
    const fields = standIn.items('SaferExec Actions').find((f) => f['RecordId'] === id);
    return JSON.parse(String(fields!['Body'])) as Action;
  };

  it('loses no update when people edit the same actions through both instances at once', async () => {
    const before = Object.fromEntries(Object.keys(EDITS).map((id) => [id, stored(id).history.length]));
    const random = seededRandom(SEED);
    const jobs = Object.entries(EDITS).flatMap(([actionId, editors]) =>
      Array.from({ length: PER_ACTION }, (_, i) => ({
        actionId,
        initials: editors[i % editors.length]!,
        app: (i + random.int(0, 1)) % 2 === 0 ? a : b,
        changeId: `chg-two-${actionId.slice(-2)}-${String(i).padStart(4, '0')}`,
      })),
    );
    const accepted = await Promise.all(
      jobs.map(async (job, n) => {
        // Read through one instance, send through it, and on "changed by someone else" read again: as the tab does.
        for (let attempt = 1; attempt <= 80; attempt++) {
          await sleep(seededRandom(SEED + n).int(0, 10 * 2 ** Math.min(attempt, 6)));
          const read = await job.app.as(job.initials, `/api/tab/actions/${job.actionId}`);
          if (read.status !== 200) return { job, problem: `read answered ${read.status}` };
          const sent = await job.app.as(job.initials, `/api/tab/actions/${job.actionId}/changes`, {
            method: 'POST',
            body: JSON.stringify({ version: read.body.version, changeId: job.changeId, change: { kind: 'add-note', note: `Note ${job.changeId}` } }),
          });
          if (sent.status === 200) return { job, problem: null };
          if (sent.status !== 409) return { job, problem: `send answered ${sent.status} ${JSON.stringify(sent.body?.error ?? null)}` };
        }
        return { job, problem: 'still refused after 80 tries' };
      }),
    );
    expect(accepted.filter((r) => r.problem).map((r) => `${r.job.changeId}: ${r.problem}`)).toEqual([]);
    // Both instances took some of the writes, so the test exercised two read models.
    expect(new Set(jobs.map((j) => j.app)).size).toBe(2);
    for (const [actionId, count] of Object.entries(before)) {
      const history = stored(actionId).history;
      const mine = jobs.filter((j) => j.actionId === actionId);
      expect(history.length, actionId).toBe(count + mine.length);
      for (const job of mine) expect(history.filter((h) => h.id === job.changeId), job.changeId).toHaveLength(1);
    }
    // And each instance now reads what the other wrote.
    for (const app of [a, b]) {
      for (const actionId of Object.keys(EDITS)) {
        const shown = await app.as('MG', `/api/tab/actions/${actionId}`);
        expect(shown.body.history.length).toBe(stored(actionId).history.length);
      }
    }
  }, 240_000);

  it('sends each reminder once when both instances sweep the same instant', async () => {
    for (const initials of REMINDED) {
      const user = teamsUser(initials);
      expect((await postActivity(a.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
    }
    const sentBefore = standIn.items('SaferExec Deliveries').filter((f) => (JSON.parse(String(f['Body'])) as Delivery).status === 'sent').length;
    const monday = new Date('2026-11-23T10:00:00Z');
    const [first, second] = await Promise.all([a.sweep(monday), b.sweep(monday)]);
    expect(first.failed + second.failed).toBe(0);
    const ledger = standIn.items('SaferExec Deliveries').map((f) => JSON.parse(String(f['Body'])) as Delivery);
    const reminders = ledger.filter((d) => d.kind === 'action-reminder');
    expect(reminders.length, 'the sweep had reminders to send').toBeGreaterThanOrEqual(2);
    expect(reminders.every((d) => d.status === 'sent')).toBe(true);
    // What the two sweeps say they sent is what the ledger gained: neither counted the other's sends.
    expect(first.sent + second.sent).toBe(ledger.filter((d) => d.status === 'sent').length - sentBefore);
    for (const initials of REMINDED) {
      const conversationId = teamsUser(initials).personalConversationId;
      const arrived = connector.received.filter(
        (c) => c.method === 'POST' && c.status === 201 && c.path.includes('/activities') && c.conversationId === conversationId && cardText(cardOf(c.body)).includes('Reminder'),
      ).length;
      expect(arrived, initials).toBe(reminders.filter((d) => d.conversationId === conversationId).length);
    }
    // And a second sweep by either, at the same instant, sends nothing more.
    expect((await b.sweep(monday)).sent + (await a.sweep(monday)).sent).toBe(0);
  }, 120_000);
});
