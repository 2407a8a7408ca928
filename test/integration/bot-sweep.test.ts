/**
 * The sweep against the real server and store, sending through the real CloudAdapter and
 * ProactiveSender to the Bot Connector stand-in: each reminder arrives once, whatever the
 * connector throws back, and the ledger says what happened to every message.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { loadRequestContext } from '../../bot/services/request-context.js';
import { submitReport } from '../../bot/services/theme-reports.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { botAdded, cardOf, cardText, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

const run = promisify(execFile);

/** Monday 23 Nov 2026, 10:00 London: the demo's "today". */
const MONDAY = new Date('2026-11-23T10:00:00Z');
const REMINDED = ['TW', 'MG', 'JK', 'TN', 'TM', 'AM'];

let app: TestApp;
let connector: BotConnectorStandIn;

async function installFor(initials: readonly string[]) {
  for (const initials_ of initials) {
    const user = teamsUser(initials_);
    expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
  }
}

/** New posts into conversations; a reply (the welcome on install answers the install event) carries the id it replies to. */
const delivered = () => connector.received.filter((c) => c.method === 'POST' && c.status === 201 && /\/activities$/.test(c.path));
const deliveredTo = (initials: string) => delivered().filter((c) => c.conversationId === teamsUser(initials).personalConversationId);

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
});

afterAll(async () => {
  await connector?.close();
});

afterEach(async () => {
  await app?.close();
  connector.reset();
});

