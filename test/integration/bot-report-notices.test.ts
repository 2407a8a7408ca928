/**
 * The chair and the secretariat hear of a theme report as it comes in when REPORT_NOTICES is
 * 'immediate': one notice per version per person, through the sweep's ledger, never twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { startBotConnectorStandIn, type BotConnectorStandIn } from '../stand-ins/bot-connector.js';
import { botAdded, cardText, personal, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

const MONDAY = new Date('2026-11-23T10:00:00Z');
let app: TestApp;
let connector: BotConnectorStandIn;

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

async function installFor(initials: readonly string[]) {
  for (const who of initials) {
    const user = teamsUser(who);
    expect((await postActivity(app.url, botAdded(personal(connector.serviceUrl, user), user))).status).toBe(200);
  }
}

const noticesTo = (initials: string) =>
  connector.received
    .filter((c) => c.method === 'POST' && c.status === 201 && c.conversationId === teamsUser(initials).personalConversationId)
    .map((c) => cardText(c.body.attachments?.[0]?.content))
    .filter((text) => /report (in|changed)/.test(text));

/** A lead's submission, as the bot's report card saves it: a new version on the round's report. */
async function submitVersion(initials: string, progress: string, at: Date) {
  const round = (await listAll(app.store.reportRounds, { meetingId: 'mtg-exec-4' }))[0]!;
  const report = (await listAll(app.store.themeReports, { roundId: round.id, leadMemberId: `mem-${initials.toLowerCase()}` }))[0]!;
  const { version, ...record } = report;
  await app.store.themeReports.update(
    { ...record, versions: [...record.versions, { content: { progress, asks: '', risks: 'None new', data: '', rag: 'amber' }, submittedAt: at.toISOString(), submittedByMemberId: report.leadMemberId! }] },
    version,
  );
}

describe('report notices', () => {
  it('immediate: the chair and secretariat get one notice per version, and the lead none for their own', async () => {
    app = await startTestApp({ env: { REPORT_NOTICES: 'immediate' } });
    await installFor(['MG', 'AM', 'SH']);
    await submitVersion('SH', 'Safer families first draft', new Date('2026-11-20T09:00:00Z'));
    await app.sweep(MONDAY);
    await app.sweep(MONDAY);
    // The demo's round already holds HS's and TW's reports from 10 November: each is told once too.
    expect(noticesTo('MG')).toEqual([
      expect.stringMatching(/^Domestic abuse: report in\nHS submitted it on 10 Nov 2026/),
      expect.stringMatching(/^Safer families: report in\nSH submitted it on 20 Nov 2026 \(RAG Amber\)/),
      expect.stringMatching(/^Supporting people: report in\nTW submitted it on 10 Nov 2026/),
    ]);
    expect(noticesTo('AM')).toHaveLength(3);
    expect(noticesTo('SH')).toHaveLength(0);
    // The notice names the theme and the lead, never the report's text.
    expect(noticesTo('MG').join('\n')).not.toContain('first draft');

    await submitVersion('SH', 'Safer families second draft', new Date('2026-11-23T09:30:00Z'));
    await app.sweep(new Date('2026-11-23T11:00:00Z'));
    expect(noticesTo('MG')).toHaveLength(4);
    expect(noticesTo('MG')[3]).toMatch(/^Safer families: report changed \(version 2\)/);
  });

  it('digest (the default): no notice outside the weekly digest', async () => {
    app = await startTestApp();
    await installFor(['MG', 'AM', 'SH']);
    await submitVersion('SH', 'Safer families first draft', new Date('2026-11-20T09:00:00Z'));
    await app.sweep(MONDAY);
    expect(noticesTo('MG')).toHaveLength(0);
    expect(noticesTo('AM')).toHaveLength(0);
  });
});
