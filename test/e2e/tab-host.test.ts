import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import { openBrowser, type TestBrowser } from '../support/browser.js';

const theme = (page: Page) => page.locator('[data-theme]').getAttribute('data-theme');

/** Outside Teams the tab follows the system's colour scheme and contrast; ?theme still wins. */
describe('the tab outside Teams follows the system theme', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('is dark on a dark system, and changes with it without a reload', async () => {
    const { page } = browser;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${app.url}/tab/`);
    await expect.poll(() => theme(page)).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => theme(page)).toBe('light');
  });

  it('is high contrast when the system forces colours, and ?theme overrides the system', async () => {
    const { page } = browser;
    await page.emulateMedia({ colorScheme: 'light', forcedColors: 'active' });
    await page.goto(`${app.url}/tab/`);
    await expect.poll(() => theme(page)).toBe('contrast');
    await page.goto(`${app.url}/tab/?theme=dark`);
    await expect.poll(() => theme(page)).toBe('dark');
    await page.emulateMedia({ forcedColors: 'none', colorScheme: 'light' });
    await page.waitForTimeout(100);
    expect(await theme(page)).toBe('dark');
  });
});

describe('the demo member picker on an empty store', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    app = await startTestApp({ env: { SEED_DEMO: 'false' } });
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('says to run the set-up instead of offering an empty list', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/`);
    await expect.poll(() => page.getByTestId('no-demo-members').textContent()).toBe('No members yet: run npm run setup (see README)');
    expect(await page.getByRole('combobox', { name: 'Demo member' }).count()).toBe(0);
  });
});
