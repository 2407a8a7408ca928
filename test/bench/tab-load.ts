import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startTestApp, DEFAULT_TEST_NOW, type TestApp } from '../support/app.js';
import { openBrowser, type TestBrowser } from '../support/browser.js';
import { londonDate } from '../../bot/domain/index.js';
import { rawRequest } from '../support/raw-http.js';
import { buildBenchBoard, writeBoardThroughStore } from './bench-board.js';
import { median, round } from './bench-stats.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const distDir = join(projectRoot, 'tab', 'dist');
const DEV_USER_KEY = 'safer-exec.dev-user';
/** The tab asks for pages of this many rows (ACTION_PAGE_SIZE in tab/src/ActionLog.tsx). */
const TAB_PAGE = 50;
/** What Chromium sends. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

async function ensureBuilt(): Promise<boolean> {
  if (existsSync(join(distDir, 'index.html'))) return false;
  await promisify(execFile)('npm', ['run', 'build:tab'], { cwd: projectRoot, timeout: 300_000 });
  return true;
}

const kib = (bytes: number) => round(bytes / 1024, 1);

/** The JavaScript each page loads (its script and modulepreloads), raw and gzipped, and what the server actually sends a browser. */
async function shippedJs(app: TestApp): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const assets = join(distDir, 'assets');
  const every = readdirSync(assets).filter((f) => f.endsWith('.js'));
  for (const page of ['index.html', 'config.html']) {
    const html = readFileSync(join(distDir, page), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/tab\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
    let raw = 0;
    let gz = 0;
    let wire = 0;
    const codings = new Set<string>();
    for (const f of files) {
      const bytes = readFileSync(join(assets, f));
      raw += bytes.length;
      gz += gzipSync(bytes).length;
      // fetch would decode the body: count the bytes as they cross the wire.
      const sent = await rawRequest(`${app.url}/tab/assets/${f}`, { 'accept-encoding': BROWSER_ACCEPT_ENCODING });
      wire += sent.body.length;
      codings.add(String(sent.headers['content-encoding'] ?? 'uncompressed'));
    }
    rows.push({
      page: `/tab/${page === 'index.html' ? '' : page}`,
      'JS files': files.length,
      'raw KiB': kib(raw),
      'gzip KiB': kib(gz),
      'server sends': `${[...codings].join('/')}, ${kib(wire)} KiB`,
    });
  }
  const allRaw = every.reduce((sum, f) => sum + statSync(join(assets, f)).size, 0);
  const allGz = every.reduce((sum, f) => sum + gzipSync(readFileSync(join(assets, f))).length, 0);
  rows.push({ page: 'all of tab/dist/assets', 'JS files': every.length, 'raw KiB': kib(allRaw), 'gzip KiB': kib(allGz), 'server sends': '' });
  return rows;
}

/** What the log's status line says with `rows` of `total` shown (countText in tab/src/ActionLog.tsx). */
function countText(rows: number, total: number): string {
  const all = `${total} action${total === 1 ? '' : 's'}`;
  return rows < total ? `${all}, showing ${rows}` : all;
}

/** Milliseconds since navigation (the page's own clock) at the first frame where the log shows `rows` rows and says `total` actions. */
async function logShown(browser: TestBrowser, rows: number, total: number): Promise<number> {
  const handle = await browser.page.waitForFunction(
    ([rows, text]) => {
      const count = document.querySelector('[data-testid="action-count"]')?.textContent;
      return document.querySelectorAll('tr[data-action-id]').length === rows && count === text ? performance.now() : false;
    },
    [rows, countText(rows, total)] as const,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Milliseconds (page clock) from now until every one of `total` rows is in the table, pressing
 * "Show more" each frame it is ready: how long it takes to bring the last action into the page.
 */
async function wholeLogShown(browser: TestBrowser, total: number): Promise<number> {
  const t0 = await pageNow(browser);
  const handle = await browser.page.waitForFunction(
    ([total, text]) => {
      const count = document.querySelector('[data-testid="action-count"]')?.textContent;
      if (document.querySelectorAll('tr[data-action-id]').length === total && count === text) return performance.now();
      const more = document.querySelector<HTMLButtonElement>('[data-testid="show-more"]');
      if (more && more.getAttribute('aria-disabled') !== 'true') more.click();
      return false;
    },
    [total, countText(total, total)] as const,
    { polling: 'raf', timeout: 120_000 },
  );
  return ((await handle.jsonValue()) as number) - t0;
}

/** Bytes of JavaScript the page fetched over the network, as Chromium counted them (encoded, before decompression). */
const jsOverWire = (browser: TestBrowser) =>
  browser.page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => /\.js(\?|$)/.test(e.name)).reduce((sum, e) => sum + e.encodedBodySize, 0),
  );

const pageNow = (browser: TestBrowser) => browser.page.evaluate(() => performance.now());

/** Main-thread time in long tasks (over 50 ms) since navigation: how long the page could not answer a click. */
const longTaskMs = (browser: TestBrowser) => browser.page.evaluate(() => (window as unknown as { __longTaskMs?: number }).__longTaskMs ?? 0);

