import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import { openBrowser, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.js';
import { axeViolations, describeViolations } from '../support/axe.js';
import { recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { startGraphAttendanceStandIn, type GraphAttendanceStandIn } from '../stand-ins/graph-attendance.js';

/**
 * axe-core over every view of the tab, with each dialog open, for the chair (MG), the
 * secretariat (AM) and a theme lead (TN), in the light, dark and high-contrast themes, at
 * desktop and at phone width: WCAG 2.0, 2.1 and 2.2, levels A and AA, no violation allowed.
 * One server and one browser for the whole run; each theme and width is one test, so a
 * failure names every violation of that pass at once.
 */

const THEMES = ['light', 'dark', 'contrast'] as const;
type Theme = (typeof THEMES)[number];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** A scheduled meeting on the test's today, so attendance and "held" can be opened too. */
const TODAY = '2026-11-23';

interface Pass {
  readonly page: Page;
  readonly theme: Theme;
  readonly phone: boolean;
  readonly found: string[];
}

async function check(pass: Pass, where: string, within?: string): Promise<void> {
  const violations = await axeViolations(pass.page, within);
  const lines = describeViolations(`${pass.theme}${pass.phone ? ' phone' : ''} ${where}`, violations);
  pass.found.push(...lines);
  if (lines.length) appendFileSync(join(SCREENSHOT_DIR, 'axe-violations.txt'), `${lines.join('\n')}\n`);
}

const READY: Record<string, (page: Page) => Locator> = {
  actions: (page) => page.getByTestId('action-count'),
  matters: (page) => page.getByRole('region', { name: 'Theme reports' }),
  governance: (page) => page.getByRole('region', { name: 'Attendance by organisation' }),
  meetings: (page) => page.getByRole('region', { name: 'Report round' }),
  people: (page) => page.getByRole('region', { name: 'Audit trail' }),
  reach: (page) => page.getByRole('region', { name: 'Messages not delivered' }),
};
const TAB_NAMES: Record<keyof typeof READY, string> = { actions: 'Action log', matters: 'Matters arising', governance: 'Governance', meetings: 'Meetings', people: 'People', reach: 'Messages' };

/** Loads the tab in the pass's theme (the one full page load of a pass). */
async function start(pass: Pass): Promise<void> {
  await pass.page.goto(`${APP_URL}/tab/?theme=${pass.theme}`);
  await pass.page.getByRole('combobox', { name: 'Demo member', exact: true }).waitFor();
}

/** Acts as `who` (through the demo picker) and opens a view through its tab, as a person would. */
async function openView(pass: Pass, who: string, view: keyof typeof READY): Promise<void> {
  const { page } = pass;
  const picker = page.getByRole('combobox', { name: 'Demo member', exact: true });
  if ((await picker.inputValue()) !== who) {
    await picker.selectOption(who);
    await page.getByTestId('signed-in-as').filter({ hasText: `Signed in as ${who}` }).waitFor();
  }
  await page.getByRole('tab', { name: TAB_NAMES[view] }).click();
  await READY[view]!(page).waitFor();
  // Parts of a view that load on their own (the meeting's actions, a round) have their spinners gone.
  await page.locator('.fui-Spinner').first().waitFor({ state: 'detached' });
}

/**
 * Opens a dialog with its button, checks the dialog, and closes it with Escape. Only the dialog
 * is checked: the page behind it was checked on its own, and is inert while the dialog is open.
 */
async function withDialog(pass: Pass, where: string, opener: Locator): Promise<void> {
  const { page } = pass;
  await opener.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await check(pass, where, '[role="dialog"]');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}

/**
 * The attendance import's first step, each way in (the server fetches from Teams here): the join
 * link, a wrong link refused in words, and the upload.
 */
async function attendanceImportWays(pass: Pass, who: string, opener: Locator): Promise<void> {
  const { page } = pass;
  await opener.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await check(pass, `${who} meetings: attendance from Teams, the join link`, '[role="dialog"]');
  await dialog.getByLabel('Teams join link').fill('https://example.org/our-meeting');
  await dialog.getByRole('button', { name: 'Fetch from Teams', exact: true }).click();
  await dialog.getByText(/not to a Teams meeting/).waitFor();
  await check(pass, `${who} meetings: attendance from Teams, a wrong link`, '[role="dialog"]');
  await dialog.getByRole('radio', { name: 'Upload or paste the downloaded report' }).check();
  await dialog.getByLabel('Attendance report file').waitFor();
  await check(pass, `${who} meetings: attendance from Teams, the upload`, '[role="dialog"]');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}

async function actionViews(pass: Pass, who: string): Promise<void> {
  const { page } = pass;
  await openView(pass, who, 'actions');
  // A row is checked hovered too: Fluent recolours a hovered row (bright, in high contrast).
  if (!pass.phone) await page.locator('tr[data-action-id="act-exec-3-08"] td').last().hover();
  await check(pass, `${who} action log`);
  await page.locator('[data-action-id="act-exec-3-08"]').getByRole('button').first().click();
  await page.getByTestId('action-detail').waitFor();
  await check(pass, `${who} action detail`);
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByTestId('action-detail').waitFor({ state: 'detached' });
  await openView(pass, who, 'matters');
  await check(pass, `${who} matters arising`);
  await openView(pass, who, 'governance');
  await check(pass, `${who} governance`);
}

async function managerViews(pass: Pass, who: string, dialogs: boolean): Promise<void> {
  const { page } = pass;
  if (dialogs) {
    await openView(pass, who, 'governance');
    await withDialog(pass, `${who} governance: membership`, page.getByRole('button', { name: 'Edit CC in Safer Plymouth Exec' }));
  }
  await openView(pass, who, 'meetings');
  await page.locator(`tr[data-meeting-id="${MEETING_TODAY}"]`).getByRole('button').click();
  await page.getByTestId('meeting-detail').and(page.locator(`[data-meeting-id="${MEETING_TODAY}"]`)).waitFor();
  await page.locator('.fui-Spinner').first().waitFor({ state: 'detached' });
  await page.locator(`tr[data-meeting-id="${MEETING_TODAY}"] td`).nth(1).hover();
  await check(pass, `${who} meetings, a meeting open`);
  if (dialogs) {
    const detail = page.getByTestId('meeting-detail');
    await withDialog(pass, `${who} meetings: schedule`, page.getByRole('button', { name: 'Schedule a meeting' }));
    for (const name of ['Reschedule', 'Cancel meeting', 'Record attendance', 'Add action', 'Import actions from minutes', 'Record as held']) {
      await withDialog(pass, `${who} meetings: ${name}`, detail.getByRole('button', { name, exact: true }));
    }
    await attendanceImportWays(pass, who, detail.getByRole('button', { name: 'Import attendance from Teams', exact: true }));
  }
  await openView(pass, who, 'people');
  await check(pass, `${who} people`);
  if (dialogs) {
    await withDialog(pass, `${who} people: add person`, page.getByRole('button', { name: 'Add person' }));
    await withDialog(pass, `${who} people: edit person`, page.getByRole('button', { name: 'Edit TN', exact: true }));
    await withDialog(pass, `${who} people: end membership`, page.getByRole('button', { name: 'End membership: TN' }));
    await withDialog(pass, `${who} people: organisation`, page.getByRole('button', { name: 'Add organisation' }));
    await withDialog(pass, `${who} people: theme`, page.getByRole('button', { name: /^Edit the theme / }).first());
    await withDialog(pass, `${who} people: add group`, page.getByRole('button', { name: 'Add group' }));
    await withDialog(pass, `${who} people: edit group`, page.getByRole('button', { name: 'Edit the group Safer Plymouth Exec' }));
  }
  await openView(pass, who, 'reach');
  await check(pass, `${who} messages`);
}

let APP_URL = '';
let MEETING_TODAY = '';

describe('accessibility of every view, role and theme (axe-core, WCAG 2.2 AA)', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let graph: GraphAttendanceStandIn;

  beforeAll(async () => {
    // With the Graph attendance path on, so the attendance import shows both of its ways in.
    graph = await startGraphAttendanceStandIn();
    app = await startTestApp({
      env: { ATTENDANCE_FROM_GRAPH: 'true', GRAPH_BASE_URL: graph.baseUrl },
      store: { graph: { fetch: graph.fetch, customHosts: [graph.host], retry: recordingRetry(3), tokenProvider: async () => graph.token } },
    });
    APP_URL = app.url;
    const scheduled = await app.as('AM', '/api/tab/meetings', {
      method: 'POST',
      body: JSON.stringify({ groupId: 'grp-exec', date: TODAY, startTime: '10:00', title: 'Extraordinary Exec', agenda: [{ minute: '1', title: 'Serious violence duty' }] }),
    });
    expect(scheduled.status).toBe(201);
    MEETING_TODAY = scheduled.body.id;
    browser = await openBrowser(DESKTOP);
    rmSync(join(SCREENSHOT_DIR, 'axe-violations.txt'), { force: true });
    // Dialogs and drawers fade in: without motion axe sees their final colours, not a frame of the fade.
    await browser.page.emulateMedia({ reducedMotion: 'reduce' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await graph?.close();
  });

  for (const theme of THEMES) {
    it(`has no violations in the ${theme} theme at desktop width: every view and dialog`, async () => {
      const pass: Pass = { page: browser.page, theme, phone: false, found: [] };
      await browser.page.setViewportSize(DESKTOP);
      await start(pass);
      await actionViews(pass, 'TN');
      await actionViews(pass, 'MG');
      // The chair's dialogs are the secretariat's, component for component and control for control
      // (both keep the log): they are opened as the secretariat, below, to keep the run short.
      await managerViews(pass, 'MG', false);
      await actionViews(pass, 'AM');
      await managerViews(pass, 'AM', true);
      // The page Teams shows when the tab is added to a channel.
      await browser.page.goto(`${APP_URL}/tab/config.html?theme=${theme}`);
      await browser.page.getByRole('radiogroup', { name: 'What this tab shows' }).waitFor();
      await check(pass, 'channel tab configuration page');
      expect(pass.found).toEqual([]);
    }, 120_000);
  }

  for (const theme of THEMES) {
    it(`has no violations in the ${theme} theme at phone width (390×844)`, async () => {
      const pass: Pass = { page: browser.page, theme, phone: true, found: [] };
      await browser.page.setViewportSize(PHONE);
      await start(pass);
      await actionViews(pass, 'TN');
      await actionViews(pass, 'AM');
      await managerViews(pass, 'AM', theme === 'light');
      expect(pass.found).toEqual([]);
    }, 120_000);
  }

  it('the page never reached beyond this machine and logged no errors', () => {
    expect(browser.blocked.filter((url) => !url.startsWith('https://res.cdn.office.net/'))).toEqual([]);
    expect(browser.pageErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT|status of 503/.test(e))).toEqual([]);
  });
});
