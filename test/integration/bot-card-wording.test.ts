/**
 * Issue 14, item 3: cards that do not contradict themselves, over HTTP as Teams drives the bot.
 * After "Mark done" nothing says "overdue" beside "Proposed complete"; "my actions" counts a
 * proposed-complete action apart from the open ones; nobody who closes actions is told that "the
 * chair will close it"; a message that is not a command gets the help card saying so, repeating
 * nothing of it; a personal install gets one short welcome, however often Teams re-sends the event.
 * Assertions are on the text a person reads on the rendered cards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_VERBS } from '../../bot/cards/verbs.js';
import type { Clock } from '../../bot/services/clock.js';
import { listAll } from '../../bot/store/store.js';
import { DEFAULT_TEST_NOW, startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import {
  botAdded,
  botRemoved,
  cardOf,
  cardText,
  execChannel,
  execute,
  groupChat,
  installationUpdate,
  message,
  personal,
  postActivity,
  teamsUser,
  type TeamsUser,
} from '../stand-ins/bot-connector-activities.js';

let app: TestApp;
let connector: BotConnectorStandIn;
/** Moved on by a test that needs time to pass (an uninstall, then a new install). */
let now = DEFAULT_TEST_NOW;
const clock: Clock = { now: () => new Date(now.getTime()) };

const TN = teamsUser('TN');
const MG = teamsUser('MG');
const AM = teamsUser('AM');

const lastCardIn = (user: TeamsUser) => cardOf(connector.messagesIn(user.personalConversationId).at(-1)?.activity);
const WELCOME = 'Welcome to Safer Exec';
const welcomesIn = (conversationId: string) => connector.messagesIn(conversationId).filter((m) => cardText(cardOf(m.activity)).includes(WELCOME));

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
  app = await startTestApp({ clock });
  for (const user of [TN, MG, AM]) expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await connector?.close();
});

async function markDone(user: TeamsUser, actionId: string): Promise<string> {
  const action = (await app.store.actions.get(actionId))!;
  const response = await postActivity(app.url, execute(personal(connector.serviceUrl, user), user, ACTION_VERBS.markDone, { actionId, version: action.version }));
  expect(response.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect((await app.store.actions.get(actionId))!.status).toBe('proposed-complete');
  return cardText(response.body.value);
}

async function myActions(user: TeamsUser): Promise<{ summary: string; items: { text: string; detail: string }[] }> {
  const response = await postActivity(app.url, execute(personal(connector.serviceUrl, user), user, ACTION_VERBS.list, {}));
  const card = response.body.value;
  const containers = (card.body as any[]).filter((b) => b.type === 'Container');
  return {
    summary: card.body[1].text as string,
    items: containers.map((c) => ({ text: c.items[0].text as string, detail: c.items[1].text as string })),
  };
}

/** "3 open actions, 1 overdue." → 3; "No open actions." → 0. */
const openCount = (summary: string) => (/^No open actions/.test(summary) ? 0 : Number(/^(\d+) open actions?\b/.exec(summary)?.[1] ?? Number.NaN));

describe('after "Mark done" the card says one thing', () => {
  it('an owner: "Proposed complete", no "overdue" anywhere, and the chair will close it', async () => {
    const opened = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.show, { actionId: 'act-exec-3-08' }));
    expect(cardText(opened.body.value)).toContain('17 Nov 2026 (6 days overdue)');

    const text = await markDone(TN, 'act-exec-3-08');
    expect(text).toContain('Status: Proposed complete');
    expect(text).toContain('Due: 17 Nov 2026');
    expect(text).not.toMatch(/overdue/i);
    expect(text).toContain('The chair will close it at or before the next meeting.');
  });

  it('the chair is told she can close it herself (the tab or her digest), not that the chair will', async () => {
    const text = await markDone(MG, 'act-exec-3-05');
    expect(text).toContain('Status: Proposed complete');
    expect(text).not.toMatch(/overdue/i);
    expect(text).not.toMatch(/the chair will/i);
    expect(text).toContain('You can close it in the Safer Exec tab or from your weekly digest.');
  });

  it('the secretariat is told it can close it in the tab', async () => {
    const text = await markDone(AM, 'act-exec-3-12');
    expect(text).not.toMatch(/the chair will/i);
    expect(text).toContain('You can close it in the Safer Exec tab.');
  });
});

