/**
 * The chair's weekly digest: sent to the chair's personal chat (and a people-free version to
 * the Exec channel) on the first working day of the week; the chair decides date changes and
 * closes actions from it; nobody else can.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_VERBS, DIGEST_VERBS } from '../../bot/cards/verbs.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { EXEC_TEAM_ID, botAdded, cardOf, cardText, execChannel, execute, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

let app: TestApp;
let connector: BotConnectorStandIn;
const MG = teamsUser('MG');
const TN = teamsUser('TN');
const TW = teamsUser('TW');

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
  app = await startTestApp({ env: { EXEC_CHANNEL_ID: EXEC_TEAM_ID } });
  for (const user of [MG, TN, TW]) await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user));
  await postActivity(app.url, botAdded(execChannel(connector.serviceUrl), MG));
  // TW asks for a new date on an overdue action, so the digest has a decision waiting.
  const action = await app.store.actions.get('act-exec-3-04');
  const asked = await postActivity(
    app.url,
    execute(personal(connector.serviceUrl, TW), TW, ACTION_VERBS.requestDate, { actionId: action!.id, version: action!.version, proposedDate: '2027-01-15', reason: 'Barnardo\u2019s pack is being reprinted.' }),
  );
  expect(cardText(asked.body.value)).toContain('Sent to the chair');
});

afterAll(async () => {
  await app?.close();
  await connector?.close();
});

/** The digests in a conversation (the welcome on install mentions the digest too: it is not one). */
const digestsIn = (conversationId: string) =>
  connector.messagesIn(conversationId).filter((m) => /digest|This week/i.test(cardText(cardOf(m.activity))) && !cardText(cardOf(m.activity)).includes('Welcome to Safer Exec'));

describe("the chair's weekly digest", () => {
  it('goes to the chair once a week, listing overdue actions, date requests and missing reports', async () => {
    await app.sweep(new Date('2026-11-23T10:00:00Z'));
    await app.sweep(new Date('2026-11-25T10:00:00Z'));
    const digests = digestsIn(MG.personalConversationId);
    expect(digests).toHaveLength(1);
    const text = cardText(cardOf(digests[0]!.activity));
    expect(text).toMatch(/Overdue actions: \d+/);
    expect(text).toContain('New dates asked for: 1');
    expect(text).toContain('Barnardo');
    expect(text).toMatch(/Theme reports not in: 3/);
    expect(digestsIn(TN.personalConversationId)).toHaveLength(0);
  });

  it('the channel version carries counts and theme titles, no action text, reasons or people', async () => {
    const channel = digestsIn(EXEC_TEAM_ID);
    expect(channel).toHaveLength(1);
    const json = JSON.stringify(cardOf(channel[0]!.activity));
    expect(json).toContain('Overdue actions');
    expect(json).toContain('Safer communities');
    expect(json).not.toMatch(/Barnardo|TW|TN|Matt|Garrett|street pastors|Action\.Execute/);
  });

  it('a theme lead cannot approve a date change; the chair can, and the digest refreshes', async () => {
    const action = await app.store.actions.get('act-exec-3-04');
    const byTN = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, DIGEST_VERBS.approveDate, { actionId: action!.id, version: action!.version }));
    expect(cardText(byTN.body.value)).toMatch(/Not done:/);
    expect((await app.store.actions.get(action!.id))!.dateChangeRequest).not.toBeNull();

    const byChair = await postActivity(app.url, execute(personal(connector.serviceUrl, MG), MG, DIGEST_VERBS.approveDate, { actionId: action!.id, version: action!.version }));
    expect(byChair.ms).toBeLessThan(5000);
    expect(cardText(byChair.body.value)).toContain('New date approved for action 3');
    expect(cardText(byChair.body.value)).toContain('New dates asked for: none');
    const after = await app.store.actions.get(action!.id);
    expect(after!.due).toEqual({ kind: 'date', date: '2027-01-15' });
    expect(after!.dateChangeRequest).toBeNull();
  });
});
