import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fail, ok, type Result } from '../domain/index.js';

/**
 * Word to PDF with LibreOffice (`soffice --headless --convert-to pdf`), for the papers pack.
 * Each conversion runs in its own temporary directory with its own LibreOffice profile (so a
 * crashed or concurrent run cannot lock another's), under a time limit, one at a time: two
 * LibreOffice processes on a small App Service plan would slow every request.
 */
export type PdfOutcome = Result<Buffer>;

/** Why a conversion gave no PDF, in words the chair can act on: the Word pack always works. */
export const PDF_NOT_INSTALLED = fail<Buffer>('PDF.UNAVAILABLE', 'LibreOffice is not installed on this server, so the papers pack cannot be made into a PDF. The Word version works: download that, or ask the administrator to install LibreOffice (libreoffice-writer).');
export const PDF_TIMED_OUT = fail<Buffer>('PDF.TIMED_OUT', 'Making the PDF took too long. Try again in a minute, or download the Word version.');
export const PDF_FAILED = fail<Buffer>('PDF.FAILED', 'LibreOffice could not make the PDF. Download the Word version instead.');

export interface PdfConverter {
  toPdf(docx: Buffer): Promise<PdfOutcome>;
}

export interface LibreOfficeOptions {
  /** The LibreOffice binary, found on PATH by default. */
  readonly binary?: string;
  readonly timeoutMs?: number;
}

export const DEFAULT_PDF_TIMEOUT_MS = 60_000;

/** How long to wait for a killed process group to leave the process table before removing its files. */
const GROUP_EXIT_WAIT_MS = 2_000;

/**
 * Whether a process of the group is still running. A killed worker orphaned in a container whose
 * first process does not reap children stays a zombie, which signal 0 still reaches but which
 * holds no files: on Linux the process table is read to skip those, elsewhere signal 0 decides.
 */
async function groupRunning(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  const pids = await readdir('/proc').catch(() => null);
  if (!pids) return true;
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // After the command name's closing bracket: state, parent pid, process group.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z') return true;
  }
  return false;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: every process of the group has already exited.
  }
}

/** Kills again on every pass: a worker forked while the first signal was being sent escapes it. */
async function killGroupUntilGone(pgid: number): Promise<void> {
  const until = Date.now() + GROUP_EXIT_WAIT_MS;
  killGroup(pgid);
  while ((await groupRunning(pgid)) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    killGroup(pgid);
  }
}

/**
 * Runs LibreOffice as the leader of its own process group. `soffice` is a launcher that forks
 * `soffice.bin`, which does the work: killing the launcher at the time limit left the worker
 * running, holding memory and its profile, after every timed-out conversion. Killing the whole
 * group (a negative pid) stops both, and the group is killed however the run ends, so a worker
 * that outlives a launcher that exited on its own does not linger either. Output is not read,
 * so nothing waits on a pipe a stray worker holds open.
 */
function runInOwnGroup(binary: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PdfOutcome | null> {
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    const child = spawn(binary, args, { detached: true, stdio: 'ignore', env });
    const settle = (outcome: PdfOutcome | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const pgid = child.pid;
      if (pgid === undefined) return resolve(outcome);
      void killGroupUntilGone(pgid).then(() => resolve(outcome));
    };
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) killGroup(child.pid);
    }, timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      settle(error.code === 'ENOENT' || error.code === 'EACCES' ? PDF_NOT_INSTALLED : PDF_FAILED);
    });
    child.once('exit', (code) => {
      settle(timedOut ? PDF_TIMED_OUT : code === 0 ? null : PDF_FAILED);
    });
  });
}

export function libreOfficeConverter(options: LibreOfficeOptions = {}): PdfConverter {
  const binary = options.binary ?? 'soffice';
  const timeout = options.timeoutMs ?? DEFAULT_PDF_TIMEOUT_MS;
  let queue: Promise<unknown> = Promise.resolve();

  const convert = async (docx: Buffer): Promise<PdfOutcome> => {
    const dir = await mkdtemp(join(tmpdir(), 'safer-exec-pdf-'));
    try {
      const input = join(dir, 'papers.docx');
      await writeFile(input, docx);
      const outcome = await runInOwnGroup(
        binary,
        ['--headless', '--norestore', '--nolockcheck', `-env:UserInstallation=file://${join(dir, 'profile')}`, '--convert-to', 'pdf', '--outdir', dir, input],
        { ...process.env, HOME: dir },
        timeout,
      );
      if (outcome) return outcome;
      const bytes = await readFile(join(dir, 'papers.pdf')).catch(() => null);
      return bytes && bytes.subarray(0, 5).toString() === '%PDF-' ? ok(bytes) : PDF_FAILED;
    } finally {
      // The group is dead by now; retries cover a worker whose last writes land as the kernel reaps it.
      await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    }
  };

  return {
    toPdf(docx) {
      const run = queue.then(() => convert(docx));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