describe('"my actions" counts what it shows', () => {
  it('a proposed-complete action is not counted open and its line says nothing of overdue', async () => {
    const { summary, items } = await myActions(TN);
    const proposed = items.filter((i) => i.detail.endsWith('Proposed complete'));
    const open = items.filter((i) => !i.detail.endsWith('Proposed complete'));
    expect(proposed.length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(0);
    expect(openCount(summary)).toBe(open.length);
    expect(summary).toContain(`${open.filter((i) => /overdue/.test(i.detail)).length} overdue`);
    expect(summary).toContain(`${proposed.length} action${proposed.length === 1 ? '' : 's'} proposed complete`);
    expect(summary).toContain('the chair will close it');
    for (const item of proposed) expect(item.detail, item.text).not.toMatch(/overdue/i);
  });

  it('the chair\'s list tells her she closes them, not that the chair will', async () => {
    const { summary, items } = await myActions(MG);
    expect(items.some((i) => i.detail.endsWith('Proposed complete'))).toBe(true);
    expect(summary).not.toMatch(/the chair will/i);
    expect(summary).toMatch(/you can close it in the Safer Exec tab or from your weekly digest/);
  });
});

describe('a message that is not a command', () => {
  it('gets the help card with a notice that it was not understood, repeating nothing of it', async () => {
    for (const typed of ['my acitons', 'Tracey Naismith says the street pastors need training '.repeat(40)]) {
      await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, typed));
      const text = cardText(lastCardIn(TN));
      expect(text).toContain('did not understand that message');
      expect(text).toContain('my actions');
      expect(text).not.toMatch(/acitons|Tracey|Naismith|street pastors/);
    }
  });

  it('a command is answered without that notice', async () => {
    await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'help'));
    expect(cardText(lastCardIn(TN))).not.toContain('did not understand');
  });
});

describe('installing the bot', () => {
  it('a personal install gets one short welcome that says what the bot sends and how to stop it', async () => {
    for (const user of [TN, MG, AM]) expect(welcomesIn(user.personalConversationId), user.initials).toHaveLength(1);
    const text = cardText(cardOf(welcomesIn(TN.personalConversationId)[0]!.activity));
    expect(text).toMatch(/Actions you own: A reminder before each one is due/);
    expect(text).toMatch(/theme report/);
    expect(text).toMatch(/weekly digest/);
    expect(text).toMatch(/To stop the reminders, uninstall Safer Exec/);
    expect(text).toMatch(/tell the secretariat/);
    expect(text).not.toMatch(/not linked/);
    expect(JSON.stringify(cardOf(welcomesIn(TN.personalConversationId)[0]!.activity)).length).toBeLessThan(4000);
  });

  it('once per install: the install events sent again (Teams, and the Playground on each page load) send nothing more', async () => {
    const user = teamsUser('SH');
    const where = personal(connector.serviceUrl, user);
    // Both events together, as Teams sends them on a new install, then each again several times.
    await Promise.all([postActivity(app.url, botAdded(where, user)), postActivity(app.url, installationUpdate(where, user, 'add'))]);
    for (let i = 0; i < 3; i++) {
      await postActivity(app.url, botAdded(where, user));
      await postActivity(app.url, installationUpdate(where, user, 'add'));
    }
    expect(welcomesIn(user.personalConversationId)).toHaveLength(1);
    const lines = (await listAll(app.store.deliveries, {})).filter((d) => d.kind === 'welcome' && d.conversationId === user.personalConversationId);
    expect(lines).toEqual([expect.objectContaining({ status: 'sent', activityId: welcomesIn(user.personalConversationId)[0]!.id })]);
  });

  it('removed and installed again later, it is a new install: one more welcome', async () => {
    const user = teamsUser('SH');
    await postActivity(app.url, botRemoved(personal(connector.serviceUrl, user), user));
    now = new Date(now.getTime() + 60 * 60_000);
    await postActivity(app.url, installationUpdate(personal(connector.serviceUrl, user), user, 'add'));
    await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user));
    expect(welcomesIn(user.personalConversationId)).toHaveLength(2);
  });

  it('someone Teams knows but the board does not is also told how to get linked', async () => {
    const stranger: TeamsUser = { initials: 'XX', id: '29:stranger-welcome', aadObjectId: '99999999-0000-4000-8000-000000000098', personalConversationId: 'a:personal-stranger-welcome' };
    await postActivity(app.url, botAdded(personal(connector.serviceUrl, stranger), stranger));
    const welcomes = welcomesIn(stranger.personalConversationId);
    expect(welcomes).toHaveLength(1);
    expect(cardText(cardOf(welcomes[0]!.activity))).toMatch(/not linked to a member of the partnership yet/);
  });

  it('a team or group-chat install gets no welcome (it is not a personal chat)', async () => {
    await postActivity(app.url, botAdded(execChannel(connector.serviceUrl), MG));
    await postActivity(app.url, installationUpdate(groupChat(connector.serviceUrl), MG, 'add'));
    expect(welcomesIn('19:exec-team-general@thread.tacv2')).toHaveLength(0);
    expect(welcomesIn('19:exec-leads@thread.v2')).toHaveLength(0);
  });
});
