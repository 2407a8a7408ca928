/**
 * The bot keeps one Bot Connector client per service URL (bot/teams/bot-adapter.ts) instead of
 * building one for every turn. Teams sends each conversation's activities from its region's
 * service URL, so a reply must still go back to the service URL the turn came from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { botAdded, message, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

let app: TestApp;
let emea: BotConnectorStandIn;
let americas: BotConnectorStandIn;
const TN = teamsUser('TN');
const AM = teamsUser('AM');

beforeAll(async () => {
  emea = await startBotConnectorStandIn();
  americas = await startBotConnectorStandIn();
  app = await startTestApp();
  expect((await postActivity(app.url, botAdded(personal(emea.serviceUrl, TN), TN))).status).toBe(200);
  expect((await postActivity(app.url, botAdded(personal(americas.serviceUrl, AM), AM))).status).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await emea?.close();
  await americas?.close();
});

const repliesIn = (connector: BotConnectorStandIn, conversationId: string) => connector.messagesIn(conversationId).length;

describe('replies go back where the turn came from', () => {
  it('answers each turn through its own service URL, turn after turn, with two regions interleaved', async () => {
    for (let round = 1; round <= 3; round++) {
      const tnBefore = repliesIn(emea, TN.personalConversationId);
      const amBefore = repliesIn(americas, AM.personalConversationId);
      expect((await postActivity(app.url, message(personal(emea.serviceUrl, TN), TN, 'Help'))).status).toBe(200);
      expect((await postActivity(app.url, message(personal(americas.serviceUrl, AM), AM, 'Help'))).status).toBe(200);
      expect(repliesIn(emea, TN.personalConversationId)).toBe(tnBefore + 1);
      expect(repliesIn(americas, AM.personalConversationId)).toBe(amBefore + 1);
      expect(repliesIn(emea, AM.personalConversationId)).toBe(0);
      expect(repliesIn(americas, TN.personalConversationId)).toBe(0);
    }
  });

  it('follows a conversation whose service URL changes (Teams moved it to another region)', async () => {
    const before = repliesIn(americas, TN.personalConversationId);
    expect((await postActivity(app.url, message(personal(americas.serviceUrl, TN), TN, 'Help'))).status).toBe(200);
    expect(repliesIn(americas, TN.personalConversationId)).toBe(before + 1);
  });
});
