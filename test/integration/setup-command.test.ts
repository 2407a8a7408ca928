import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../bot/services/clock.js';
import { startTestApp } from '../support/app.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'safer-exec-setup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `npm run setup` as a person runs it: its own process, the usual configuration, an empty store. */
async function setup(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/setup.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, NODE_OPTIONS: '--no-deprecation' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let memberId = '';
const AM = ['--group-name', 'Safer Plymouth Exec', '--secretariat-name', 'Alison Mills', '--secretariat-initials', 'AM', '--secretariat-email', 'Alison.Mills@plymouth.gov.uk'];

// Each step starts a process (tsx): seconds each, more on a loaded 2-core machine.
describe('npm run setup on an empty store', { timeout: 90_000 }, () => {
  it('refuses missing arguments with the usage line, and writes nothing', async () => {
    const result = await setup('--group-name', 'Safer Plymouth Exec');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Missing --secretariat-name, --secretariat-initials/);
    expect(result.stderr).toMatch(/Usage: npm run setup/);
    const bad = await setup(...AM.slice(0, 4), '--secretariat-initials', 'A1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Initials are one to four letters/);
  });

  it('creates the board and its secretariat, printing both ids; a second run changes nothing and says so', async () => {
    const first = await setup(...AM);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/group id: grp-exec/);
    // The id says nothing about the person: erasure keeps a record's id.
    expect(first.stdout).toMatch(/member id: mem-[0-9a-f-]{36}\n/);
    memberId = /member id: (mem-[0-9a-f-]{36})/.exec(first.stdout)![1]!;
    const again = await setup(...AM);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing changed/);
    expect(again.stdout).toContain(`member id: ${memberId}`);
  });

  it('refuses a different secretariat on a store that has one, naming them', async () => {
    const other = await setup('--group-name', 'Safer Plymouth Exec', '--secretariat-name', 'Bob Baker', '--secretariat-initials', 'BB');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/Alison Mills \(AM\) as secretariat/);
  });

  it('lets that person sign in and run the board from the tab API, and nobody else', async () => {
    // Set-up dates the membership today (the real clock), so the app runs on the real clock too.
    const app = await startTestApp({ dataDir, env: { SEED_DEMO: 'false' }, clock: systemClock });
    try {
      const me = await app.as('AM', '/api/tab/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ member: { id: memberId, initials: 'AM' }, roles: { secretariat: true }, execGroupId: 'grp-exec' });
      const added = await app.as('AM', '/api/tab/members', { method: 'POST', body: JSON.stringify({ name: 'Matt Garrett', initials: 'MG', email: 'matt.garrett@plymouth.gov.uk' }) });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ id: expect.stringMatching(/^mem-/), initials: 'MG' });
      // Added, but not yet on any group: not a member of the partnership, so reads nothing.
      expect((await app.as('MG', '/api/tab/actions')).status).toBe(403);
      expect((await app.store.members.get(memberId))!.email).toBe('alison.mills@plymouth.gov.uk');
    } finally {
      await app.close();
    }
  });
});
