/**
 * Theme-lead reports through the bot: the sweep prompts each lead who has not reported and
 * posts one "x of y themes reported" card in the Exec channel; a lead submits and amends from
 * the card (earlier versions kept); the channel card is updated in place and never carries
 * report text or names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_VERBS } from '../../bot/cards/verbs.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { EXEC_TEAM_ID, botAdded, cardOf, cardText, execChannel, execute, message, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

/** Tuesday 24 Nov 2026: 14 days before the paper deadline (8 Dec) of the next Exec (15 Dec: the demo keeps meetings out of Christmas week). */
const PROMPT_DAY = new Date('2026-11-24T10:00:00Z');
const REPORT_ID = 'rnd-exec-4:thm-safer-communities';

let app: TestApp;
let connector: BotConnectorStandIn;
const TN = teamsUser('TN');
const MG = teamsUser('MG');

const waitFor = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

beforeAll(async () => {
  connector = await startBotConnectorStandIn();
  app = await startTestApp({ env: { EXEC_CHANNEL_ID: EXEC_TEAM_ID } });
  for (const initials of ['TN', 'SH', 'RS', 'HS', 'TW']) {
    const user = teamsUser(initials);
    await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user));
  }
  await postActivity(app.url, botAdded(execChannel(connector.serviceUrl), MG));
});

afterAll(async () => {
  await app?.close();
  await connector?.close();
});

const channelCards = () => connector.messagesIn(EXEC_TEAM_ID);
const content = (over: Record<string, string> = {}) => ({
  reportId: REPORT_ID,
  progress: 'Met in November: street pastors training agreed.',
  asks: '',
  risks: 'ASB up in the city centre.',
  data: 'ASB incidents up 8% on last year.',
  rag: 'amber',
  ...over,
});

describe('theme-lead report prompts', () => {
  it('the sweep prompts each lead who has not reported, once, and posts one progress card in the Exec channel', async () => {
    await app.sweep(PROMPT_DAY);
    await app.sweep(PROMPT_DAY);
    for (const initials of ['TN', 'SH', 'RS']) {
      const prompts = connector.messagesIn(teamsUser(initials).personalConversationId).filter((m) => cardText(cardOf(m.activity)).includes('Your theme report for the next Exec'));
      expect(prompts, initials).toHaveLength(1);
    }
    for (const initials of ['HS', 'TW']) {
      // The welcome on install mentions theme reports too: it is not a prompt.
      expect(connector.messagesIn(teamsUser(initials).personalConversationId).filter((m) => cardText(cardOf(m.activity)).includes('theme report') && !cardText(cardOf(m.activity)).includes('Welcome to Safer Exec'))).toHaveLength(0);
    }
    const progress = channelCards().filter((m) => cardText(cardOf(m.activity)).includes('themes reported'));
    expect(progress).toHaveLength(1);
    expect(cardText(cardOf(progress[0]!.activity))).toContain('2 of 5 themes reported');
  });

  it('a required field left empty is refused on the server, keeping what the lead typed', async () => {
    const response = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, REPORT_VERBS.submit, content({ risks: '' })));
    const text = cardText(response.body.value);
    expect(text).toMatch(/Not saved: Please fill in: Risks and concerns/);
    expect(JSON.stringify(response.body.value)).toContain('street pastors training agreed');
    expect((await app.store.themeReports.get(REPORT_ID))!.versions).toHaveLength(0);
  });

  it('a lead submits from the card; the channel card is updated in place to "3 of 5", with no report text or names', async () => {
    const progressCard = channelCards().find((m) => cardText(cardOf(m.activity)).includes('themes reported'))!;
    const response = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, REPORT_VERBS.submit, content()));
    expect(response.ms).toBeLessThan(5000);
    expect(cardText(response.body.value)).toContain('Saved as version 1');
    await waitFor(() => progressCard.versions.length === 2);
    const updated = cardOf(progressCard.activity);
    expect(cardText(updated)).toContain('3 of 5 themes reported');
    const json = JSON.stringify(updated);
    expect(json).not.toMatch(/street pastors|ASB|Tracey|TN\b/);
    expect(connector.received.filter((c) => c.method === 'PUT' && c.activityId === progressCard.id)).toHaveLength(1);
  });

  it('the same submission delivered again changes nothing; an amendment is a new version and the first is kept', async () => {
    const press = execute(personal(connector.serviceUrl, TN), TN, REPORT_VERBS.submit, content());
    await postActivity(app.url, press);
    expect((await app.store.themeReports.get(REPORT_ID))!.versions).toHaveLength(1);
    const amended = await postActivity(app.url, execute(personal(connector.serviceUrl, TN), TN, REPORT_VERBS.submit, content({ rag: 'green', asks: 'Funding decision on CCTV.' })));
    expect(cardText(amended.body.value)).toContain('Saved as version 2');
    const report = await app.store.themeReports.get(REPORT_ID);
    expect(report!.versions.map((v) => v.content.rag)).toEqual(['amber', 'green']);
    expect(report!.versions[0]!.content.asks).toBe('');
  });

  it('"report" afterwards shows the saved report, ready to change', async () => {
    await postActivity(app.url, message(personal(connector.serviceUrl, TN), TN, 'report'));
    const card = cardOf(connector.messagesIn(TN.personalConversationId).at(-1)!.activity);
    expect(cardText(card)).toContain('Version 2');
    expect(JSON.stringify(card)).toContain('Funding decision on CCTV.');
  });

  it('someone who is not the lead cannot submit the theme\'s report', async () => {
    const SH = teamsUser('SH');
    const response = await postActivity(app.url, execute(personal(connector.serviceUrl, SH), SH, REPORT_VERBS.submit, content({ progress: 'Not mine' })));
    expect(cardText(response.body.value)).toMatch(/Not saved: Only the theme lead/);
    expect((await app.store.themeReports.get(REPORT_ID))!.versions).toHaveLength(2);
  });

  it('logs carry ids and codes only', () => {
    const all = app.logs.map((l) => l.line).join('\n');
    expect(all).not.toMatch(/street pastors|ASB|CCTV|Tracey|Naismith/);
  });
});
