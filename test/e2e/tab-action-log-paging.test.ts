import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDate } from '../../bot/domain/index.js';
import { listAll } from '../../bot/store/store.js';
import { buildBenchBoard, writeBoardThroughStore } from '../bench/bench-board.js';
import { DEFAULT_TEST_NOW, startTestApp, type TestApp } from '../support/app.js';
import { openBrowser, type TestBrowser } from '../support/browser.js';

/** Seeds the made-up board; fixed so every run sees the same log (named in the suite's title for a replay). */
const SEED = 20261123;
/** Well past the 500 rows the tab used to stop at, and not a multiple of its page size. */
const SEEDED_ACTIONS = 637;

const rowIds = (browser: TestBrowser) => browser.page.locator('tr[data-action-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action-id')!));
const countText = (browser: TestBrowser) => browser.page.getByTestId('action-count').textContent();

describe(`the tab's action log beyond one page, in Chromium, as the chair (seed ${SEED})`, () => {
  let app: TestApp;
  let browser: TestBrowser;
  /** The whole log in the tab's default order, as the API pages it out. */
  let everyId: string[];

  /** Every id of a filtered query, page after page, from the API (the order the tab must show). */
  async function idsFromApi(query: string): Promise<string[]> {
    const ids: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const res = await app.as('MG', `/api/tab/actions?limit=500&offset=${offset}${query}`);
      expect(res.status).toBe(200);
      ids.push(...(res.body.items as { id: string }[]).map((a) => a.id));
      offset = res.body.nextOffset;
    }
    return ids;
  }

  /** Presses "Show more" from the keyboard until it is gone; checks focus lands on the first new row each time. */
  async function showEverythingByKeyboard(expected: readonly string[]): Promise<void> {
    const { page } = browser;
    const more = page.getByTestId('show-more');
    for (let presses = 0; await more.count(); presses++) {
      expect(presses, 'pressed "Show more" more often than there are pages').toBeLessThan(expected.length);
      const before = (await rowIds(browser)).length;
      await more.focus();
      await page.keyboard.press('Enter');
      const firstNew = expected[before]!;
      await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-action-id]')?.getAttribute('data-action-id') ?? null)).toBe(firstNew);
      expect(await page.locator(`tr[data-action-id="${firstNew}"]`).getAttribute('aria-rowindex')).toBe(String(before + 2));
    }
  }

  beforeAll(async () => {
    app = await startTestApp();
    const board = buildBenchBoard({ actions: SEEDED_ACTIONS, members: 12, seed: SEED, today: londonDate(DEFAULT_TEST_NOW), serviceUrl: 'http://127.0.0.1:9/', prefix: 'page' });
    await writeBoardThroughStore(app.store, board, { actions: true });
    everyId = await idsFromApi('');
    browser = await openBrowser({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('says how many there are and how many are shown, and reaches the very last action by keyboard', async () => {
    const { page } = browser;
    const total = (await listAll(app.store.actions, {})).length;
    expect(total).toBe(SEEDED_ACTIONS + 19);
    expect(everyId).toHaveLength(total);
    expect(new Set(everyId).size).toBe(total);

    await page.goto(`${app.url}/tab/`);
    await page.getByRole('combobox', { name: 'Demo member', exact: true }).selectOption('MG');
    await expect.poll(() => countText(browser)).toMatch(new RegExp(`^${total} actions, showing \\d+$`));
    expect(await page.getByTestId('action-count').getAttribute('role')).toBe('status');
    expect(await page.getByRole('table', { name: 'Action log' }).getAttribute('aria-rowcount')).toBe(String(total + 1));
    const firstPage = await rowIds(browser);
    expect(firstPage.length).toBeLessThan(total);
    expect(await page.getByTestId('show-more').textContent()).toBe(`Show more (${total - firstPage.length} left)`);

    await showEverythingByKeyboard(everyId);
    expect(await rowIds(browser)).toEqual(everyId);
    await expect.poll(() => countText(browser)).toBe(`${total} actions`);
    const last = page.locator(`tr[data-action-id="${everyId.at(-1)}"]`);
    expect(await last.getAttribute('aria-rowindex')).toBe(String(total + 1));
    await last.getByRole('button').click();
    await page.getByTestId('action-detail').waitFor();
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByTestId('action-detail').waitFor({ state: 'detached' });
  });

  it('loads further pages as the chair scrolls down, until the last action is on screen', async () => {
    const { page } = browser;
    await page.reload();
    await expect.poll(() => countText(browser)).toMatch(/showing/);
    const last = page.locator(`tr[data-action-id="${everyId.at(-1)}"]`);
    for (let scrolls = 0; !(await last.count()); scrolls++) {
      expect(scrolls, 'scrolled to the end more often than there are pages').toBeLessThan(everyId.length);
      await page.mouse.wheel(0, 20_000);
      await page.waitForTimeout(50);
    }
    await last.scrollIntoViewIfNeeded();
    expect(await last.isVisible()).toBe(true);
    await expect.poll(() => countText(browser)).toBe(`${everyId.length} actions`);
    expect(await rowIds(browser)).toEqual(everyId);
    expect(await page.getByTestId('show-more').count()).toBe(0);
  });

  it('filters the whole log on the server, not the rows already loaded', async () => {
    const { page } = browser;
    await page.reload();
    await expect.poll(() => countText(browser)).toMatch(/showing/);
    // Only the first page is in the page: the closed actions after it must still all come.
    const closed = (await listAll(app.store.actions, {})).filter((a) => a.status === 'closed').map((a) => a.id);
    const closedInFirstPage = (await rowIds(browser)).filter((id) => closed.includes(id));
    expect(closed.length).toBeGreaterThan(closedInFirstPage.length);
    await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('closed');
    await expect.poll(() => countText(browser)).toMatch(new RegExp(`^${closed.length} actions`));
    await showEverythingByKeyboard(await idsFromApi('&status=closed'));
    await expect.poll(() => countText(browser)).toBe(`${closed.length} actions`);
    expect((await rowIds(browser)).sort()).toEqual([...closed].sort());
    const statuses = await page.locator('tr[data-action-id] td:nth-child(6)').allTextContents();
    expect(statuses.every((s) => s.startsWith('Closed'))).toBe(true);
  });

  it('finds by search an action that lies past the first 500 rows of the log', async () => {
    const { page } = browser;
    await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('');
    const deep = everyId.slice(500).find((id) => id.startsWith('act-page-'))!;
    const n = Number(deep.slice('act-page-'.length));
    await page.getByLabel('Search actions').fill(`Bench action ${n}:`);
    await expect.poll(() => countText(browser)).toBe('1 action');
    expect(await rowIds(browser)).toEqual([deep]);
    expect(await page.getByTestId('show-more').count()).toBe(0);
  });

  it('loads further pages on a phone-sized screen too, where the log is cards', async () => {
    const phone = await openBrowser({ width: 390, height: 844 });
    try {
      await phone.context.addInitScript(() => sessionStorage.setItem('safer-exec.dev-user', 'MG'));
      await phone.page.goto(`${app.url}/tab/`);
      await expect.poll(() => phone.page.getByTestId('action-count').textContent()).toMatch(/showing/);
      const last = phone.page.locator(`[data-action-id="${everyId.at(-1)}"]`);
      for (let scrolls = 0; !(await last.count()); scrolls++) {
        expect(scrolls, 'scrolled to the end more often than there are pages').toBeLessThan(everyId.length);
        await phone.page.mouse.wheel(0, 40_000);
        await phone.page.waitForTimeout(50);
      }
      await expect.poll(() => phone.page.getByTestId('action-count').textContent()).toBe(`${everyId.length} actions`);
      expect(await phone.page.locator('[data-action-id]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-action-id')))).toEqual(everyId);
      expect(phone.pageErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT/.test(e))).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('never reached beyond this machine except the teams-js domain list, and threw nothing', () => {
    expect(browser.blocked.filter((url) => !url.startsWith('https://res.cdn.office.net/'))).toEqual([]);
    expect(browser.pageErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT/.test(e))).toEqual([]);
  });
});
