import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { openBrowser, SCREENSHOT_DIR, type TestBrowser } from '../support/browser.js';

const TEAMS_JS_CDN = 'https://res.cdn.office.net/';

async function wordText(path: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('the tab in Chromium, as the chair, light theme, desktop width', () => {
  let app: TestApp;
  let browser: TestBrowser;
  const downloads = mkdtempSync(join(tmpdir(), 'safer-exec-downloads-'));

  beforeAll(async () => {
    app = await startTestApp();
    browser = await openBrowser({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('starts in local mode outside Teams and offers the demo member picker', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/tab/`);
    await page.getByRole('combobox', { name: 'Demo member', exact: true }).selectOption('MG');
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toMatch(/Signed in as MG \(chair\) · local demo mode/);
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('19 actions');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-action-log-light.png') });
  });

  it('filters the log by owner and overdue, and by search', async () => {
    const { page } = browser;
    await page.getByRole('combobox', { name: 'Owner', exact: true }).selectOption('mem-tn');
    await page.getByLabel('Overdue only').check();
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('2 actions');
    expect(await page.locator('tr[data-action-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action-id')))).toEqual(['act-exec-3-08', 'act-exec-3-10']);
    await page.getByLabel('Overdue only').uncheck();
    await page.getByLabel('Search actions').fill('street pastors');
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('1 action');
    expect(await page.locator('tr[data-action-id]').first().getAttribute('data-action-id')).toBe('act-exec-3-08');
  });

  it('opens an action with its whole history, and lets the chair change its due date and owners', async () => {
    const { page } = browser;
    await page.locator('tr[data-action-id="act-exec-3-08"]').click();
    const detail = page.getByTestId('action-detail');
    await detail.waitFor();
    expect(await page.getByRole('list', { name: 'History' }).textContent()).toMatch(/Agreed at the meeting/);
    await page.getByLabel('Due date', { exact: true }).fill('2027-01-29');
    await page.getByRole('button', { name: 'Set due date' }).click();
    await expect.poll(() => page.getByTestId('detail-due').textContent()).toMatch(/29 Jan 2027/);
    await page.getByLabel('Owners', { exact: true }).fill('TN, CC');
    await page.getByRole('button', { name: 'Set owners' }).click();
    await expect.poll(() => page.getByTestId('detail-owners').textContent()).toMatch(/TN \(Tracey Naismith\), CC \(Chloe Causer\)/);
    const history = await page.getByRole('list', { name: 'History' }).textContent();
    expect(history).toMatch(/Due date changed: \d{1,2} [A-Z][a-z]+ 2026 → 29 January 2027/);
    expect(history).toMatch(/MG/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-action-detail-light.png') });
    // The server has it, not just the page.
    const stored = await app.as('MG', '/api/tab/actions/act-exec-3-08');
    expect(stored.body).toMatchObject({ dueDate: '2027-01-29', owners: [{ label: 'TN' }, { label: 'CC' }] });
  });

  it('shows the change in the log once the action is closed', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByTestId('action-detail').waitFor({ state: 'detached' });
    const row = page.locator('tr[data-action-id="act-exec-3-08"]');
    await expect.poll(() => row.textContent()).toMatch(/29 Jan 2027/);
    expect(await row.textContent()).toMatch(/TN, CC/);
  });

  it('says clearly when someone else changed the action first', async () => {
    const { page } = browser;
    await page.locator('tr[data-action-id="act-exec-3-08"]').click();
    await page.getByTestId('action-detail').waitFor();
    // TN adds a note behind the chair's back.
    const version = (await app.as('TN', '/api/tab/actions/act-exec-3-08')).body.version;
    const meanwhile = await app.as('TN', '/api/tab/actions/act-exec-3-08/changes', { method: 'POST', body: JSON.stringify({ version, changeId: 'chg-e2e-000001', change: { kind: 'add-note', note: 'Training list received' } }) });
    expect(meanwhile.status).toBe(200);
    await page.getByRole('button', { name: 'Close action' }).click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/Someone else changed this — reload/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tab-conflict-light.png') });
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'History' }).textContent()).toMatch(/Training list received/);
    await page.getByRole('button', { name: 'Close action' }).click();
    await expect.poll(() => page.getByTestId('detail-status').textContent()).toBe('Closed');
    await page.getByRole('button', { name: 'Close', exact: true }).click();
  });

  it('exports the filtered log as a Word document holding the actions', async () => {
    const { page } = browser;
    await page.getByLabel('Search actions').fill('');
    await page.getByRole('combobox', { name: 'Owner', exact: true }).selectOption('mem-tn');
    await expect.poll(() => page.getByTestId('action-count').textContent()).toBe('4 actions');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export to Word' }).click()]);
    expect(download.suggestedFilename()).toBe('safer-exec-actions-2026-11-23.docx');
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    const text = await wordText(file);
    expect(text).toMatch(/Filtered: owner TN/);
    expect(text).toMatch(/street pastors/);
    expect(text).toMatch(/involved in developing a proposal/);
    expect(text).toMatch(/Closed/);
    expect(text).not.toMatch(/Home Office/);
  });

  it('converts the Word export to PDF with LibreOffice', async (context) => {
    if (!existsSync('/usr/bin/libreoffice')) context.skip('LibreOffice is not installed: run scripts/ensure-test-deps.sh');
    const file = join(downloads, 'safer-exec-actions-2026-11-23.docx');
    const home = mkdtempSync(join(tmpdir(), 'safer-exec-lo-'));
    try {
      await promisify(execFile)('libreoffice', ['--headless', '--norestore', `-env:UserInstallation=file://${home}`, '--convert-to', 'pdf', '--outdir', downloads, file], {
        timeout: 120_000,
        env: { ...process.env, HOME: home },
      });
      const pdf = join(downloads, 'safer-exec-actions-2026-11-23.pdf');
      expect(statSync(pdf).size).toBeGreaterThan(1000);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      writeFileSync(join(SCREENSHOT_DIR, 'safer-exec-actions.pdf'), readFileSync(pdf));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 150_000);

  it('never reached beyond this machine except the teams-js domain list, which was refused', () => {
    expect(browser.blocked.filter((url) => !url.startsWith(TEAMS_JS_CDN))).toEqual([]);
    expect(browser.pageErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT|status of 409/.test(e))).toEqual([]);
  });
});
