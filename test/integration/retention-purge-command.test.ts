import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../bot/demo/seed.js';
import { DEFAULT_RETENTION_POLICY } from '../../bot/domain/retention.js';
import type { Logger } from '../../bot/observability/logger.js';
import { startPurgeScheduler } from '../../bot/services/retention.js';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { listAll } from '../../bot/store/store.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'safer-exec-purge-'));
const SEEDED_AT = new Date('2026-11-23T10:00:00Z');

/** `npm run purge` as cron or a WebJob runs it: its own process, the usual configuration. */
async function purge(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/purge.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, NODE_OPTIONS: '--no-deprecation' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** How many actions the demo seeds: the purge removes its one closed action and keeps the rest. */
let demoActions = 0;

beforeAll(async () => {
  const store = new SqliteStore({ filename: join(dataDir, 'safer-exec.db') });
  await seedDemoIfEmpty(store, SEEDED_AT);
  demoActions = (await listAll(store.actions, {})).length;
  await store.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm run purge', () => {
  it('refuses a bad --at or an unknown option with the usage line (exit 2)', async () => {
    for (const args of [['--at', '23/11/2032'], ['--at'], ['--everything']]) {
      const result = await purge(...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Usage: npm run purge/);
    }
  }, 120_000);

  it('counts with --dry-run, purges as of --at, then finds nothing; prints counts and no contents', async () => {
    // Six years and a day after the demo's last meeting: its papers and its one closed action have expired.
    const dry = await purge('--at', '2040-01-01T02:00:00Z', '--dry-run');
    expect(dry.code).toBe(0);
    const counted = JSON.parse(dry.stdout);
    expect(counted).toMatchObject({ dryRun: true, closedActions: 1, themePapers: 10, paperRounds: 2, conflicts: 0 });

    const done = await purge('--at', '2040-01-01T02:00:00Z');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({ ...counted, dryRun: false });
    const store = new SqliteStore({ filename: join(dataDir, 'safer-exec.db') });
    try {
      expect(await listAll(store.themeReports, {})).toEqual([]);
      expect((await listAll(store.actions, {})).length).toBe(demoActions - counted.closedActions);
    } finally {
      await store.close();
    }

    const again = await purge('--at', '2040-01-01T02:00:00Z');
    expect(JSON.parse(again.stdout)).toMatchObject({ closedActions: 0, themePapers: 0, paperRounds: 0 });
    for (const output of [dry, done, again]) {
      const text = output.stdout + output.stderr;
      expect(text).toMatch(/"event":"retention.purge"/);
      for (const leak of ['Naismith', 'Tracey', 'mem-', 'act-', 'Youth Justice', 'Domestic abuse is']) expect(text).not.toContain(leak);
    }
  }, 120_000);
});

describe('the daily purge inside the server', () => {
  it('runs once in the configured London hour, and not at other hours', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    const runs: string[] = [];
    const logger: Logger = { log: (_level, event, fields) => void (event === 'retention.purge' && runs.push(String(fields?.at))) };
    let now = new Date('2026-11-24T01:30:00Z'); // 01:30 London (GMT)
    const scheduler = startPurgeScheduler({ store, clock: { now: () => now }, logger, policy: DEFAULT_RETENTION_POLICY, hour: 2, checkEveryMs: 5 });
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      await wait(60);
      expect(runs).toEqual([]);
      now = new Date('2026-11-24T02:10:00Z');
      await wait(60);
      now = new Date('2026-11-24T02:50:00Z');
      await wait(60);
      expect(runs).toEqual(['2026-11-24T02:10:00.000Z']);
      now = new Date('2026-11-25T02:05:00Z');
      await wait(60);
      expect(runs).toEqual(['2026-11-24T02:10:00.000Z', '2026-11-25T02:05:00.000Z']);
    } finally {
      scheduler.stop();
      await store.close();
    }
  });
});
