/**
 * Issue 13, item 4: a card press is answered within its deadline whatever the store does. When the
 * write is slow (a slowed Graph wire) or Graph asks for a Retry-After longer than the time left, the
 * press is answered with the card saying "Saving… this card will update", the change is saved once
 * in the background (a re-delivery of the same press joins it), and the card is then updated in
 * place through the Bot Connector. Driven over HTTP as Teams drives the bot, on SharePoint lists
 * over the Graph stand-in, with real waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_VERBS } from '../../bot/cards/verbs.js';
import type { FetchLike } from '../../bot/store/sharepoint/graph-client.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { provisionedStandIn } from '../support/sharepoint-stand-in-store.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { cardOf, cardText, execute, message, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';
import type { GraphStandIn } from '../stand-ins/graph-sharepoint.js';

const DEADLINE_MS = 2_000;
const TN = teamsUser('TN');
const ACTION_ID = 'act-exec-3-08';

let standIn: GraphStandIn;
let connector: BotConnectorStandIn;
let app: TestApp;
/** Added before every item write (PATCH) while set: a slow SharePoint. */
let slowWritesMs = 0;

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
  standIn = await provisionedStandIn({ retryAfterSeconds: 3 });
  const slowFetch: FetchLike = async (input, init) => {
    if (slowWritesMs > 0 && init.method === 'PATCH') await new Promise((resolve) => setTimeout(resolve, slowWritesMs));
    return standIn.fetch(input, init);
  };
  app = await startTestApp({
    env: { STORE: 'sharepoint', SHAREPOINT_SITE_ID: standIn.siteId, GRAPH_BASE_URL: standIn.baseUrl, INVOKE_DEADLINE_MS: String(DEADLINE_MS) },
    store: { graph: { fetch: slowFetch, customHosts: [standIn.host], tokenProvider: async () => standIn.token } },
  });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await standIn?.close();
  await connector?.close();
});

/** TN's personal chat gets a card (the bot's reply to "my actions"); its message id is what a press on it names. */
async function cardMessageId(): Promise<string> {
  const before = connector.messagesIn(TN.personalConversationId).length;
  expect((await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'my actions'))).status).toBe(200);
  const messages = connector.messagesIn(TN.personalConversationId);
  expect(messages.length).toBe(before + 1);
  return messages.at(-1)!.id;
}

/** Opens the action on the card (as "Open" does), so the bot has shown it. */
async function open(replyToId: string): Promise<string> {
  const action = (await app.store.actions.get(ACTION_ID))!;
  const activity = { ...execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.show, { actionId: ACTION_ID }), replyToId };
  const answer = await postActivity(app.url, activity);
  expect(cardText(answer.body.value)).toContain(action.text.slice(0, 30));
  return action.version;
}

function notesSaying(note: string): number {
  return standIn.items('SaferExec Actions').reduce((n, item) => n + JSON.stringify(item).split(note).length - 1, 0);
}

async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}


describe('a card press on a slow store', () => {
  it('is answered by the deadline saying it is saving, saves the change once, then updates the card in place', async () => {
    const replyToId = await cardMessageId();
    const version = await open(replyToId);
    const note = `Deadline note ${Date.now()}`;
    const press = { ...execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.addUpdate, { actionId: ACTION_ID, version, note }), replyToId };
    slowWritesMs = DEADLINE_MS * 2;
    try {
      const [answer, again] = await Promise.all([
        postActivity(app.url, press),
        // Teams re-delivers a slow press with the same activity id: it joins the same work.
        new Promise((resolve) => setTimeout(resolve, 200)).then(() => postActivity(app.url, press)),
      ]);
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(DEADLINE_MS + 700);
      const text = cardText(answer.body.value);
      expect(text).toContain('Saving\u2026 this card will update.');
      // The rest of the card is kept: the action's own words, without buttons to press again.
      expect(text).toContain((await app.store.actions.get(ACTION_ID))!.text.slice(0, 30));
      expect(JSON.stringify(answer.body.value)).not.toContain(ACTION_VERBS.markDone);
      expect(cardText(again.body.value)).toContain('Saving\u2026 this card will update.');
      expect(notesSaying(note)).toBe(0);
    } finally {
      slowWritesMs = 0;
    }
    await waitFor(() => connector.messagesIn(TN.personalConversationId).find((m) => m.id === replyToId)!.versions.length > 1, 'the card to be updated in place');
    const updated = connector.messagesIn(TN.personalConversationId).find((m) => m.id === replyToId)!;
    expect(updated.versions.length).toBe(2);
    expect(cardText(cardOf(updated.activity))).toContain('Update saved.');
    expect(notesSaying(note)).toBe(1);
    const action = (await app.store.actions.get(ACTION_ID))!;
    expect(action.history.filter((h) => h.note === note)).toHaveLength(1);
  }, 60_000);

  it('answers at once when Graph asks to wait longer than the time left, and finishes the change after the wait', async () => {
    const replyToId = await cardMessageId();
    const version = await open(replyToId);
    const note = `Retry-After note ${Date.now()}`;
    standIn.failNext('items.update', '429');
    const answer = await postActivity(app.url, { ...execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.addUpdate, { actionId: ACTION_ID, version, note }), replyToId });
    expect(answer.status).toBe(200);
    // The Retry-After (3 s) is longer than the deadline: the person is not kept waiting for it at all.
    expect(answer.ms).toBeLessThan(DEADLINE_MS);
    expect(cardText(answer.body.value)).toContain('Saving\u2026 this card will update.');
    expect(standIn.requests.some((r) => r.operation === 'items.update' && r.status === 429)).toBe(true);
    await waitFor(() => connector.messagesIn(TN.personalConversationId).find((m) => m.id === replyToId)!.versions.length > 1, 'the card to be updated after the Retry-After');
    const updated = connector.messagesIn(TN.personalConversationId).find((m) => m.id === replyToId)!;
    expect(cardText(cardOf(updated.activity))).toContain('Update saved.');
    expect(notesSaying(note)).toBe(1);
  }, 60_000);

  it('answers a press done in time with the saved card and updates nothing', async () => {
    const replyToId = await cardMessageId();
    const version = await open(replyToId);
    const note = `Quick note ${Date.now()}`;
    const answer = await postActivity(app.url, { ...execute(personal(connector.serviceUrl, TN), TN, ACTION_VERBS.addUpdate, { actionId: ACTION_ID, version, note }), replyToId });
    expect(cardText(answer.body.value)).toContain('Update saved.');
    expect(cardText(answer.body.value)).not.toContain('Saving');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connector.messagesIn(TN.personalConversationId).find((m) => m.id === replyToId)!.versions.length).toBe(1);
    expect(notesSaying(note)).toBe(1);
  }, 60_000);
});
