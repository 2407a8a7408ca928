import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { openBrowser, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.js';
import { startBotConnectorStandIn, type BotConnectorStandIn, type TeamsChannelAccountWire } from '../stand-ins/bot-connector.js';
import { EXEC_TEAM_ID, TENANT_ID, botAdded, execChannel, postActivity, teamsUser } from '../stand-ins/bot-connector-activities.js';

/** Someone in the board's team in Teams who is not a person in the app yet. */
const NEWCOMER: TeamsChannelAccountWire = {
  id: '29:user-newcomer',
  name: 'Priya Newcombe',
  objectId: '11111111-2222-4333-8444-555555555555',
  email: 'Priya.Newcombe@plymouth.example',
  userPrincipalName: 'P.Newcombe@plymouth.example',
  tenantId: TENANT_ID,
  userRole: 'user',
};

describe('the secretariat adds a person from the board\u2019s team in Teams, in Chromium', () => {
  let connector: BotConnectorStandIn;
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    connector = await startBotConnectorStandIn({});
    app = await startTestApp();
    // The app is added to the Exec's team; Teams' roster lists TN (already a person) and a newcomer.
    expect((await postActivity(app.url, botAdded(execChannel(connector.serviceUrl), teamsUser('MG')))).status).toBe(200);
    const tn = teamsUser('TN');
    connector.setRoster(EXEC_TEAM_ID, [{ id: tn.id, name: 'Tracey Naismith', objectId: tn.aadObjectId, userPrincipalName: 'tn@saferplymouth.example', tenantId: TENANT_ID, userRole: 'user' }, NEWCOMER]);
    browser = await openBrowser({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await connector?.close();
  });

  it('lists the team, adds the newcomer with their Teams sign-in linked and seats them on the board', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/?view=people`);
    await page.getByRole('combobox', { name: 'Demo member', exact: true }).selectOption('AM');
    await page.getByRole('button', { name: 'List the team\u2019s members' }).click();
    const team = page.getByRole('table', { name: 'Members of the board\u2019s team in Teams' });
    await expect.poll(() => team.textContent()).toMatch(/Priya NewcombeP\.Newcombe@plymouth\.exampleAdd.*Tracey Naismithtn@saferplymouth\.exampleAlready here as TN/);

    await team.getByRole('button', { name: 'Add Priya Newcombe' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Priya Newcombe from the team' });
    expect(await dialog.getByLabel('Initials').inputValue()).toBe('PN');
    await dialog.getByLabel('Job title').fill('Head of Community Safety');
    await dialog.getByLabel('Organisation').selectOption({ label: 'Plymouth City Council' });
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await expect.poll(() => page.getByTestId('people-notice').textContent()).toBe('Added Priya Newcombe (PN) to Safer Plymouth Exec.');
    await expect.poll(() => team.textContent()).toMatch(/Already here as PN/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-team-roster.png'), fullPage: true });

    const records = (await app.as('AM', '/api/tab/records')).body;
    const pn = records.people.find((p: { initials: string }) => p.initials === 'PN');
    expect(pn).toMatchObject({ name: 'Priya Newcombe', jobTitle: 'Head of Community Safety', organisationId: 'org-council', email: 'p.newcombe@plymouth.example', entraObjectId: NEWCOMER.objectId, teamsUserId: NEWCOMER.id, current: true });
    const exec = (await app.as('AM', '/api/tab/groups')).body.groups.find((g: { id: string }) => g.id === 'grp-exec');
    expect(exec.members.find((m: { memberId: string }) => m.memberId === pn.id)).toMatchObject({ role: 'member', current: true });
    // They can sign in now: the demo picker lists current members only.
    expect((await app.as(null, '/api/tab/dev/members')).body.members.map((m: { initials: string }) => m.initials)).toContain('PN');
  });

  it('shows a theme lead no way to it', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/?view=people`);
    await page.getByRole('combobox', { name: 'Demo member', exact: true }).selectOption('TN');
    await page.getByTestId('action-count').waitFor();
    expect(await page.getByRole('button', { name: /List the team/ }).count()).toBe(0);
    expect((await app.as('TN', '/api/tab/bot/roster')).status).toBe(403);
  });
});