/**
 * The tab with a long action log: the JavaScript it ships and what the server sends for it, then in
 * headless Chromium the time from navigation to a usable log (its first page of rows rendered and a
 * frame painted after them) with 2,000 actions seeded, cold (fresh profile) and warm (reload, assets
 * cached), the time to bring all of it into the page with "Show more", and the time to filter it by
 * status (a select) and by search (typing; includes the tab's 250 ms debounce). Medians over the runs.
 */
export async function benchTabLoad(options: { readonly actions?: number; readonly runs?: number } = {}): Promise<Record<string, string | number>[]> {
  const actions = options.actions ?? 2_000;
  const runs = options.runs ?? 5;
  const built = await ensureBuilt();
  const app = await startTestApp();
  try {
    const board = buildBenchBoard({ actions, members: 40, seed: 4242, today: londonDate(DEFAULT_TEST_NOW), serviceUrl: 'http://127.0.0.1:9/', prefix: 'tab' });
    await writeBoardThroughStore(app.store, board, { actions: true });
    const totalOf = async (query: string) => ((await app.as('MG', `/api/tab/actions?limit=1${query}`)).body as { total: number }).total;
    const total = await totalOf('');
    const closed = await totalOf('&status=closed');
    const SEARCH = 'action 12';
    const searched = await totalOf(`&q=${encodeURIComponent(SEARCH)}`);
    const rowsFor = (n: number) => Math.min(n, TAB_PAGE);

    const cold: number[] = [];
    const warm: number[] = [];
    const coldJsBytes: number[] = [];
    const blocked: number[] = [];
    const whole: number[] = [];
    const byStatus: number[] = [];
    const bySearch: number[] = [];
    for (let run = 0; run < runs; run++) {
      const browser = await openBrowser({ width: 1280, height: 900 });
      try {
        await browser.context.addInitScript(
          ([key]) => {
            sessionStorage.setItem(key, 'MG');
            const w = window as unknown as { __longTaskMs: number };
            w.__longTaskMs = 0;
            new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.__longTaskMs += e.duration))).observe({ type: 'longtask', buffered: true });
          },
          [DEV_USER_KEY] as const,
        );
        await browser.page.goto(`${app.url}/tab/`);
        cold.push(await logShown(browser, rowsFor(total), total));
        coldJsBytes.push(await jsOverWire(browser));
        await browser.page.reload();
        warm.push(await logShown(browser, rowsFor(total), total));
        blocked.push(await longTaskMs(browser));

        let t0 = await pageNow(browser);
        await browser.page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('closed');
        byStatus.push((await logShown(browser, rowsFor(closed), closed)) - t0);
        await browser.page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('');
        await logShown(browser, rowsFor(total), total);

        t0 = await pageNow(browser);
        await browser.page.getByLabel('Search actions').fill(SEARCH);
        bySearch.push((await logShown(browser, rowsFor(searched), searched)) - t0);

        await browser.page.getByLabel('Search actions').fill('');
        await logShown(browser, rowsFor(total), total);
        whole.push(await wholeLogShown(browser, total));
      } finally {
        await browser.close();
      }
    }
    const js = await shippedJs(app);
    const timing = (measure: string, values: number[], note: string) => ({
      measure,
      median: `${round(median(values), 0)} ms`,
      min: `${round(Math.min(...values), 0)} ms`,
      max: `${round(Math.max(...values), 0)} ms`,
      runs: values.length,
      note,
    });
    return [
      ...js.map((r) => ({
        measure: `JS for ${r['page']} (${r['JS files']} files)`,
        median: `${r['gzip KiB']} KiB gzip`,
        min: '',
        max: '',
        runs: '',
        note: `${r['raw KiB']} KiB raw${r['server sends'] ? `; the server sends it ${r['server sends']}` : ''}${built ? '; tab built by this run' : ''}`,
      })),
      {
        measure: 'JS over the wire, cold load (Chromium)',
        median: `${kib(median(coldJsBytes))} KiB`,
        min: '',
        max: '',
        runs: coldJsBytes.length,
        note: 'encoded body bytes of every script the page fetched',
      },
      timing('navigation → usable log, cold', cold, `first page: ${rowsFor(total)} of ${total} actions rendered (pages of ${TAB_PAGE})`),
      timing('navigation → usable log, warm reload', warm, 'assets from the HTTP cache'),
      timing('main thread in long tasks until usable (warm)', blocked, 'time the page could not answer input'),
      timing('filter by status (select)', byStatus, `${closed} closed actions; first ${rowsFor(closed)} rendered`),
      timing('search by typing', bySearch, `"${SEARCH}": ${searched} actions, first ${rowsFor(searched)} rendered; includes the 250 ms debounce`),
      timing('usable log → all rows, "Show more" until the last', whole, `${total} rows in ${Math.ceil(total / TAB_PAGE)} pages; the last action is in the page`),
    ];
  } finally {
    await app.close();
  }
}
