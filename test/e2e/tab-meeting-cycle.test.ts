import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { addDays, defaultPaperDeadline } from '../../bot/domain/index.js';
import { setUpBoard } from '../../bot/services/setup.js';
import type { Clock } from '../../bot/services/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { closeDemoTab, startDemoTab } from '../support/tab-pages.js';
import { openBrowser, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.js';

const TEAMS_JS_CDN = 'https://res.cdn.office.net/';

/** A clock the test moves on, as the days of the quarter pass. */
function movableClock(start: string): Clock & { set(at: string): void } {
  let now = new Date(start);
  return {
    now: () => new Date(now.getTime()),
    set(at: string) {
      now = new Date(at);
    },
  };
}

/**
 * Moves the focus with the Tab key alone until it reaches the target. Finding the target is only
 * looking: nothing is clicked, so the step is done the way a keyboard user does it.
 */
async function tabTo(page: Page, target: Locator, limit = 150): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`The Tab key never reached ${target.toString()}`);
}

/** Ticks one choice in an open multi-select list (Fluent renders its options as checkable menu items). */
/**
 * Chooses in the open Fluent menu or list. Not a native <option>: the "Demo member" picker lists the
 * same people, and once the board has them (they were added a step before) a page-wide match found both.
 */
async function pick(page: Page, name: string): Promise<void> {
  await page.getByRole('menuitemcheckbox', { name, exact: true }).or(page.getByRole('option', { name, exact: true }).and(page.locator(':not(option)'))).click();
}

async function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? '');
}

const MEETING_DATE = '2027-03-02';
const NEXT_MEETING_DATE = '2027-06-08';

