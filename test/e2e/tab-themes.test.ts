import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import { closeDemoTab, startDemoTab } from '../support/tab-pages.js';
import { openBrowser, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.js';

/** Relative luminance (0 black … 1 white) of the tab's background, as Chromium painted it. */
async function backgroundLuminance(page: Page): Promise<number> {
  const colour = await page.locator('[data-theme]').evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? []).map(Number) as [number, number, number];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

async function signIn(page: Page, url: string, initials: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('combobox', { name: 'Demo member', exact: true }).selectOption(initials);
  await page.getByTestId('signed-in-as').waitFor();
}

describe('the tab in the dark and high-contrast themes', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => ({ app, browser } = await startDemoTab()));
  afterAll(() => closeDemoTab(browser, app));

  it('follows ?theme=dark, and is light without it', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/`, 'MG');
    expect(await page.locator('[data-theme]').getAttribute('data-theme')).toBe('light');
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);
    await signIn(page, `${app.url}/tab/?theme=dark`, 'MG');
    expect(await page.locator('[data-theme]').getAttribute('data-theme')).toBe('dark');
    expect(await backgroundLuminance(page)).toBeLessThan(0.2);
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('19 actions');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-action-log-dark.png') });
  });

  it('shows matters arising for the next meeting in the dark theme', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Matters arising' }).click();
    const section = page.getByRole('region', { name: /Actions from the meeting of/ });
    await section.waitFor();
    expect(await section.textContent()).toMatch(/involved in developing a proposal/);
    expect(await page.getByRole('region', { name: 'Theme reports' }).textContent()).toMatch(/Domestic abuse \(HS\)Submitted/);
    expect(await page.getByRole('region', { name: 'Actions rolled over more than once' }).textContent()).toMatch(/Home Office/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-matters-arising-dark.png') });
  });

  it('shows the governance lists, with the authorities the Exec is missing', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Governance' }).click();
    const exec = page.getByRole('region', { name: 'Safer Plymouth Exec' });
    await exec.waitFor();
    const text = await exec.textContent();
    expect(text).toMatch(/No Fire and rescue member/);
    expect(text).toMatch(/Probation: nobody at the last 3 meetings/);
    expect(text).toMatch(/MG – Matt Garrett/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-governance-dark.png') });
  });

  it('lets the secretariat edit a membership, and only shows members the lists', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/?theme=dark&view=governance`, 'CC');
    await page.getByRole('region', { name: 'Safer Plymouth Exec' }).waitFor();
    expect(await page.getByRole('button', { name: /^Edit / }).count()).toBe(0);
    await signIn(page, `${app.url}/tab/?theme=dark&view=governance`, 'AM');
    await page.getByRole('button', { name: 'Edit CC in Safer Plymouth Exec' }).click();
    await page.getByRole('checkbox', { name: 'Decision-maker for their organisation' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const stored = await app.store.memberships.get('ms-exec-cc');
    expect(stored?.decisionMaker).toBe(true);
  });

  it('uses the high-contrast theme for ?theme=contrast', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/?theme=contrast`, 'MG');
    expect(await page.locator('[data-theme]').getAttribute('data-theme')).toBe('contrast');
    expect(await backgroundLuminance(page)).toBeLessThan(0.1);
  });

  it('serves the channel-tab configuration page, which says what to open outside Teams', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/config.html`);
    await page.getByRole('radio', { name: 'Matters arising for the next meeting' }).check();
    expect(await page.getByTestId('config-outside-teams').textContent()).toContain(`${app.url}/tab/index.html?view=matters`);
  });
});

describe('the tab at phone width (390 px)', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await openBrowser({ width: 390, height: 844 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the log as cards that fit the screen', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/`, 'MG');
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('19 actions');
    expect(await page.locator('table[aria-label="Action log"]').count()).toBe(0);
    expect(await page.locator('[data-action-id]').count()).toBe(19);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-action-log-phone.png') });
  });

  it('lets the chair filter, open an action full screen and add an update', async () => {
    const { page } = browser;
    await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('proposed-complete');
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('1 action');
    await page.locator('[data-action-id="act-exec-3-15"]').click();
    await page.getByTestId('action-detail').waitFor();
    await page.getByLabel('Update', { exact: true }).fill('Confirmed on the agenda: closing.');
    await page.getByRole('button', { name: 'Add update' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'History' }).textContent()).toMatch(/Confirmed on the agenda: closing\./);
    await page.getByRole('button', { name: 'Close action' }).click();
    await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('Closed');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-action-detail-phone.png') });
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('0 actions');
  });

  it('lets an owner (TN) update their own action but not close it; a member reads only', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/`, 'TN');
    await page.locator('[data-action-id="act-exec-3-08"]').click();
    await page.getByTestId('action-detail').waitFor();
    expect(await page.getByRole('button', { name: 'Close action' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Request new date' }).count()).toBe(1);
    const options = await page.getByRole('combobox', { name: 'New status', exact: true }).locator('option').allTextContents();
    expect(options).toEqual(['Choose…', 'In progress', 'Proposed complete']);
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await signIn(page, `${app.url}/tab/`, 'CC');
    await page.locator('[data-action-id="act-exec-3-08"]').click();
    await page.getByTestId('action-detail').waitFor();
    expect(await page.getByTestId('action-detail').textContent()).toMatch(/You can read this action/);
    expect(await page.getByRole('button', { name: 'Add update' }).count()).toBe(0);
  });
});
