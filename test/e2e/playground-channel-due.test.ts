/**
 * The board channel's weekly "due and overdue" card in the Microsoft 365 Agents Playground (offline,
 * loopback only), driven in headless Chromium as the chair: the app is installed in the Playground's
 * team, the sweep posts the card into its General channel, and the Playground shows it with titles and
 * owners' initials. The Playground (0.2.28) does not support Universal Actions' user-specific views:
 * it logs "User specific view is not supported yet" and never sends the card's refresh, so an owner's
 * view with buttons cannot be shown here (that is tested through the Bot Connector stand-in, in
 * test/integration/bot-channel-due.test.ts). This test says so by checking it: should a Playground
 * release start sending the refresh, it fails, and should become the owner's-view check.
 * Also: the Playground re-sends install events on each page load; the welcome still goes once.
 * Screenshots go to test-output/. Skipped when Chromium is not installed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DEFAULT_PLAYGROUND_CONFIG, isLoopbackAddress, startPlayground, type RunningPlayground } from '../support/playground.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(process.cwd(), 'test-output');
/** The Playground's team (.m365agentsplayground.yml): its General channel's conversation id is the team id. */
const PLAYGROUND_CHANNEL = '19:playground-team-general@thread.tacv2';
const MONDAY = new Date('2026-11-23T10:00:00Z');

let app: TestApp;
let playground: RunningPlayground;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(OUT, `playground-${name}.png`), fullPage: true });

describe.skipIf(!existsSync(CHROMIUM))('the weekly channel card in the Agents Playground', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    app = await startTestApp({ env: { EXEC_CHANNEL_ID: PLAYGROUND_CHANNEL } });
    playground = await startPlayground({ botEndpoint: `${app.url}/api/messages`, configPath: DEFAULT_PLAYGROUND_CONFIG });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await page.route('**/*', (route) => (isLoopbackAddress(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
    await page.goto(playground.url);
    await page.locator('[data-lexical-editor=true]').first().waitFor({ timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await app?.close();
  });

  it('the welcome goes once, though each page load sends the install events again', async () => {
    await page.getByText('Welcome to Safer Exec').first().waitFor({ timeout: 20_000 });
    const installEvents = () => app.logs.filter((l) => l.event === 'bot.installed' && l.fields['conversationId'] === 'a:playground-personal-mg').length;
    const first = installEvents();
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) {
      await page.reload();
      await page.locator('[data-lexical-editor=true]').first().waitFor({ timeout: 30_000 });
    }
    await expect.poll(installEvents, { timeout: 20_000 }).toBeGreaterThan(first);
    // The Playground keeps no history across page loads: a welcome on screen now would be a second one.
    await page.waitForTimeout(2_000);
    expect(await page.getByText('Welcome to Safer Exec').count()).toBe(0);
    const welcomes = (await listAll(app.store.deliveries, {})).filter((d) => d.kind === 'welcome');
    expect(welcomes).toEqual([expect.objectContaining({ conversationId: 'a:playground-personal-mg', status: 'sent' })]);
  }, 90_000);

  it('the sweep posts the card into the channel: titles and initials, read-only; the Playground does not send its refresh', async () => {
    await page.getByText('General', { exact: true }).first().click();
    await expect.poll(async () => (await app.store.installs.get(PLAYGROUND_CHANNEL))?.scope, { timeout: 20_000 }).toBe('team');
    // The chair is linked to her Teams id by her personal install: she is one of the card's refresh.userIds.
    expect((await app.store.members.get('mem-mg'))!.teamsUserId).toBe('29:playground-mg');

    await app.sweep(MONDAY);
    const line = await app.store.deliveries.get('channel-due:2026-11-23');
    expect(line).toMatchObject({ kind: 'channel-due', status: 'sent', conversationId: PLAYGROUND_CHANNEL });
    await page.getByText('Actions due and overdue: week of 23 Nov 2026').first().waitFor({ timeout: 20_000 });
    await expect(page.getByText(/MG, JK · due 3 Nov 2026 \(20 days overdue\)/).count()).resolves.toBe(1);
    await expect(page.getByText(/TN to enquire about what safeguarding training the street pastors/).count()).resolves.toBeGreaterThan(0);
    expect(await page.getByText(/Matt Garrett|Tracey|Jackie Kings/).and(page.locator('.ac-textBlock')).count()).toBe(0);

    // What a client with Universal Actions would do now (ask for the chair's view) does not happen here.
    await page.getByText(/User specific view is not supported yet/).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(3_000);
    expect(app.logs.filter((l) => l.event === 'bot.channel_due')).toEqual([]);
    expect(await page.getByRole('button', { name: 'Mark done' }).count()).toBe(0);
    await shot('channel-due');
  }, 90_000);
});
