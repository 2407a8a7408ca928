import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { axeViolations, describeViolations } from '../support/axe.js';
import { openMeeting } from '../support/tab-pages.js';
import { openBrowser, type TestBrowser } from '../support/browser.js';

const ACTION_TABLE = readFileSync(new URL('../fixtures/minutes/action-table.txt', import.meta.url), 'utf8');
/** The demo's last Exec (6 October 2026 on the test clock): the minutes are imported into it. */
const MEETING = 'mtg-exec-3';

describe('the secretariat imports a meeting\u2019s actions from pasted minutes, in Chromium', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await openBrowser({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('pastes, sees each action with what to check, corrects one, leaves one out, and imports the rest once', async () => {
    const { page } = browser;
    const detail = await openMeeting(page, app.url, 'AM', MEETING);
    const before = (await app.as('AM', `/api/tab/actions?meeting=${MEETING}`)).body.total as number;

    await detail.getByRole('button', { name: 'Import actions from minutes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import actions from the minutes of 6 October 2026' });
    await dialog.getByRole('textbox', { name: 'Minutes text' }).fill(ACTION_TABLE);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('A table of actions: 22 actions found; 2 need checking.');
    expect(await dialog.getByTestId('minutes-import-proposal').count()).toBe(22);
    // Nothing is saved by the preview.
    expect((await app.as('AM', `/api/tab/actions?meeting=${MEETING}`)).body.total).toBe(before);

    const unknown = dialog.getByRole('group', { name: 'Action 14, minute 6.3' });
    expect(await unknown.textContent()).toContain('No one on the board has the initials PB');
    // The proposals step passes axe too (WCAG 2.2 AA), doubts and all.
    expect(describeViolations('minutes import, proposals', await axeViolations(page, '[role="dialog"]'))).toEqual([]);

    await unknown.getByRole('checkbox', { name: 'Import this action' }).uncheck();
    const first = dialog.getByRole('group', { name: 'Action 1, minute 2.2' });
    await first.getByRole('textbox', { name: 'What was agreed' }).fill('TN to circulate the final Safer Communities terms of reference.');
    await dialog.getByRole('button', { name: 'Import 21 actions' }).click();
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/21 actions added to the log for the meeting of 6 October 2026/);

    const after = await app.as('AM', `/api/tab/actions?meeting=${MEETING}&limit=500`);
    expect(after.body.total).toBe(before + 21);
    expect(after.body.items.some((a: { text: string }) => a.text === 'TN to circulate the final Safer Communities terms of reference.')).toBe(true);
    expect(after.body.items.some((a: { text: string }) => a.text.includes('hosting costs'))).toBe(false);

    // The same minutes again: the same import, nothing new.
    await detail.getByRole('button', { name: 'Import actions from minutes' }).click();
    await dialog.getByRole('textbox', { name: 'Minutes text' }).fill(ACTION_TABLE);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByRole('group', { name: 'Action 14, minute 6.3' }).getByRole('checkbox', { name: 'Import this action' }).uncheck();
    await dialog.getByRole('group', { name: 'Action 1, minute 2.2' }).getByRole('textbox', { name: 'What was agreed' }).fill('TN to circulate the final Safer Communities terms of reference.');
    await dialog.getByRole('button', { name: 'Import 21 actions' }).click();
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/Nothing new: these 21 actions were already imported/);
    expect((await app.as('AM', `/api/tab/actions?meeting=${MEETING}`)).body.total).toBe(before + 21);
  }, 120_000);
});
