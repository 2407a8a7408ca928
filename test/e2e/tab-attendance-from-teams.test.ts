/**
 * The secretariat fetches a meeting's attendance straight from Teams, in Chromium, with the server
 * on ATTENDANCE_FROM_GRAPH=true against the Graph attendance stand-in: opens the meeting's
 * attendance import, pastes the join link from the calendar, is told in words what is wrong with
 * a link that is not one (nothing sent) and what Teams refused, chooses the chair as the meeting's
 * organiser from the people Teams knows (she is chosen at first), fetches the report, sees the same
 * preview as an upload with the people matched, records it, and the meeting has the attendance.
 * Someone Teams has not linked is asked to choose, in words. With the server upload-only the
 * dialog offers no "Fetch from Teams".
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { isCurrentMembership } from '../../bot/domain/index.js';
import { listAll } from '../../bot/store/store.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { axeViolations } from '../support/axe.js';
import { openMeeting } from '../support/tab-pages.js';
import { openBrowser, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.js';
import { recordingRetry } from '../support/sharepoint-stand-in-store.js';
import { startGraphAttendanceStandIn, type GraphAttendanceStandIn } from '../stand-ins/graph-attendance.js';

/** Anna Moss (AM, the secretariat) and Matt Garrett (MG, the chair) in the demo: the accounts Teams linked them to, which Graph is asked with. */
const AM_OBJECT_ID = '00000000-0000-4000-8000-000000000013';
const MG_OBJECT_ID = '00000000-0000-4000-8000-000000000002';
const ORGANISER = 'Who organised the meeting in Teams';
/** Whose meetings Graph was asked for: the {userId} of /users/{userId}/onlineMeetings. */
const usersAsked = (graph: GraphAttendanceStandIn) => [...new Set(graph.requests.map((r) => decodeURIComponent(r.path.split('/')[3] ?? '')))];
const chosenOrganiser = (dialog: Locator) => dialog.getByLabel(ORGANISER).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '');
const JOIN_LINK = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZjA0NmE2NzQtZmY1%40thread.v2/0?context=%7b%22Tid%22%3a%22a1b2%22%2c%22Oid%22%3a%2200000000-0000-4000-8000-000000000013%22%7d';

