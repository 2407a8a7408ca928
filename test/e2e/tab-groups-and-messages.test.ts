import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import { openBrowser, type TestBrowser } from '../support/browser.js';
import { signIn } from '../support/tab-pages.js';

describe('groups and the bot\u2019s messages in the tab, for the chair and the secretariat', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await openBrowser({ width: 1280, height: 900 });
    await app.store.deliveries.create({
      id: 'reminder:2026-11-23:mem-tn',
      kind: 'action-reminder',
      subjectId: 'act-exec-3-08',
      conversationId: null,
      status: 'failed',
      attempts: 1,
      createdAt: '2026-11-23T09:00:00Z',
      lastAttemptAt: '2026-11-23T09:00:05Z',
      activityId: null,
      failureCode: 'MessageWritesBlocked',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lets the secretariat add a group that reports to the Exec and whose reminders go to its chair', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/?view=people`, 'AM');
    await page.getByRole('button', { name: 'Add group' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Serious Violence Partnership');
    await dialog.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Sub-group' });
    await dialog.getByRole('combobox', { name: 'Reports to' }).selectOption({ label: 'Safer Plymouth Exec' });
    await dialog.getByRole('combobox', { name: /^Reminders for the group/ }).selectOption({ label: 'Only the group\u2019s chair' });
    await dialog.getByRole('button', { name: 'Add group' }).click();
    await expect.poll(() => page.getByTestId('people-notice').textContent()).toBe('Added the group Serious Violence Partnership.');
    const groups = await app.as('AM', '/api/tab/records');
    const added = groups.body.groups.find((g: { name: string }) => g.name === 'Serious Violence Partnership');
    expect(added).toMatchObject({ kind: 'sub-group', parentGroupId: 'grp-exec', remindVia: 'chair', themeId: null });
    const row = page.locator(`[data-group-id="${added.id}"]`);
    expect(await row.textContent()).toMatch(/Sub-group.*Safer Plymouth Exec.*Only the group’s chair/);
  });

  it('lets the chair rename it and send its reminders to every member again', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/?view=people`, 'MG');
    await page.getByRole('button', { name: 'Edit the group Serious Violence Partnership' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Serious Violence Duty Partnership');
    await dialog.getByRole('combobox', { name: /^Reminders for the group/ }).selectOption({ label: 'Every current member' });
    await dialog.getByRole('button', { name: 'Save group' }).click();
    await expect.poll(() => page.getByTestId('people-notice').textContent()).toBe('Saved the group Serious Violence Duty Partnership.');
    const records = await app.as('MG', '/api/tab/records');
    expect(records.body.groups.find((g: { name: string }) => g.name === 'Serious Violence Duty Partnership')).toMatchObject({ remindVia: 'members', parentGroupId: 'grp-exec' });
    expect((await app.as('MG', '/api/tab/audit')).body.entries.some((e: { recordKind: string; byInitials: string }) => e.recordKind === 'group' && e.byInitials === 'MG')).toBe(true);
  });

  it('shows the secretariat who the bot cannot reach and which messages did not arrive, in words', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/?view=reach`, 'AM');
    const failures = page.getByRole('table', { name: 'Messages not delivered' });
    await failures.waitFor();
    const text = await failures.textContent();
    expect(text).toMatch(/Reminder about an action: Minute \S+ of \d{1,2} \w+ \d{4}/);
    expect(text).toMatch(/TN – Tracey Naismith/);
    expect(text).toMatch(/Not delivered.*blocked or removed the app/);
    expect(text).not.toMatch(/MessageWritesBlocked|act-exec|mem-tn/);
    const unreachable = await page.getByRole('region', { name: 'Members the bot cannot reach' }).textContent();
    expect(unreachable).toMatch(/not in the board’s team|No chat with the bot yet/);
  });

  it('shows a theme lead no Messages tab, and the server refuses them the lists', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/?view=reach`, 'TN');
    await page.getByTestId('action-count').waitFor();
    expect(await page.getByRole('tab', { name: 'Messages' }).count()).toBe(0);
    expect((await app.as('TN', '/api/tab/bot/deliveries/failed')).status).toBe(403);
  });
});
