/**
 * The papers pack's PDF converter: a LibreOffice run that hangs is stopped at its time limit and
 * leaves nothing behind. `soffice` forks `soffice.bin`, so killing only the process it started left
 * the real worker running (and holding memory) after every timed-out conversion. A fake `soffice`
 * written here does the same: it forks a child that sleeps, and writes the child's pid and the
 * profile directory it was given to files this test reads.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { libreOfficeConverter } from '../../bot/services/pdf-converter.js';

const work = mkdtempSync(join(tmpdir(), 'pdf-converter-test-'));
const started: number[] = [];

afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone, which is what the tests want
    }
  }
  rmSync(work, { recursive: true, force: true });
});

/**
 * Alive means signal 0 reaches it and it is not a zombie: an orphan killed in a container whose
 * first process does not reap children stays in the process table as a zombie, holding nothing.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

/** A fake `soffice` that forks a worker (as soffice forks soffice.bin), creates its profile, then hangs. */
function fakeSoffice(name: string): { binary: string; childPidFile: string; profileFile: string } {
  const binary = join(work, `${name}-soffice`);
  const childPidFile = join(work, `${name}.child-pid`);
  const profileFile = join(work, `${name}.profile`);
  writeFileSync(
    binary,
    [
      '#!/bin/sh',
      'for arg in "$@"; do',
      '  case "$arg" in -env:UserInstallation=file://*) profile="${arg#-env:UserInstallation=file://}";; esac',
      'done',
      'mkdir -p "$profile" && echo hold > "$profile/registrymodifications.xcu"',
      `echo "$profile" > '${profileFile}'`,
      // The worker's output goes nowhere so that the converter's end does not wait on it: what is
      // tested is whether the worker itself survives.
      'sleep 120 >/dev/null 2>&1 </dev/null &',
      `echo $! >> '${childPidFile}'`,
      'wait',
      '',
    ].join('\n'),
  );
  chmodSync(binary, 0o755);
  return { binary, childPidFile, profileFile };
}

describe('LibreOffice converter at its time limit', () => {
  it('stops soffice and the worker it forked, and removes the conversion\u2019s profile', async () => {
    const fake = fakeSoffice('hangs');
    const converter = libreOfficeConverter({ binary: fake.binary, timeoutMs: 1_000 });
    const begun = Date.now();
    const outcome = await converter.toPdf(Buffer.from('PK not really a document'));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'PDF.TIMED_OUT', message: expect.stringMatching(/took too long.*Word version/) } });
    expect(Date.now() - begun).toBeLessThan(10_000);

    const childPid = Number(readFileSync(fake.childPidFile, 'utf8').trim());
    expect(childPid).toBeGreaterThan(1);
    started.push(childPid);
    expect(await waitFor(() => !alive(childPid), 2_000)).toBe(true);

    const profile = readFileSync(fake.profileFile, 'utf8').trim();
    expect(profile.length).toBeGreaterThan(0);
    expect(existsSync(profile)).toBe(false);
  }, 20_000);

  it('lets the next conversion run after one timed out', async () => {
    const fake = fakeSoffice('then-next');
    const converter = libreOfficeConverter({ binary: fake.binary, timeoutMs: 500 });
    const [first, second] = await Promise.all([converter.toPdf(Buffer.from('one')), converter.toPdf(Buffer.from('two'))]);
    expect(first).toMatchObject({ ok: false, error: { code: 'PDF.TIMED_OUT', message: expect.stringMatching(/took too long.*Word version/) } });
    expect(second).toMatchObject({ ok: false, error: { code: 'PDF.TIMED_OUT', message: expect.stringMatching(/took too long.*Word version/) } });
    const childPids = readFileSync(fake.childPidFile, 'utf8').trim().split('\n').map(Number);
    expect(childPids).toHaveLength(2);
    started.push(...childPids);
    expect(await waitFor(() => childPids.every((pid) => !alive(pid)), 2_000)).toBe(true);
  }, 20_000);

  it('says LibreOffice is not installed when the binary is missing', async () => {
    const converter = libreOfficeConverter({ binary: join(work, 'no-such-soffice'), timeoutMs: 1_000 });
    expect(await converter.toPdf(Buffer.from('x'))).toMatchObject({ ok: false, error: { code: 'PDF.UNAVAILABLE', message: expect.stringMatching(/LibreOffice is not installed/) } });
  });
});
