/**
 * What the secretariat sees at the imports' size limits, in Chromium on the demo: typographic
 * minutes of 240,000 characters (a body of over 256 KB) are previewed; one character more is
 * refused in the dialog, saying how long the paste is and the limit; an attendance report too large
 * for the import is refused saying the largest report taken, in characters and as a file's size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTES_TEXT_MAX } from '../../bot/domain/index.js';
import { MAX_BODY_BYTES } from '../../bot/http/server.js';
import type { TestApp } from '../support/app.js';
import { closeDemoTab, openMeeting as openMeetingAs, startDemoTab } from '../support/tab-pages.js';
import type { TestBrowser } from '../support/browser.js';
import { teamsAttendanceReport, utf16leWithBom } from '../support/teams-attendance-reports.js';

const MEETING = 'mtg-exec-3';

/** An action line, then typographic text (\u201c, \u2014, \u00e9: 2 to 3 bytes each) to exactly `length` characters. */
function minutesOf(length: number): string {
  const action = 'Action: TN to circulate the final Safer Communities terms of reference by 30 October.\n\n';
  const filler = 'Not\u00e9s \u201cfor the r\u00e9cord\u201d \u2014 r\u00e9sum\u00e9 \u2026 ';
  return (action + filler.repeat(Math.ceil(length / filler.length))).slice(0, length);
}

describe('the imports\u2019 size limits in the tab, in Chromium', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => ({ app, browser } = await startDemoTab()));
  afterAll(() => closeDemoTab(browser, app));

  const openMeeting = () => openMeetingAs(browser.page, app.url, 'AM', MEETING);

  it('previews 240,000 characters of typographic minutes, and refuses one more in words before sending', async () => {
    const { page } = browser;
    const detail = await openMeeting();
    await detail.getByRole('button', { name: 'Import actions from minutes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import actions from the minutes of 6 October 2026' });
    const box = dialog.getByRole('textbox', { name: 'Minutes text' });

    const tooLong = minutesOf(MINUTES_TEXT_MAX + 1);
    await box.fill(tooLong);
    let previews = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/minutes-import/preview')) previews += 1;
    });
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toContain('The minutes pasted are 240,001 characters long; one import reads at most 240,000: import long minutes a section at a time.');
    expect(previews).toBe(0);

    const atLimit = tooLong.slice(0, MINUTES_TEXT_MAX);
    expect(Buffer.byteLength(JSON.stringify({ text: atLimit }))).toBeGreaterThan(MAX_BODY_BYTES);
    await box.fill(atLimit);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => dialog.getByTestId('minutes-import-proposal').count(), { timeout: 20_000 }).toBe(1);
    expect(previews).toBe(1);
    expect(await dialog.getByRole('alert').count()).toBe(0);
  }, 60_000);

  it('refuses an attendance report over 200,000 characters, saying the largest report taken', async () => {
    const { page } = browser;
    const meeting = (await app.store.meetings.get(MEETING))!;
    // 2,000 guests: over 200,000 characters, over 400 KB as Teams's UTF-16 download.
    const people = Array.from({ length: 2_000 }, (_, i) => ({ name: `Guest Number ${i} of Many`, email: `guest.${i}@partner.example` }));
    const file = utf16leWithBom(teamsAttendanceReport({ date: meeting.date, locale: 'en-GB', people }));
    expect(file.length).toBeGreaterThan(400_000);
    const detail = await openMeeting();
    await detail.getByRole('button', { name: 'Import attendance from Teams', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Attendance report file').setInputFiles({ name: 'Attendance report.csv', mimeType: 'text/csv', buffer: file });
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), { timeout: 20_000 })
      .toContain('this import takes up to 200,000 characters, which is about 390 KB for the file as Teams downloads it');
    expect((await app.store.meetings.get(MEETING))!.version).toBe(meeting.version);
  }, 60_000);
});
