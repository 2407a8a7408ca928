import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { openBrowser, type TestBrowser } from '../support/browser.js';

/**
 * Issue 12, items 3 and 4 in the tab, in Chromium, as the chair: "Draft letter" beside an authority
 * a letter is due to downloads the Word letter and the view then says who drafted it and when;
 * "Papers pack (Word)" and "(PDF)" on a scheduled meeting download the pack.
 */
async function wordText(path: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('the chair\u2019s letters and the papers pack in the tab', () => {
  let app: TestApp;
  let browser: TestBrowser;
  const downloads = mkdtempSync(join(tmpdir(), 'safer-exec-downloads-'));

  beforeAll(async () => {
    app = await startTestApp();
    browser = await openBrowser({ width: 1280, height: 900 });
    const { page } = browser;
    await page.goto(`${app.url}/tab/`);
    await page.getByRole('combobox', { name: 'Demo member', exact: true }).selectOption('MG');
    await page.getByTestId('signed-in-as').filter({ hasText: /Signed in as MG/ }).waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('drafts the letter to an authority with nobody on the Exec, and then shows who drafted it and when', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Governance' }).click();
    const letters = page.getByRole('region', { name: 'Letters from the chair to responsible authorities' });
    const button = letters.getByRole('button', { name: 'Draft letter to Devon and Somerset Fire and Rescue Service' });
    await button.waitFor();
    expect(await letters.textContent()).not.toMatch(/Devon and Cornwall Police/);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('chairs-letter-Devon-and-Somerset-Fire-and-Rescue-Service-2026-11-23.docx');
    const file = join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    const text = await wordText(file);
    expect(text).toMatch(/Crime and Disorder Act 1998/);
    expect(text).toMatch(/Matt Garrett/);
    await expect.poll(() => letters.textContent()).toMatch(/Letter drafted by Matt Garrett \(MG\) on 23 November 2026/);
    expect(await page.getByRole('status').first().textContent()).toMatch(/Letter to Devon and Somerset Fire and Rescue Service drafted/);
  }, 60_000);

  it('downloads the papers pack of the next Exec as Word, and as PDF where LibreOffice is installed', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Meetings' }).click();
    await page.locator('tr[data-meeting-id="mtg-exec-4"]').getByRole('button').click();
    const detail = page.getByTestId('meeting-detail');
    await expect.poll(() => detail.getAttribute('data-meeting-id')).toBe('mtg-exec-4');
    const [word] = await Promise.all([page.waitForEvent('download'), detail.getByRole('button', { name: 'Papers pack (Word)' }).click()]);
    expect(word.suggestedFilename()).toMatch(/^papers-Safer-Plymouth-Exec-\d{4}-\d{2}-\d{2}\.docx$/);
    const file = join(downloads, word.suggestedFilename());
    await word.saveAs(file);
    const text = await wordText(file);
    for (const heading of ['Agenda', 'Minutes and actions from the previous meeting', 'Theme lead reports', 'Governance', 'Any other business']) expect(text).toContain(heading);
    if (existsSync('/usr/bin/libreoffice')) {
      const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), detail.getByRole('button', { name: 'Papers pack (PDF)' }).click()]);
      expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
      const pdfFile = join(downloads, pdf.suggestedFilename());
      await pdf.saveAs(pdfFile);
      expect(readFileSync(pdfFile).subarray(0, 5).toString()).toBe('%PDF-');
    }
  }, 150_000);
});
