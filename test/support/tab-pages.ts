import type { Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app.js';
import { openBrowser, type TestBrowser } from './browser.js';

/**
 * Steps the tab's browser tests share: signing in as a demo member (local demo mode's "Demo
 * member" picker) and opening a meeting's detail, waiting for what a person would wait for.
 */

/** The demo app and a Chromium page at desktop size, for a browser test's beforeAll. */
export async function startDemoTab(): Promise<{ app: TestApp; browser: TestBrowser }> {
  const app = await startTestApp();
  const browser = await openBrowser({ width: 1280, height: 900 });
  return { app, browser };
}

/** Closes what startDemoTab started, whichever of it did start. */
export async function closeDemoTab(browser: TestBrowser | undefined, app: TestApp | undefined): Promise<void> {
  await browser?.close();
  await app?.close();
}

/** Opens `url` and signs in as the member with these initials, waiting until the tab says so. */
export async function signIn(page: Page, url: string, initials: string): Promise<void> {
  await page.goto(url);
  const picker = page.getByRole('combobox', { name: 'Demo member', exact: true });
  if ((await picker.inputValue()) !== initials) await picker.selectOption(initials);
  await page.getByTestId('signed-in-as').filter({ hasText: `Signed in as ${initials}` }).waitFor();
}

/** Signs in, opens the Meetings view and the meeting's detail: the detail panel, once it shows that meeting. */
export async function openMeeting(page: Page, appUrl: string, initials: string, meetingId: string): Promise<Locator> {
  await signIn(page, `${appUrl}/tab/?view=meetings`, initials);
  await page.locator(`tr[data-meeting-id="${meetingId}"]`).getByRole('button').click();
  const detail = page.getByTestId('meeting-detail').and(page.locator(`[data-meeting-id="${meetingId}"]`));
  await detail.waitFor();
  return detail;
}
