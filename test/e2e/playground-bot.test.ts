/**
 * End to end in a Teams-like client: the Microsoft 365 Agents Playground (offline, loopback
 * only) talks to the real server; headless Chromium drives its UI as the chair (Matt Garrett
 * in .m365agentsplayground.yml): type "my actions", open an action from the card, mark it done
 * and see the card change in place; the tab API then shows the new status. Screenshots go to
 * test-output/. Skipped when Chromium is not installed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { DEFAULT_PLAYGROUND_CONFIG, isLoopbackAddress, startPlayground, type RunningPlayground } from '../support/playground.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(process.cwd(), 'test-output');

let app: TestApp;
let playground: RunningPlayground;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(OUT, `playground-${name}.png`), fullPage: true });

describe.skipIf(!existsSync(CHROMIUM))('the bot in the Agents Playground', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    app = await startTestApp();
    playground = await startPlayground({ botEndpoint: `${app.url}/api/messages`, configPath: DEFAULT_PLAYGROUND_CONFIG });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Nothing leaves this machine: the Playground UI asks a CDN for fonts.
    await page.route('**/*', (route) => (isLoopbackAddress(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
    await page.goto(playground.url);
    await page.locator('[data-lexical-editor=true]').first().waitFor({ timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await app?.close();
  });

  it('type "my actions", open one, mark it done: the card changes in place and the tab sees it', async () => {
    const composer = page.locator('[data-lexical-editor=true]').first();
    await composer.click();
    await composer.type('my actions');
    await page.keyboard.press('Enter');
    await page.getByText('Your actions', { exact: true }).first().waitFor({ timeout: 20_000 });
    await shot('my-actions');

    await page.getByRole('button', { name: 'Open' }).first().click();
    await page.getByText('Your action', { exact: true }).first().waitFor({ timeout: 20_000 });
    // Replaced in place: the list card is gone, not followed by a second message.
    expect(await page.getByText('Your actions', { exact: true }).count()).toBe(0);
    await shot('action-opened');

    await page.getByRole('button', { name: 'Mark done' }).first().click();
    await page.getByText(/Marked done/).first().waitFor({ timeout: 20_000 });
    await expect(page.getByText('Proposed complete', { exact: true }).count()).resolves.toBeGreaterThan(0);
    await shot('action-marked-done');

    const log = await app.as('MG', '/api/tab/actions?status=proposed-complete');
    const ids = log.body.items.map((a: { id: string }) => a.id);
    expect(ids.some((id: string) => id === 'act-exec-3-05' || id === 'act-exec-3-07')).toBe(true);
  }, 90_000);
});