async function openAttendanceImport(page: Page, url: string) {
  const detail = await openMeeting(page, url, 'AM', 'mtg-exec-3');
  await detail.getByRole('button', { name: 'Import attendance from Teams', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

describe('fetching a meeting\u2019s attendance from Teams in the tab, in Chromium', () => {
  let graph: GraphAttendanceStandIn;
  let graphOn: TestApp;
  let uploadOnly: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => {
    graph = await startGraphAttendanceStandIn();
    [graphOn, uploadOnly, browser] = await Promise.all([
      startTestApp({
        env: { ATTENDANCE_FROM_GRAPH: 'true', GRAPH_BASE_URL: graph.baseUrl },
        store: { graph: { fetch: graph.fetch, customHosts: [graph.host], retry: recordingRetry(3), tokenProvider: async () => graph.token } },
      }),
      startTestApp(),
      openBrowser({ width: 1280, height: 900 }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([graphOn?.close(), uploadOnly?.close()]);
    await graph?.close();
  });

  it('pastes the join link, chooses the organiser, fetches the report, reviews who matched and records the attendance', async () => {
    const meeting = (await graphOn.store.meetings.get('mtg-exec-3'))!;
    const [members, memberships] = await Promise.all([listAll(graphOn.store.members, {}), listAll(graphOn.store.memberships, { groupId: meeting.groupId })]);
    const sitting = members.filter((m) => m.email && memberships.some((ms) => ms.memberId === m.id && isCurrentMembership(ms, meeting.date))).sort((a, b) => a.name.localeCompare(b.name));
    const [missing, ...came] = sitting;
    const at = (time: string) => new Date(`${meeting.date}T${time}:00Z`).toISOString();
    // The chair organised it in Teams, not the secretariat who imports it.
    graph.addMeeting({
      organizerId: MG_OBJECT_ID,
      joinWebUrl: JOIN_LINK,
      reports: [
        {
          start: at('09:00'),
          end: at('10:30'),
          records: [...came.map((m) => ({ name: m.name, email: m.email!, joined: at('09:02'), left: at('10:30') })), { name: 'Jo Bloggs (Guest)', email: null, joined: at('09:10'), left: at('10:00') }],
        },
      ],
    });

    const { page } = browser;
    const dialog = await openAttendanceImport(page, graphOn.url);
    const fetchButton = dialog.getByRole('button', { name: 'Fetch from Teams', exact: true });
    await fetchButton.waitFor();
    expect(await axeViolations(page, '[role="dialog"]')).toEqual([]);

    // The organiser is chosen, not typed: the people Teams knows, the caller first chosen; nobody Teams never linked, and no account ids.
    expect(await chosenOrganiser(dialog)).toBe('Anna Moss (AM), you');
    const offered = await dialog.getByLabel(ORGANISER).locator('option').allTextContents();
    expect(offered).toContain('Matt Garrett (MG)');
    expect(offered.some((o) => /Philippa Davey/.test(o))).toBe(false);
    expect(await dialog.innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|Entra|object id|sign-in/i);

    // A link to something else is explained in words, and nothing goes to Teams.
    const link = dialog.getByLabel('Teams join link');
    await link.fill('https://zoom.us/j/123456789');
    await fetchButton.click();
    await expect.poll(() => dialog.getByText(/This is a link to zoom\.us, not to a Teams meeting/).count()).toBeGreaterThan(0);
    expect(await link.getAttribute('aria-invalid')).toBe('true');
    expect(graph.requests).toEqual([]);
    expect(await axeViolations(page, '[role="dialog"]')).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-attendance-from-teams-link-refused.png') });

    // Teams refuses an organiser the app is not allowed to read (here the default, the secretariat): the dialog says so in words.
    await link.fill(JOIN_LINK);
    await fetchButton.click();
    const refusal = dialog.getByRole('alert');
    await expect.poll(() => refusal.innerText().catch(() => '')).toContain('Teams refused to share attendance reports');
    const refusalText = await refusal.innerText();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-attendance-from-teams-refused.png') });
    expect(refusalText).not.toMatch(/ATTENDANCE\.|NOT_AVAILABLE|\b404\b/);
    expect(await axeViolations(page, '[role="dialog"]')).toEqual([]);
    expect(usersAsked(graph)).toEqual([AM_OBJECT_ID]);

    // The chair organised it: she is chosen from the list, the policy granted for her; the keyboard reaches the button and presses it.
    graph.grantPolicy(MG_OBJECT_ID);
    graph.requests.length = 0;
    await dialog.getByLabel(ORGANISER).selectOption({ label: 'Matt Garrett (MG)' });
    await dialog.getByLabel(ORGANISER).focus();
    for (let presses = 0; presses < 5 && (await fetchButton.evaluate((b) => b !== document.activeElement)); presses++) await page.keyboard.press('Tab');
    expect(await fetchButton.evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const present = dialog.getByRole('table', { name: 'Members present' });
    await present.waitFor();
    expect(await present.getByRole('row').count()).toBe(came.length + 1);
    for (const m of came) expect(await present.getByText(`${m.name} (${m.initials})`).count()).toBe(1);
    expect(await dialog.getByRole('group', { name: 'Jo Bloggs (guest)' }).count()).toBe(1);
    expect(await dialog.getByText(`${missing!.name} (${missing!.initials})`).count()).toBeGreaterThan(0);
    // Plain words: no report id, meeting id or ISO date in what the secretariat reads.
    const shown = await dialog.innerText();
    expect(shown).not.toMatch(/\d{4}-\d{2}-\d{2}|mtg-exec-3|MSo|meetup-join/);
    expect(await axeViolations(page, '[role="dialog"]')).toEqual([]);
    expect((await graphOn.store.meetings.get('mtg-exec-3'))!.version).toBe(meeting.version);

    await dialog.getByRole('button', { name: 'Record attendance' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The preview and the confirm both asked Teams for the chair's meeting.
    expect(usersAsked(graph)).toEqual([MG_OBJECT_ID]);
    await expect.poll(() => page.getByText(/Attendance recorded for the meeting of/).count()).toBeGreaterThan(0);
    const saved = (await graphOn.store.meetings.get('mtg-exec-3'))!;
    expect([...saved.attendeeIds].sort()).toEqual(came.map((m) => m.id).sort());
    expect(saved.attendeeIds).not.toContain(missing!.id);
    for (const m of came) expect(await page.getByTestId('meeting-attendance').innerText()).toContain(m.initials);
    expect(browser.pageErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT|status of 40[34]/.test(e))).toEqual([]);
  });

  it('asks someone Teams has not linked to choose the organiser, in words, and sends nothing until they do', async () => {
    // The secretariat as she was before she first opened Safer Exec in Teams.
    const am = (await graphOn.store.members.get('mem-am'))!;
    const { version, ...record } = am;
    await graphOn.store.members.update({ ...record, entraObjectId: null }, version);
    graph.requests.length = 0;
    const { page } = browser;
    const dialog = await openAttendanceImport(page, graphOn.url);
    expect(await chosenOrganiser(dialog)).toBe('Choose the organiser');
    const offered = await dialog.getByLabel(ORGANISER).locator('option').allTextContents();
    expect(offered.some((o) => /Anna Moss/.test(o))).toBe(false);
    await dialog.getByLabel('Teams join link').fill(JOIN_LINK);
    await dialog.getByRole('button', { name: 'Fetch from Teams', exact: true }).click();
    await expect.poll(() => dialog.getByText('Choose who organised the meeting in Teams: Teams keeps its attendance reports with them.').count()).toBe(1);
    expect(await dialog.getByLabel(ORGANISER).getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByLabel(ORGANISER).evaluate((s) => s === document.activeElement)).toBe(true);
    expect(graph.requests).toEqual([]);
    expect(await axeViolations(page, '[role="dialog"]')).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-attendance-from-teams-choose-organiser.png') });
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  });

  it('offers only the upload when the server does not fetch from Teams', async () => {
    const dialog = await openAttendanceImport(browser.page, uploadOnly.url);
    await dialog.getByLabel('Attendance report file').waitFor();
    expect(await dialog.getByText(/Fetch from Teams|join link/i).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Fetch from Teams' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Preview', exact: true }).count()).toBe(1);
  });
});
