import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Word to PDF with LibreOffice (`soffice --headless --convert-to pdf`), for the papers pack.
 * Each conversion runs in its own temporary directory with its own LibreOffice profile (so a
 * crashed or concurrent run cannot lock another's), under a time limit, one at a time: two
 * LibreOffice processes on a small App Service plan would slow every request.
 */
export type PdfOutcome =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly reason: 'not-installed' | 'failed' | 'timed-out' };

export interface PdfConverter {
  toPdf(docx: Buffer): Promise<PdfOutcome>;
}

export interface LibreOfficeOptions {
  /** The LibreOffice binary, found on PATH by default. */
  readonly binary?: string;
  readonly timeoutMs?: number;
}

export const DEFAULT_PDF_TIMEOUT_MS = 60_000;

export function libreOfficeConverter(options: LibreOfficeOptions = {}): PdfConverter {
  const binary = options.binary ?? 'soffice';
  const timeout = options.timeoutMs ?? DEFAULT_PDF_TIMEOUT_MS;
  let queue: Promise<unknown> = Promise.resolve();

  const convert = async (docx: Buffer): Promise<PdfOutcome> => {
    const dir = await mkdtemp(join(tmpdir(), 'safer-exec-pdf-'));
    try {
      const input = join(dir, 'papers.docx');
      await writeFile(input, docx);
      const outcome = await new Promise<PdfOutcome | null>((resolve) => {
        execFile(
          binary,
          ['--headless', '--norestore', '--nolockcheck', `-env:UserInstallation=file://${join(dir, 'profile')}`, '--convert-to', 'pdf', '--outdir', dir, input],
          { timeout, killSignal: 'SIGKILL', env: { ...process.env, HOME: dir } },
          (error) => {
            if (!error) return resolve(null);
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'ENOENT' || code === 'EACCES') return resolve({ ok: false, reason: 'not-installed' });
            resolve({ ok: false, reason: (error as { killed?: boolean }).killed ? 'timed-out' : 'failed' });
          },
        );
      });
      if (outcome) return outcome;
      const bytes = await readFile(join(dir, 'papers.pdf')).catch(() => null);
      return bytes && bytes.subarray(0, 5).toString() === '%PDF-' ? { ok: true, bytes } : { ok: false, reason: 'failed' };
    } finally {
      await rm(dir, { recursive: true, force: true });
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
