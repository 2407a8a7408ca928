/**
 * The secretariat imports a meeting's attendance from the report Teams gives the organiser, in
 * Chromium on the demo: opens the meeting, uploads the UTF-16 download, reviews who matched, who
 * is not a member and who is missing, records the guest as a substitute for her organisation, and
 * sees the attendance on the meeting. The dialog passes axe in both of its steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCurrentMembership } from '../../bot/domain/index.js';
import { listAll } from '../../bot/store/store.js';
import type { TestApp } from '../support/app.js';
import { axeViolations } from '../support/axe.js';
import { closeDemoTab, openMeeting, startDemoTab } from '../support/tab-pages.js';
import type { TestBrowser } from '../support/browser.js';
import { guest, teamsAttendanceReport, utf16leWithBom } from '../support/teams-attendance-reports.js';

describe('importing attendance from Teams in the tab, in Chromium', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => ({ app, browser } = await startDemoTab()));
  afterAll(() => closeDemoTab(browser, app));

  it('uploads the download, reviews the proposal, records a guest for her organisation, and shows the attendance', async () => {
    const meeting = (await app.store.meetings.get('mtg-exec-3'))!;
    const [members, memberships, organisations] = await Promise.all([listAll(app.store.members, {}), listAll(app.store.memberships, { groupId: meeting.groupId }), listAll(app.store.organisations, {})]);
    const sitting = members.filter((m) => m.email && memberships.some((ms) => ms.memberId === m.id && isCurrentMembership(ms, meeting.date))).sort((a, b) => a.name.localeCompare(b.name));
    const [missing, ...came] = sitting;
    const organisation = organisations[0]!;
    const file = utf16leWithBom(teamsAttendanceReport({ date: meeting.date, locale: 'en-GB', people: [...came.map((m) => ({ name: m.name, email: m.email! })), guest('Jo Bloggs', 'jo.bloggs@partner.example')] }));

    const { page } = browser;
    const detail = await openMeeting(page, app.url, 'AM', 'mtg-exec-3');
    await detail.getByRole('button', { name: 'Import attendance from Teams', exact: true }).click();

    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await axeViolations(page, '[role="dialog"]')).toEqual([]);
    await dialog.getByLabel('Attendance report file').setInputFiles({ name: 'Attendance report.csv', mimeType: 'text/csv', buffer: file });
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByRole('table', { name: 'Members present' }).waitFor();

    expect(await dialog.getByRole('table', { name: 'Members present' }).getByRole('row').count()).toBe(came.length + 1);
    const guestRow = dialog.getByRole('group', { name: 'Jo Bloggs (guest)' });
    await guestRow.getByRole('checkbox').check();
    await guestRow.getByLabel('Organisation').selectOption({ label: organisation.name });
    await expect.poll(() => dialog.getByText(`${missing!.name} (${missing!.initials})`).count()).toBeGreaterThan(0);
    expect(await axeViolations(page, '[role="dialog"]')).toEqual([]);
    // Nothing is saved before the secretariat confirms.
    expect((await app.store.meetings.get('mtg-exec-3'))!.version).toBe(meeting.version);

    await dialog.getByRole('button', { name: 'Record attendance' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByText(/Attendance recorded for the meeting of/).count()).toBeGreaterThan(0);
    const saved = (await app.store.meetings.get('mtg-exec-3'))!;
    expect([...saved.attendeeIds].sort()).toEqual(came.map((m) => m.id).sort());
    expect(saved.substitutes).toContainEqual({ name: 'Jo Bloggs', organisationId: organisation.id, forMemberId: null });
    const attendance = await page.getByTestId('meeting-attendance').innerText();
    expect(attendance).toContain(`Jo Bloggs (${organisation.name})`);
    // The Teams JS library from its CDN is blocked off this machine; nothing else may fail.
    expect(browser.pageErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT/.test(e))).toEqual([]);
  });
});