describe('sweep', () => {
  it('twice at the same instant sends each due reminder exactly once', async () => {
    app = await startTestApp();
    await installFor([...REMINDED, 'HS']);
    const first = await app.sweep(MONDAY);
    const second = await app.sweep(MONDAY);
    expect(first.workingTime).toBe(true);
    expect(second.sent).toBe(0);
    expect(second.alreadyHandled).toBe(first.sent);
    for (const initials of REMINDED) {
      const reminders = deliveredTo(initials).filter((c) => cardText(c.body.attachments?.[0]?.content).includes('Reminder'));
      expect(reminders, initials).toHaveLength(1);
    }
    expect(deliveredTo('HS')).toHaveLength(0);
    // The chair also gets this week's digest, once.
    expect(deliveredTo('MG').filter((c) => cardText(cardOf(c.body)).includes('Weekly digest'))).toHaveLength(1);
    const ledger = await listAll(app.store.deliveries, {});
    expect(ledger.every((d) => d.status === 'sent' && d.activityId)).toBe(true);
    expect(ledger.map((d) => d.id)).toContain('reminder:act-exec-3-08:2026-11-17:on-day:mem-tn');
  });

  it('with the connector answering 429 (Retry-After) to every third send, every reminder still arrives once and none twice', async () => {
    app = await startTestApp();
    await installFor(REMINDED);
    connector.failEvery(3, { status: 429, retryAfterSeconds: 1 });
    const result = await app.sweep(MONDAY);
    expect(result.failed).toBe(0);
    expect(connector.received.some((c) => c.status === 429)).toBe(true);
    for (const initials of REMINDED) {
      expect(deliveredTo(initials).filter((c) => cardText(cardOf(c.body)).includes('Reminder')), initials).toHaveLength(1);
    }
    const ledger = await listAll(app.store.deliveries, {});
    expect(ledger.every((d) => d.status === 'sent')).toBe(true);
    expect(ledger.some((d) => d.attempts > 1)).toBe(true);
    expect((await app.sweep(MONDAY)).sent).toBe(0);
  }, 60_000);

  it('a user who blocked the bot (403) is recorded once, not retried, and shown to the secretariat', async () => {
    app = await startTestApp();
    await installFor(['TN', 'AM']);
    connector.block(teamsUser('TN').personalConversationId);
    await app.sweep(MONDAY);
    const calls = connector.received.filter((c) => c.conversationId === teamsUser('TN').personalConversationId && c.method === 'POST' && /\/activities$/.test(c.path));
    expect(calls).toHaveLength(1);
    const failed = await listAll(app.store.deliveries, { status: 'failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ failureCode: 'MessageWritesBlocked', attempts: 1, subjectId: 'act-exec-3-08' });
    const view = await app.as('AM', '/api/tab/bot/deliveries/failed');
    expect(view.body.failures).toEqual([expect.objectContaining({ failureCode: 'MessageWritesBlocked', kind: 'action-reminder' })]);
  });

  it('5xx twice then success: delivered once after backing off', async () => {
    app = await startTestApp();
    await installFor(['TN']);
    connector.failNext(2, { status: 503 });
    const result = await app.sweep(MONDAY);
    expect(result.sent).toBe(1);
    expect(deliveredTo('TN')).toHaveLength(1);
    expect((await listAll(app.store.deliveries, {}))[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('a delivery left pending by a crashed sweep is retried only after the lease', async () => {
    app = await startTestApp();
    await installFor(['TN']);
    const id = 'reminder:act-exec-3-08:2026-11-17:on-day:mem-tn';
    await app.store.deliveries.create({
      id,
      kind: 'action-reminder',
      subjectId: 'act-exec-3-08',
      conversationId: teamsUser('TN').personalConversationId,
      status: 'pending',
      attempts: 0,
      createdAt: '2026-11-23T09:55:00.000Z',
      lastAttemptAt: '2026-11-23T09:55:00.000Z',
      activityId: null,
      failureCode: null,
    });
    expect((await app.sweep(MONDAY)).sent).toBe(0);
    expect((await app.sweep(new Date('2026-11-23T10:06:00Z'))).sent).toBe(1);
    expect((await app.store.deliveries.get(id))!.status).toBe('sent');
  });

  it('sends nothing outside working hours, at weekends or on bank holidays', async () => {
    app = await startTestApp();
    await installFor(['TN']);
    for (const at of ['2026-11-23T07:30:00Z', '2026-11-28T10:00:00Z', '2026-12-28T10:00:00Z']) {
      expect((await app.sweep(new Date(at))).workingTime).toBe(false);
    }
    expect(delivered()).toHaveLength(0);
  });

  it('members without a personal install are counted, not skipped silently, and get their reminder once they install', async () => {
    app = await startTestApp();
    const before = await app.sweep(MONDAY);
    expect(before.sent).toBe(0);
    expect(before.unreachable).toBeGreaterThanOrEqual(REMINDED.length);
    await installFor(['TN']);
    expect((await app.sweep(MONDAY)).sent).toBe(1);
  });
});

/** Tuesday 24 Nov 2026: 14 days before the paper deadline (8 Dec; the next Exec is on 15 Dec, out of Christmas week), when leads are first asked for their reports. */
const PROMPT_DAY = new Date('2026-11-24T10:00:00Z');
const PROMPT_HEADING = 'Your theme report for the next Exec';
/** The leads whose reports for the next Exec are still to come in the demo, and their reports. */
const REPORT_OF: Record<string, string> = { TN: 'rnd-exec-4:thm-safer-communities', SH: 'rnd-exec-4:thm-safer-families', RS: 'rnd-exec-4:thm-mental-health' };
const LEADS = Object.keys(REPORT_OF);

/**
 * While the first prompt is on the wire, the other leads send their reports in (from the tab,
 * say): by the time the sweep reaches their prompts there is nothing left to ask for.
 */
function reportsArriveMidSweep(): { readonly promptedFirst: () => string | null } {
  let first: string | null = null;
  connector.onPosted(async (posted) => {
    if (first || !cardText(cardOf(posted.activity)).includes(PROMPT_HEADING)) return;
    first = LEADS.find((lead) => teamsUser(lead).personalConversationId === posted.conversationId) ?? 'someone else';
    for (const lead of LEADS.filter((l) => l !== first)) {
      const saved = await submitReport(app.store, await loadRequestContext(app.store, `mem-${lead.toLowerCase()}`, PROMPT_DAY), REPORT_OF[lead]!, { progress: 'In.', asks: '', risks: 'None.', data: '', rag: 'green' });
      if (!saved.ok) throw new Error(`${lead}'s report was not saved: ${saved.error.code}`);
    }
  });
  return { promptedFirst: () => first };
}

describe('a planned message with nothing left to say', () => {
  it('is recorded as skipped (NOTHING_TO_SEND), not failed, counted as skipped, and kept off the secretariat\'s failure list', async () => {
    app = await startTestApp();
    await installFor(LEADS);
    const arrival = reportsArriveMidSweep();
    const result = await app.sweep(PROMPT_DAY);
    expect(LEADS).toContain(arrival.promptedFirst());
    expect(result).toMatchObject({ failed: 0, skipped: 2, inDoubt: 0 });
    const prompts = (await listAll(app.store.deliveries, {})).filter((d) => d.id.startsWith('report-prompt:'));
    expect(prompts.map((d) => d.status).sort()).toEqual(['sent', 'skipped', 'skipped']);
    for (const line of prompts.filter((d) => d.status === 'skipped')) expect(line).toMatchObject({ failureCode: 'NOTHING_TO_SEND', activityId: null, attempts: 0 });
    for (const lead of LEADS.filter((l) => l !== arrival.promptedFirst())) {
      expect(deliveredTo(lead).filter((c) => cardText(cardOf(c.body)).includes(PROMPT_HEADING)), lead).toHaveLength(0);
    }
    expect(await listAll(app.store.deliveries, { status: 'failed' })).toEqual([]);
    const failures = await app.as('AM', '/api/tab/bot/deliveries/failed');
    expect(failures.status).toBe(200);
    expect(failures.body.failures).toEqual([]);
    // A later sweep finds the lines and passes them by.
    expect(await app.sweep(PROMPT_DAY)).toMatchObject({ sent: 0, failed: 0, skipped: 0 });
  });
});

describe('npm run sweep -- --at', () => {
  it('exits 0 when the only thing that did not go out had nothing left to say', async () => {
    app = await startTestApp();
    await installFor(LEADS);
    reportsArriveMidSweep();
    // execFile rejects on any exit code but 0.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/sweep.ts', '--at', PROMPT_DAY.toISOString()], {
      env: { ...process.env, DATA_DIR: app.dataDir, SCHEDULER: 'off', NODE_ENV: 'test', SEED_DEMO: 'false' },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim())).toMatchObject({ failed: 0, skipped: 2 });
  }, 90_000);

  it('run twice at the same instant from the command line, sends each reminder once', async () => {
    app = await startTestApp();
    await installFor(['TN', 'TW']);
    const cli = () =>
      run(process.execPath, ['--import', 'tsx', 'scripts/sweep.ts', '--at', '2026-11-23T10:00:00Z'], {
        env: { ...process.env, DATA_DIR: app.dataDir, SCHEDULER: 'off', NODE_ENV: 'test', SEED_DEMO: 'false' },
        timeout: 60_000,
      });
    const first = JSON.parse((await cli()).stdout.trim());
    const second = JSON.parse((await cli()).stdout.trim());
    expect(first.sent).toBe(2);
    expect(second).toMatchObject({ sent: 0, alreadyHandled: 2 });
    expect(deliveredTo('TN')).toHaveLength(1);
    expect(deliveredTo('TW')).toHaveLength(1);
  }, 90_000);

  it('refuses a bad --at with exit code 2', async () => {
    app = await startTestApp();
    await expect(run(process.execPath, ['--import', 'tsx', 'scripts/sweep.ts', '--at', 'next tuesday'], { env: { ...process.env, DATA_DIR: app.dataDir } })).rejects.toMatchObject({ code: 2 });
  }, 60_000);
});