describe('the secretariat runs a quarter from an empty store, in Chromium', () => {
  const clock = movableClock('2027-03-01T10:00:00Z');
  let app: TestApp;
  let browser: TestBrowser;
  let meetingId = '';

  beforeAll(async () => {
    app = await startTestApp({ env: { SEED_DEMO: 'false' }, clock });
    const setup = await setUpBoard(app.store, { groupName: 'Safer Plymouth Exec', secretariatName: 'Alex Morgan', secretariatInitials: 'AM', secretariatEmail: null, secretariatAadObjectId: null }, clock.now());
    expect(setup.ok).toBe(true);
    browser = await openBrowser({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lets the one person set-up made, the secretariat, sign in and see the meetings and people screens', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/`);
    await page.getByRole('combobox', { name: 'Demo member', exact: true }).selectOption('AM');
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toMatch(/Signed in as AM \(secretariat\)/);
    expect(await page.getByRole('tab', { name: 'Meetings' }).count()).toBe(1);
    expect(await page.getByRole('tab', { name: 'People' }).count()).toBe(1);
  });

  it('adds an organisation, two people seated on the board and a theme led by one of them', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'People' }).click();
    await page.getByRole('button', { name: 'Add organisation' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add an organisation' });
    await dialog.getByLabel('Name').fill('Devon and Cornwall Police');
    await dialog.getByLabel('Responsible authority').selectOption({ label: 'Police' });
    await dialog.getByRole('button', { name: 'Add organisation' }).click();
    await expect.poll(() => page.getByTestId('people-notice').textContent()).toMatch(/Added Devon and Cornwall Police/);

    for (const [name, initials] of [
      ['Tracey Naismith', 'TN'],
      ['Chloe Causer', 'CC'],
    ] as const) {
      await page.getByRole('button', { name: 'Add person' }).click();
      dialog = page.getByRole('dialog', { name: 'Add a person' });
      await dialog.getByRole('textbox', { name: /^Name/ }).fill(name);
      await dialog.getByLabel('Initials').fill(initials);
      await dialog.getByLabel('Job title').fill('Exec member');
      await dialog.getByLabel('Organisation').selectOption({ label: 'Devon and Cornwall Police' });
      await dialog.getByLabel('Email / UPN').fill(`${initials.toLowerCase()}@example.gov.uk`);
      expect(await dialog.getByLabel('Add to group').inputValue()).toBe('grp-exec');
      await dialog.getByRole('button', { name: 'Add person' }).click();
      await expect.poll(() => page.getByTestId('people-notice').textContent()).toMatch(new RegExp(`Added ${name} \\(${initials}\\) to Safer Plymouth Exec`));
    }

    await page.getByRole('button', { name: 'Add theme' }).click();
    dialog = page.getByRole('dialog', { name: 'Add a theme' });
    await dialog.getByLabel('Name').fill('Safer communities');
    await dialog.getByRole('combobox', { name: 'Leads' }).click();
    await pick(page, 'TN – Tracey Naismith');
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Add theme' }).click();
    await expect.poll(() => page.getByTestId('people-notice').textContent()).toMatch(/Added the theme Safer communities/);
    await expect.poll(() => page.getByRole('table', { name: 'Audit trail' }).textContent()).toMatch(/Theme: Safer communitiesAdded/);

    // The server holds them, not just the page.
    const records = (await app.as('AM', '/api/tab/records')).body;
    const police = records.organisations.find((o: { name: string }) => o.name === 'Devon and Cornwall Police');
    expect(police).toMatchObject({ authorityKind: 'police' });
    const tn = records.people.find((p: { initials: string }) => p.initials === 'TN');
    expect(tn).toMatchObject({ name: 'Tracey Naismith', organisationId: police.id, email: 'tn@example.gov.uk', current: true });
    expect(records.themes).toEqual([expect.objectContaining({ name: 'Safer communities', leadMemberIds: [tn.id] })]);
    const exec = (await app.as('AM', '/api/tab/groups')).body.groups.find((g: { id: string }) => g.id === 'grp-exec');
    expect(exec.members.filter((m: { current: boolean }) => m.current).map((m: { initials: string }) => m.initials).sort()).toEqual(['AM', 'CC', 'TN']);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-people.png'), fullPage: true });
  });

  it('schedules a meeting with its agenda, the paper deadline left to its default', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Meetings' }).click();
    await page.getByRole('button', { name: 'Schedule a meeting' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule a meeting' });
    await dialog.getByLabel('Date').fill(MEETING_DATE);
    await dialog.getByLabel('Start time').fill('10:00');
    expect(await dialog.textContent()).toMatch(/papers are due 7 working days before the meeting, 19 February 2027/);
    await dialog.getByRole('button', { name: 'Add agenda item' }).click();
    await dialog.getByRole('group', { name: 'Agenda item 1' }).getByLabel('Item title').fill('Minutes and matters arising');
    await dialog.getByRole('button', { name: 'Add agenda item' }).click();
    await dialog.getByRole('group', { name: 'Agenda item 2' }).getByLabel('Item title').fill('Theme lead reports');
    await dialog.getByRole('button', { name: 'Add agenda item' }).click();
    await dialog.getByRole('button', { name: 'Remove agenda item 3' }).click();
    await dialog.getByRole('button', { name: 'Schedule meeting' }).click();
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/Scheduled: Safer Plymouth Exec, 2 March 2027/);
    const row = page.locator('tr[data-meeting-id]');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/2 March 2027.*Safer Plymouth Exec.*Scheduled.*19 February 2027/);
    await expect.poll(() => page.getByTestId('round-summary').textContent()).toMatch(/0 of 1 theme reported · papers due 19 February 2027/);

    const meetings = (await app.as('AM', '/api/tab/meetings')).body.meetings;
    expect(meetings).toHaveLength(1);
    meetingId = meetings[0].id;
    expect(meetings[0]).toMatchObject({
      groupId: 'grp-exec',
      date: MEETING_DATE,
      startTime: '10:00',
      status: 'scheduled',
      paperDeadline: defaultPaperDeadline(MEETING_DATE),
      agenda: [
        { minute: '1', title: 'Minutes and matters arising' },
        { minute: '2', title: 'Theme lead reports' },
      ],
    });
  });

  it('records attendance, apologies and a substitute on the day, with the keyboard only', async () => {
    clock.set(`${MEETING_DATE}T13:00:00Z`);
    const { page } = browser;
    await page.goto(`${app.url}/tab/?view=meetings`);
    await page.getByTestId('meeting-detail').waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Record attendance' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Attendance at the meeting of 2 March 2027' });
    await dialog.waitFor();
    for (const [who, mark] of [
      ['Alex Morgan (AM)', 'Present'],
      ['Tracey Naismith (TN)', 'Present'],
      ['Chloe Causer (CC)', 'Apologies'],
    ] as const) {
      await tabTo(page, dialog.getByRole('group', { name: who }).getByRole('checkbox', { name: mark }));
      await page.keyboard.press('Space');
    }
    await tabTo(page, dialog.getByRole('button', { name: 'Add a substitute' }));
    await page.keyboard.press('Enter');
    const substitute = dialog.getByRole('group', { name: 'Substitute 1' });
    await tabTo(page, substitute.getByLabel("Substitute's name"));
    await page.keyboard.type('Sam Jones');
    await tabTo(page, substitute.getByLabel('Organisation'));
    await page.keyboard.press('ArrowDown');
    await tabTo(page, substitute.getByLabel('Standing in for'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await substitute.getByLabel('Standing in for').evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('CC – Chloe Causer');
    await tabTo(page, dialog.getByRole('button', { name: 'Save attendance' }));
    expect(await focusedText(page)).toBe('Save attendance');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/Attendance recorded for 2 March 2027: 2 present, 1 apologies/);
    expect(await page.getByTestId('meeting-attendance').textContent()).toMatch(/Alex Morgan \(AM\), Tracey Naismith \(TN\).*Chloe Causer \(CC\).*Sam Jones \(Devon and Cornwall Police\) for Chloe Causer \(CC\)/);

    const records = (await app.as('AM', '/api/tab/records')).body;
    const id = (initials: string) => records.people.find((p: { initials: string }) => p.initials === initials).id;
    const police = records.organisations[0].id;
    const meeting = (await app.as('AM', '/api/tab/meetings')).body.meetings[0];
    expect(meeting).toMatchObject({ attendeeIds: [id('AM'), id('TN')], apologyIds: [id('CC')], substitutes: [{ name: 'Sam Jones', organisationId: police, forMemberId: id('CC') }] });
  });

  it('adds the actions the meeting agreed: one owned by a person and due at the next meeting, one owned by the board by a date', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Add action' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an action agreed at the meeting of 2 March 2027' });
    await dialog.getByRole('combobox', { name: /^Minute/ }).selectOption({ label: '2. Theme lead reports' });
    await dialog.getByLabel('What was agreed').fill('TN to bring the Safer Communities terms of reference to the Exec.');
    await dialog.getByRole('combobox', { name: 'Owners' }).click();
    await pick(page, 'TN – Tracey Naismith');
    await page.keyboard.press('Escape');
    await dialog.getByLabel('Theme').selectOption({ label: 'Safer communities' });
    await dialog.getByRole('button', { name: 'Add action' }).click();
    await expect.poll(() => dialog.getByTestId('action-added').textContent()).toMatch(/Added minute 2: TN to bring.*\(1 added so far\)/);
    // A double submit of the same form makes one action.
    await dialog.getByRole('combobox', { name: /^Minute/ }).selectOption({ label: 'Another minute number…' });
    await dialog.getByLabel('Minute number').fill('2.1');
    await dialog.getByLabel('What was agreed').fill('Partners to share their street-level data with the analyst.');
    await dialog.getByRole('combobox', { name: 'Owners' }).click();
    await pick(page, 'Safer Plymouth Exec (group)');
    await page.keyboard.press('Escape');
    await dialog.getByLabel('By a date').check();
    await dialog.getByLabel('Due date').fill('2027-04-30');
    await dialog.getByLabel('Theme').selectOption({ label: 'No theme' });
    await dialog.getByRole('button', { name: 'Add action' }).dblclick();
    await expect.poll(() => dialog.getByTestId('action-added').textContent()).toMatch(/Added minute 2\.1: Partners to share/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/2 actions added to the meeting of 2 March 2027/);
    await expect.poll(() => page.getByRole('table', { name: 'Actions agreed at this meeting' }).textContent()).toMatch(/Partners to share/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-meeting-cycle.png'), fullPage: true });

    const actions = (await app.as('AM', `/api/tab/actions?meeting=${meetingId}`)).body.items;
    expect(actions).toHaveLength(2);
    expect(actions).toEqual([
      expect.objectContaining({ minuteRef: '2', text: 'TN to bring the Safer Communities terms of reference to the Exec.', owners: [expect.objectContaining({ kind: 'member', label: 'TN' })], due: { kind: 'next-meeting' }, themeName: 'Safer communities', status: 'open' }),
      expect.objectContaining({ minuteRef: '2.1', owners: [expect.objectContaining({ kind: 'group', id: 'grp-exec' })], due: { kind: 'date', date: '2027-04-30' }, themeId: null }),
    ]);
  });

  it('records the meeting as held with the keyboard only, and says the next meeting needs scheduling', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/?view=meetings`);
    await page.getByTestId('meeting-detail').waitFor();
    await tabTo(page, page.getByTestId('meeting-detail').getByRole('button', { name: 'Record as held' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Record the meeting as held' });
    await dialog.waitFor();
    await tabTo(page, dialog.getByRole('button', { name: 'Record as held' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/0 actions carried over\. No next meeting is scheduled yet: schedule it/);
    await expect.poll(() => page.getByTestId('meeting-status').textContent()).toMatch(/^Held \(recorded 2 March 2027 at 13:00\)/);
    expect(await page.getByTestId('meeting-detail').getByRole('button', { name: 'Record as held' }).count()).toBe(0);
    const meeting = (await app.as('AM', '/api/tab/meetings')).body.meetings[0];
    expect(meeting).toMatchObject({ id: meetingId, status: 'held' });
  });

  it('at the next meeting, holding it carries both open actions over once, and the tab says how many', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Schedule a meeting' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule a meeting' });
    await dialog.getByLabel('Date').fill(NEXT_MEETING_DATE);
    await dialog.getByRole('button', { name: 'Schedule meeting' }).click();
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/Scheduled: Safer Plymouth Exec, 8 June 2027/);

    // Before its day the meeting offers no "Record as held"; on the day (the tab opened again) it does.
    expect(await page.getByTestId('meeting-detail').getByRole('button', { name: 'Record as held' }).count()).toBe(0);
    clock.set(`${NEXT_MEETING_DATE}T15:00:00Z`);
    await page.goto(`${app.url}/tab/?view=meetings`);
    await expect.poll(() => page.getByTestId('meeting-detail').getAttribute('data-meeting-id')).not.toBe(meetingId);
    await page.getByTestId('meeting-detail').getByRole('button', { name: 'Record as held' }).click();
    await page.getByRole('dialog', { name: 'Record the meeting as held' }).getByRole('button', { name: 'Record as held' }).click();
    // One was due at this meeting, the other by a date before it: both are still open, so both carry on.
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/2 actions carried over\. No next meeting is scheduled yet/);
    const actions = (await app.as('AM', `/api/tab/actions?meeting=${meetingId}`)).body.items;
    expect(actions.map((a: { rolloverCount: number; due: unknown }) => [a.rolloverCount, a.due])).toEqual([
      [1, { kind: 'next-meeting' }],
      [1, { kind: 'next-meeting' }],
    ]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-meeting-held.png'), fullPage: true });
  });

  it('never reached beyond this machine except the teams-js domain list, which was refused', () => {
    expect(browser.blocked.filter((url) => !url.startsWith(TEAMS_JS_CDN))).toEqual([]);
    expect(browser.pageErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT/.test(e))).toEqual([]);
  });
});

/** Every control that runs the board's cycle: none may be on the page for anyone but the chair and the secretariat. */
const MANAGER_CONTROLS: readonly (string | RegExp)[] = ['Schedule a meeting', 'Record as held', 'Add action', 'Record attendance', 'Reschedule', 'Cancel meeting', 'Add person', 'Add theme', 'Add organisation', /^End .*membership$/, 'List the team\u2019s members'];
const ACTION_PANEL_CONTROLS = ['Save wording', 'Defer to the next meeting', 'Drop action'];

async function signIn(page: Page, url: string, initials: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('combobox', { name: 'Demo member', exact: true }).selectOption(initials);
  await page.getByTestId('signed-in-as').waitFor();
}

async function visibleControls(page: Page, names: readonly (string | RegExp)[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) if ((await page.getByRole('button', { name, exact: true }).count()) > 0) found.push(String(name));
  for (const tab of ['Meetings', 'People']) if ((await page.getByRole('tab', { name: tab, exact: true }).count()) > 0) found.push(`${tab} tab`);
  return found;
}

describe('on the demo data, the controls that run the cycle are for the chair and the secretariat only', () => {
  let app: TestApp;
  let browser: TestBrowser;
  beforeAll(async () => ({ app, browser } = await startDemoTab()));
  afterAll(() => closeDemoTab(browser, app));

  /** Each view, loaded far enough that its buttons would be there; the manager-only views by link too. */
  const VIEWS: readonly [string, (page: Page) => Promise<unknown>][] = [
    ['actions', (page) => page.getByTestId('action-count').waitFor()],
    ['matters', (page) => page.getByRole('region', { name: 'Theme reports' }).waitFor()],
    ['governance', (page) => page.getByRole('region', { name: 'Safer Plymouth Exec' }).waitFor()],
    ['meetings', (page) => page.getByTestId('action-count').waitFor()],
    ['people', (page) => page.getByTestId('action-count').waitFor()],
  ];

  it.each(['TN', 'CC'])('shows %s (a theme lead, a plain member) none of them on any view, not even by a link to the meetings or people view', async (initials) => {
    const { page } = browser;
    for (const [view, loaded] of VIEWS) {
      await signIn(page, `${app.url}/tab/?view=${view}`, initials);
      await loaded(page);
      expect({ view, controls: await visibleControls(page, MANAGER_CONTROLS) }).toEqual({ view, controls: [] });
    }
    await signIn(page, `${app.url}/tab/`, initials);
    await page.locator('tr[data-action-id="act-exec-3-08"]').click();
    await page.getByTestId('action-detail').waitFor();
    expect(await visibleControls(page, ACTION_PANEL_CONTROLS)).toEqual([]);
    expect(await page.getByLabel('Wording of the action').count()).toBe(0);
    await page.getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('shows the chair (MG) every one of them', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/?view=meetings`, 'MG');
    await page.getByTestId('meeting-detail').waitFor();
    // The next meeting is still to come: attendance and "held" wait for its day (the empty-store walk records both).
    expect(await visibleControls(page, ['Schedule a meeting', 'Record as held', 'Add action', 'Record attendance', 'Reschedule', 'Cancel meeting'])).toEqual([
      'Schedule a meeting',
      'Add action',
      'Reschedule',
      'Cancel meeting',
      'Meetings tab',
      'People tab',
    ]);
    await page.getByRole('tab', { name: 'People' }).click();
    await page.getByRole('region', { name: 'Audit trail' }).waitFor();
    expect(await visibleControls(page, ['Add person', 'Add theme', 'Add organisation'])).toEqual(['Add person', 'Add theme', 'Add organisation', 'Meetings tab', 'People tab']);
    expect(await page.getByRole('button', { name: /^End membership: / }).count()).toBeGreaterThan(5);
  });

  it('shows the chair the next meeting\u2019s report round with each report\u2019s text, and lets her reschedule it and cancel another', async () => {
    const { page } = browser;
    await signIn(page, `${app.url}/tab/?view=meetings`, 'MG');
    const detail = page.getByTestId('meeting-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-meeting-id')).toBe('mtg-exec-4');
    await expect.poll(() => page.getByTestId('round-summary').textContent()).toMatch(/^2 of 5 themes reported · papers due /);
    await page.getByRole('button', { name: /Domestic abuse/ }).click();
    await expect.poll(() => detail.getByRole('region', { name: 'Report round' }).textContent()).toMatch(/Version 1, .* by HS.*IDVA post in the regional trauma centre.*A decision on match funding/);

    const before = (await app.as('MG', '/api/tab/meetings')).body.meetings.find((m: { id: string }) => m.id === 'mtg-exec-4');
    const moved = addDays(before.date, 7);
    await detail.getByRole('button', { name: 'Reschedule' }).click();
    const dialog = page.getByRole('dialog', { name: /^Reschedule the meeting of / });
    expect(await dialog.getByRole('group', { name: 'Agenda item 4' }).getByLabel('Item title').inputValue()).toBe('Serious Violence Strategy: bid readiness');
    await dialog.getByLabel('Date').fill(moved);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('meeting-notice').textContent()).toMatch(/^Saved: Safer Plymouth Exec, /);
    const after = (await app.as('MG', '/api/tab/meetings')).body.meetings.find((m: { id: string }) => m.id === 'mtg-exec-4');
    expect(after).toMatchObject({ date: moved, title: before.title, agenda: before.agenda, status: 'scheduled' });

    await page.locator('tr[data-meeting-id="mtg-exec-5"]').getByRole('button').click();
    await expect.poll(() => detail.getAttribute('data-meeting-id')).toBe('mtg-exec-5');
    await detail.getByRole('button', { name: 'Cancel meeting' }).click();
    const cancel = page.getByRole('dialog', { name: /^Cancel the meeting of / });
    await cancel.getByRole('button', { name: 'Cancel the meeting' }).click();
    expect(await cancel.isVisible()).toBe(true);
    await cancel.getByLabel('Why it is cancelled').fill('The venue is closed for repairs');
    await cancel.getByRole('button', { name: 'Cancel the meeting' }).click();
    await expect.poll(() => page.getByTestId('meeting-status').textContent()).toBe('Cancelled: The venue is closed for repairs');
    expect((await app.as('MG', '/api/tab/meetings')).body.meetings.find((m: { id: string }) => m.id === 'mtg-exec-5')).toMatchObject({ status: 'cancelled' });
    expect(await detail.getByRole('button', { name: 'Record as held' }).count()).toBe(0);
  });

  it('lets the chair correct an action\u2019s wording, defer it, and drop it only with a reason, from the action panel', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Action log' }).click();
    await page.locator('tr[data-action-id="act-exec-3-08"]').click();
    const detail = page.getByTestId('action-detail');
    await detail.waitFor();
    const oldText = 'TN to enquire about what safeguarding training the street pastors have had.';
    await page.getByLabel('Wording of the action').fill('TN to find out what safeguarding training the street pastors have had.');
    await page.getByRole('button', { name: 'Save wording' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'History' }).textContent()).toMatch(/Wording corrected: \u201cTN to enquire about what safeguarding training/);
    await page.getByLabel('Note on the deferral (optional)').fill('Waiting for the pastors\u2019 coordinator');
    await page.getByRole('button', { name: 'Defer to the next meeting' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'History' }).textContent()).toMatch(/Deferred by the chair: Waiting for the pastors/);
    expect(await page.getByRole('button', { name: 'Defer to the next meeting' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Drop action' }).isDisabled()).toBe(true);
    await page.getByLabel('Why it is dropped').fill('Superseded by the serious violence work');
    await page.getByRole('button', { name: 'Drop action' }).click();
    await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('Dropped');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-action-detail-manager.png') });

    const stored = (await app.as('MG', '/api/tab/actions/act-exec-3-08')).body;
    expect(stored).toMatchObject({ text: 'TN to find out what safeguarding training the street pastors have had.', status: 'dropped' });
    expect(stored.history.slice(-3).map((h: { kind: string; from: string | null; note: string | null }) => [h.kind, h.kind === 'text' ? h.from : h.note])).toEqual([
      ['text', oldText],
      ['deferred', 'Waiting for the pastors\u2019 coordinator'],
      ['status', 'Superseded by the serious violence work'],
    ]);
  });
});
