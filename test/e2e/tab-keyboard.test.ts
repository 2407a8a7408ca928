import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import { openBrowser, type TestBrowser } from '../support/browser.js';

/** Where focus is: the focused element's tag, accessible bits and whether it is one of tabster's dummies. */
async function focused(page: Page): Promise<{ dummy: boolean; actionId: string | null; role: string | null; text: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      dummy: !!el?.hasAttribute('data-tabster-dummy'),
      actionId: el?.closest('[data-action-id]')?.getAttribute('data-action-id') ?? null,
      role: el?.getAttribute('role') ?? null,
      text: el?.innerText ?? '',
    };
  });
}

/**
 * Presses Tab (or Shift+Tab) until the target has focus. After every press focus must be on
 * something real: never on one of the aria-hidden focus dummies tabster keeps in the page
 * (test/support/axe.ts excuses them from aria-hidden-focus on exactly this ground).
 */
async function tabTo(page: Page, target: Locator, { back = false, limit = 150 } = {}): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    expect((await focused(page)).dummy, 'focus rested on a tabster dummy').toBe(false);
  }
  throw new Error(`The Tab key never reached ${target.toString()}`);
}

/**
 * The chair's main tasks with the keyboard alone, on the demo data: sign in, filter the log,
 * open an action and add an update, close it and land back on its row, and switch views.
 * No mouse click anywhere.
 */
describe('the tab with the keyboard only', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await openBrowser({ width: 1280, height: 900, locale: 'en-GB' });
    await browser.page.emulateMedia({ reducedMotion: 'reduce' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs in as the chair from the demo picker', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/`);
    const picker = page.getByRole('combobox', { name: 'Demo member', exact: true });
    await tabTo(page, picker);
    await page.keyboard.type('MG');
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toMatch(/Signed in as MG \(chair\)/);
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('19 actions');
  });

  it('shows a clear focus ring on a select, not only a line under it', async () => {
    const { page } = browser;
    const owner = page.getByRole('combobox', { name: 'Owner', exact: true });
    await tabTo(page, owner);
    const ring = await owner.evaluate((el) => {
      const style = getComputedStyle(el.closest('.fui-Select')!);
      return { style: style.outlineStyle, width: style.outlineWidth };
    });
    expect(ring).toEqual({ style: 'solid', width: '2px' });
  });

  it('filters the log by owner and overdue', async () => {
    const { page } = browser;
    await page.keyboard.type('TN');
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('4 actions');
    await tabTo(page, page.getByRole('checkbox', { name: 'Overdue only' }));
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('2 actions');
  });

  it('opens an action from the log, adds an update, and on closing is back on its row', async () => {
    const { page } = browser;
    await tabTo(page, page.locator('[data-action-id="act-exec-3-08"]').getByRole('button'));
    await page.keyboard.press('Enter');
    await page.getByTestId('action-detail').waitFor();
    await tabTo(page, page.getByRole('textbox', { name: 'Update' }));
    await page.keyboard.type('Training list asked for from the pastors.');
    await tabTo(page, page.getByRole('button', { name: 'Add update' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('list', { name: 'History' }).textContent()).toMatch(/Training list asked for from the pastors\./);
    expect((await app.as('MG', '/api/tab/actions/act-exec-3-08')).body.history.at(-1)).toMatchObject({ kind: 'note', note: 'Training list asked for from the pastors.' });
    await page.keyboard.press('Escape');
    await page.getByTestId('action-detail').waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(page)).actionId).toBe('act-exec-3-08');
  });

  it('returns focus to the row also when the panel is closed with its Close button', async () => {
    const { page } = browser;
    await page.keyboard.press('Enter');
    await page.getByTestId('action-detail').waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Close', exact: true }), { back: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('action-detail').waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(page)).actionId).toBe('act-exec-3-08');
  });

  it('switches views with the arrow keys on the view tabs', async () => {
    const { page } = browser;
    // One tab stop for the whole list: Shift+Tab from the log lands on the chosen view's tab.
    await tabTo(page, page.getByRole('tab', { name: 'Action log' }), { back: true });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Matters arising' });
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Theme reports' }).waitFor();
    await page.keyboard.press('End');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Messages' });
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Action log' });
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'People' });
    await page.keyboard.press('Space');
    await page.getByRole('region', { name: 'Audit trail' }).waitFor();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('People');
    // The tab stop moved with the choice: one Tab from it leaves the list.
    await page.keyboard.press('Tab');
    expect((await focused(page)).role).not.toBe('tab');
  });

  it('types dates the British way in en-GB: 29/01/2027', async () => {
    const { page } = browser;
    await tabTo(page, page.getByRole('tab', { name: 'People' }), { back: true });
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await tabTo(page, page.locator('[data-action-id="act-exec-3-08"]').getByRole('button'));
    await page.keyboard.press('Enter');
    const due = page.getByRole('textbox', { name: 'Due date' });
    await tabTo(page, due);
    expect(await due.getAttribute('placeholder')).toBe('dd/mm/yyyy');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('29/01/2027');
    await tabTo(page, page.getByRole('button', { name: 'Set due date' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('detail-due').textContent()).toMatch(/29 Jan 2027/);
    expect((await app.as('MG', '/api/tab/actions/act-exec-3-08')).body.dueDate).toBe('2027-01-29');
    expect(await due.inputValue()).toBe('29/01/2027');
    await page.keyboard.press('Escape');
  });

  it('shows a theme report\u2019s Data and trends in matters arising, as the Word paper prints it', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/?view=matters`);
    const report = page.locator('[data-report="Domestic abuse"]');
    await report.waitFor();
    const meeting = await page.getByRole('combobox', { name: 'Matters arising for meeting' }).inputValue();
    const served = (await app.as('MG', `/api/tab/matters-arising?meeting=${meeting}`)).body;
    const data = served.reports.find((r: { themeName: string }) => r.themeName === 'Domestic abuse').content.data;
    expect(data).toBeTruthy();
    await expect.poll(() => report.locator('[data-report-section="data"]').textContent()).toBe(`Data and trends: ${data}`);
    expect(await report.locator('[data-report-section="progress"]').textContent()).toMatch(/^Progress since the last meeting: IDVA post/);
  });

  it('never left focus on anything but a real control, and reached nothing off this machine', () => {
    expect(browser.blocked.filter((url) => !url.startsWith('https://res.cdn.office.net/'))).toEqual([]);
    expect(browser.pageErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT/.test(e))).toEqual([]);
  });
});
